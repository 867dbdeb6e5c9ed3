#!/usr/bin/env bash
# Builds the RISC-V Linux guest (kernel from Debian's linux-source-6.1, a static C /init and /bin/sh) and packs VM images under build/linux-riscv64.
#
#   guest-linux-riscv64.sh kernel                 build/linux-riscv64/kernel-<hash>/Image (cached by fragment hash)
#   guest-linux-riscv64.sh initramfs              build/linux-riscv64/initramfs.cpio
#   guest-linux-riscv64.sh pack DTS_TOOL VM BASE MAX OUT [BIN]
#                                                 DTB @BASE, Image (or BIN) @BASE+2M, initramfs after: one file
#   guest-linux-riscv64.sh uboot                  installs u-boot-qemu if needed, prints the S-mode u-boot.bin
#
# Debian 12 has no riscv64 binary packages, so the kernel is built here with
# the riscv64 cross GCC: tinyconfig plus guests/linux-riscv64/kernel.config.
# As root, missing host packages are installed; otherwise the command is printed.
set -euo pipefail
cd "$(dirname "$0")/.."
OUT=build/linux-riscv64
SRC=guests/linux-riscv64
CROSS=riscv64-linux-gnu-
mkdir -p "$OUT"

host_tools() {
    local want=(linux-source-6.1 gcc-riscv64-linux-gnu libc6-dev-riscv64-cross flex bison bc make
                xz-utils cpio device-tree-compiler)
    local missing=() p
    for p in "${want[@]}"; do
        dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
    done
    [ ${#missing[@]} -eq 0 ] && return 0
    if [ "$(id -u)" != 0 ]; then
        echo "guest-linux-riscv64: missing ${missing[*]}; run as root (or yourself):" >&2
        echo "  apt-get install -y ${missing[*]}" >&2
        exit 1
    fi
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
}

# The cache key: the fragment and the source package's version.
kernel_dir() {
    local ver
    ver=$(dpkg-query -W -f='${Version}' linux-source-6.1 2>/dev/null || echo none)
    echo "$OUT/kernel-$(cat "$SRC/kernel.config" <(echo "$ver") | sha256sum | cut -c1-12)"
}

kernel() {
    host_tools
    local dir tree
    dir=$(kernel_dir)
    if [ -s "$dir/Image" ]; then
        echo "$dir/Image"
        return 0
    fi
    tree=$OUT/linux-source-6.1
    if [ ! -e "$tree/.extracted" ]; then
        rm -rf "$tree"
        echo "guest-linux-riscv64: extracting /usr/src/linux-source-6.1.tar.xz" >&2
        tar -C "$OUT" -xf /usr/src/linux-source-6.1.tar.xz
        touch "$tree/.extracted"
    fi
    local obj=$dir.obj
    rm -rf "$obj" && mkdir -p "$obj"
    local mk=(make -s -C "$tree" O="$PWD/$obj" ARCH=riscv CROSS_COMPILE=$CROSS -j"$(nproc)")
    echo "guest-linux-riscv64: building the kernel (tinyconfig + $SRC/kernel.config, several minutes)" >&2
    "${mk[@]}" tinyconfig >/dev/null
    "$tree/scripts/kconfig/merge_config.sh" -m -O "$obj" "$obj/.config" "$SRC/kernel.config" >/dev/null
    "${mk[@]}" olddefconfig >&2
    # Every line of the fragment must have survived Kconfig's dependencies.
    local line missing=0
    while read -r line; do
        case "$line" in ''|'#'*) continue ;; esac
        grep -qx "$line" "$obj/.config" || { echo "guest-linux-riscv64: not set: $line" >&2; missing=1; }
    done < "$SRC/kernel.config"
    [ $missing -eq 0 ] || exit 1
    "${mk[@]}" Image >&2
    mkdir -p "$dir"
    cp "$obj/arch/riscv/boot/Image" "$obj/.config" "$dir/"
    rm -rf "$obj"
    echo "$dir/Image"
}

# A static /init and /bin/sh (C, glibc) and the few directories init mounts on.
initramfs() {
    host_tools
    local stage=$OUT/initramfs
    rm -rf "$stage" && mkdir -p "$stage"/{bin,dev,proc,sys}
    ${CROSS}gcc -static -Os -s -Wall -Wextra -Werror -o "$stage/init" "$SRC/init.c"
    ${CROSS}gcc -static -Os -s -Wall -Wextra -Werror -o "$stage/bin/sh" "$SRC/sh.c"
    (cd "$stage" && find . | LC_ALL=C sort | cpio -o -H newc --quiet -R 0:0) > "$OUT/initramfs.cpio"
    echo "$OUT/initramfs.cpio"
}

le64() { od -An -t u8 -j "$2" -N 8 "$1" | tr -d ' '; }
align() { echo $(( ($1 + $2 - 1) / $2 * $2 )); }

# DTB at BASE, the payload at BASE + 2 MiB (a RISC-V kernel wants a 2 MiB
# aligned address) and, for Linux, the initramfs after the kernel's
# image_size: one file for QEMU's loader, which Baohu copies into the VM.
pack() {
    local tool=$1 vm=$2 base=$(($3)) max=$(($4)) out=$5 payload=${6:-}
    local initrd="" image_size args=()
    if [ -z "$payload" ]; then
        payload=$(kernel)
        initrd=$(initramfs)
        # RISC-V Image header (Documentation/riscv/boot-image-header.rst):
        # image_size at 16 covers .bss too.
        image_size=$(le64 "$payload" 16)
    else
        image_size=$(stat -c %s "$payload")
    fi
    local kernel_off=$((0x200000)) initrd_off initrd_size=0
    initrd_off=$(align $((kernel_off + image_size)) $((0x200000)))
    if [ -n "$initrd" ]; then
        initrd_size=$(stat -c %s "$initrd")
        args=(--bootargs "${BOOTARGS:-earlycon=sbi console=hvc0 rdinit=/init}"
              --initrd $((base + initrd_off)) $((base + initrd_off + initrd_size)))
    fi
    local total=$((initrd_off + initrd_size))
    [ "$total" -le "$max" ] || { echo "guest-linux-riscv64: image $total bytes > $max" >&2; exit 1; }
    local dir
    dir=$(dirname "$out")
    mkdir -p "$dir"
    "$tool" "$vm" "${args[@]}" > "$dir/$vm.dts"
    dtc -q -I dts -O dtb -o "$dir/$vm.dtb" "$dir/$vm.dts"
    [ "$(stat -c %s "$dir/$vm.dtb")" -le "$kernel_off" ]
    rm -f "$out.tmp"
    dd if="$dir/$vm.dtb" of="$out.tmp" conv=notrunc status=none
    dd if="$payload" of="$out.tmp" bs=4096 seek=$((kernel_off / 4096)) conv=notrunc status=none
    [ -z "$initrd" ] ||
        dd if="$initrd" of="$out.tmp" bs=4096 seek=$((initrd_off / 4096)) conv=notrunc status=none
    mv "$out.tmp" "$out"
    printf 'guest-linux-riscv64: %s: DTB @0x%x, %s @0x%x' "$out" "$base" "$(basename "$payload")" \
        $((base + kernel_off)) >&2
    [ -z "$initrd" ] || printf ', initramfs @0x%x..0x%x' $((base + initrd_off)) \
        $((base + initrd_off + initrd_size)) >&2
    echo >&2
}

# Debian's U-Boot for QEMU (package u-boot-qemu), built for S-mode under SBI firmware.
uboot() {
    local bin=/usr/lib/u-boot/qemu-riscv64_smode/u-boot.bin
    if [ ! -e "$bin" ]; then
        if [ "$(id -u)" != 0 ]; then
            echo "guest-linux-riscv64: missing u-boot-qemu; run: apt-get install -y u-boot-qemu" >&2
            exit 1
        fi
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends u-boot-qemu >&2
    fi
    echo "$bin"
}

case "${1:-}" in
    kernel) kernel ;;
    uboot) uboot ;;
    initramfs) initramfs ;;
    pack) shift; pack "$@" ;;
    *) sed -n '3,8s/^# \?//p' "$0"; exit 2 ;;
esac
