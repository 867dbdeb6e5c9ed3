#!/usr/bin/env bash
# Fetches Debian's arm64 Linux, busybox and U-Boot, builds the initramfs and disk, and packs guest images under build/linux.
#
#   guest-linux.sh fetch                           Debian packages into build/linux/dl (cached)
#   guest-linux.sh rootfs                          build/linux/initramfs.cpio.gz, build/linux/disk.img
#   guest-linux.sh pack DTS_TOOL VM BASE MAX OUT [BIN]  DTB @BASE, Image (or BIN) @BASE+2M, initramfs after
#   guest-linux.sh uboot                           installs u-boot-qemu if needed, prints u-boot.bin's path
#   guest-linux.sh edk2 FW|VARS                    installs qemu-efi-aarch64 if needed, prints QEMU_EFI.fd or the vars template
#   guest-linux.sh bootdisk OUT ELF LOAD [F@ADDR..] a disk U-Boot boots Baohu from (BOOT=uboot)
#
# Only Debian's package registry is used. As root, missing host packages are
# installed; otherwise the exact command to run is printed.
set -euo pipefail
cd "$(dirname "$0")/.."
OUT=build/linux
DL=$OUT/dl
PKG=$OUT/pkg
SRC=guests/linux
mkdir -p "$OUT"

need_root() {
    echo "guest-linux: $1; run as root (or run it yourself):" >&2
    echo "  $2" >&2
    exit 1
}

host_tools() {
    local want=(cpio device-tree-compiler e2fsprogs gcc-aarch64-linux-gnu libc6-dev-arm64-cross)
    local missing=()
    for p in "${want[@]}"; do
        dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
    done
    [ ${#missing[@]} -eq 0 ] && return 0
    [ "$(id -u)" = 0 ] || need_root "missing ${missing[*]}" "apt-get install -y ${missing[*]}"
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
}

# The arm64 packages, downloaded once: the newest 6.1 kernel ABI Debian offers
# (what linux-image-arm64 depends on), its headers (to build baohu_uio.ko and baohu_ctl.ko;
# kbuild's host tools come in the build machine's own architecture), and
# busybox-static.
fetch() {
    host_tools
    mkdir -p "$DL"
    if ! ls "$DL"/linux-image-*-arm64-unsigned_*_arm64.deb "$DL"/linux-headers-*-common_*.deb \
        "$DL"/linux-kbuild-*.deb "$DL"/busybox-static_*_arm64.deb >/dev/null 2>&1; then
        if ! dpkg --print-foreign-architectures | grep -qx arm64 ||
            ! apt-cache show linux-image-arm64:arm64 >/dev/null 2>&1; then
            [ "$(id -u)" = 0 ] || need_root "the arm64 package lists are missing" \
                "dpkg --add-architecture arm64 && apt-get update"
            dpkg --add-architecture arm64
            apt-get update -qq >&2
        fi
        local abi p want=()
        # A kernel already downloaded fixes the ABI: its headers must match it.
        abi=$(ls "$DL"/linux-image-*-arm64-unsigned_*_arm64.deb 2>/dev/null | head -1 |
            sed -n 's/.*linux-image-\(.*-arm64\)-unsigned_.*/\1/p' || true)
        [ -n "$abi" ] || abi=$(apt-cache depends linux-image-arm64:arm64 |
            sed -n 's/.*Depends: linux-image-\(.*-arm64\)\(:arm64\)\?$/\1/p' | head -1)
        [ -n "$abi" ] || { echo "guest-linux: cannot resolve linux-image-arm64" >&2; exit 1; }
        want=("linux-image-$abi-unsigned:arm64" "linux-headers-$abi:arm64" busybox-static:arm64)
        want+=($(apt-cache depends "linux-headers-$abi:arm64" |
            grep -o 'linux-headers-[0-9.-]*-common\|linux-kbuild-[0-9.]*[0-9]' | sort -u))
        for p in "${want[@]}"; do
            ls "$DL/${p%:arm64}"_*.deb >/dev/null 2>&1 && continue
            echo "guest-linux: downloading $p" >&2
            (cd "$DL" && apt-get download -q "$p" 2>&1 | grep -v unsandboxed) >&2
        done
    fi
    # Extracted again whenever the set of downloaded packages changes.
    if [ "$(ls "$DL")" != "$(cat "$PKG/.done" 2>/dev/null)" ]; then
        rm -rf "$PKG" && mkdir -p "$PKG"
        for d in "$DL"/*.deb; do dpkg-deb -x "$d" "$PKG"; done
        # The arm64 headers' Makefile includes the common part by absolute path.
        sed -i "s|include /usr/src/|include $PWD/$PKG/usr/src/|" "$PKG"/usr/src/linux-headers-*-arm64/Makefile
        ls "$DL" > "$PKG/.done"
    fi
}

# Our own modules (guests/linux/<name>/Kbuild), built against the package's headers.
build_modules() {
    local hdr k name
    hdr=$(ls -d "$PWD/$PKG"/usr/src/linux-headers-*-arm64 | head -1)
    for k in "$SRC"/*/Kbuild; do
        name=$(basename "$(dirname "$k")")
        rm -rf "$OUT/modules/$name" && mkdir -p "$OUT/modules/$name"
        cp "$(dirname "$k")"/* "$OUT/modules/$name/"
        make -s -C "$hdr" M="$PWD/$OUT/modules/$name" ARCH=arm64 CROSS_COMPILE=aarch64-linux-gnu- \
            modules >&2 2> >(grep -v 'Skipping BTF' >&2)
    done
}

kernel_image() { ls "$PKG"/boot/vmlinuz-* | head -1; }
moddir() { ls -d "$PKG"/lib/modules/* | head -1; }

# A module's file, and the modules it depends on (its modinfo "depends=").
mod_file() { find "$(moddir)" "$OUT/modules" -name "$1.ko" -o -name "$(echo "$1" | tr _ -).ko" | head -1; }
mod_deps() { grep -a -o 'depends=[a-z0-9_,-]*' "$1" | head -1 | cut -d= -f2 | tr , ' '; }

# Appends $1 to the load order after everything it depends on.
declare -A MOD_SEEN=()
MOD_ORDER=()
mod_add() {
    local name=$1 file dep
    [ -n "${MOD_SEEN[$name]:-}" ] && return 0
    MOD_SEEN[$name]=1
    file=$(mod_file "$name")
    [ -n "$file" ] || { echo "guest-linux: module $name not in the kernel package" >&2; exit 1; }
    for dep in $(mod_deps "$file"); do mod_add "$dep"; done
    MOD_ORDER+=("$name")
}

rootfs() {
    fetch
    local stage=$OUT/initramfs
    rm -rf "$stage"
    mkdir -p "$stage"/{bin,dev,etc,lib/modules,mnt,proc,sys,tmp,root}
    cp "$PKG/bin/busybox" "$stage/bin/busybox"
    install -m 755 "$SRC/init" "$stage/init"
    cp "$SRC/inittab" "$stage/etc/inittab"
    build_modules
    aarch64-linux-gnu-gcc -static -O2 -Wall -Wextra -Werror -o "$stage/bin/baohu-ipc" "$SRC/baohu-ipc.c"
    aarch64-linux-gnu-gcc -static -O2 -Wall -Wextra -Werror -o "$stage/bin/baohu-perf" "$SRC/baohu-perf.c"
    # The manager's tool (README, "Operating the VMs"): Baohu's ABI header and the module's ioctl.
    aarch64-linux-gnu-gcc -static -O2 -Wall -Wextra -Werror -Iinclude -I"$SRC" -o "$stage/bin/baohu-ctl" \
        "$SRC/baohu-ctl.c"
    local name params
    : > "$stage/lib/modules/params"
    while read -r name params; do
        case "$name" in ''|'#'*) continue ;; esac
        mod_add "$name"
        [ -n "$params" ] && echo "$name $params" >> "$stage/lib/modules/params"
    done < "$SRC/modules.list"
    for name in "${MOD_ORDER[@]}"; do cp "$(mod_file "$name")" "$stage/lib/modules/$name.ko"; done
    printf '%s\n' "${MOD_ORDER[@]}" > "$stage/lib/modules/load"
    # The kernel opens /dev/console before /init runs; mknod needs root (/init copes without).
    [ "$(id -u)" = 0 ] && mknod -m 600 "$stage/dev/console" c 5 1
    (cd "$stage" && find . | LC_ALL=C sort | cpio -o -H newc --quiet -R 0:0) | gzip -9 > "$OUT/initramfs.cpio.gz"
    # The disk Linux gets through virtio-blk: a small ext4 with one file.
    local disk=$OUT/disk-content
    rm -rf "$disk" && mkdir -p "$disk"
    echo "hello from the Baohu demo disk" > "$disk/hello.txt"
    rm -f "$OUT/disk.img"
    mkfs.ext4 -q -L baohu -d "$disk" "$OUT/disk.img" 16M
    echo "guest-linux: $OUT/initramfs.cpio.gz (${MOD_ORDER[*]}), $OUT/disk.img" >&2
}

le64() { od -An -t u8 -j "$2" -N 8 "$1" | tr -d ' '; }
align() { echo $(( ($1 + $2 - 1) / $2 * $2 )); }

# DTB at BASE, the payload at BASE + 2 MiB (+ text_offset for an arm64 Image)
# and, for Linux, the initramfs after the kernel's image_size: one file for
# QEMU's loader, which Baohu copies into the VM's RAM.
pack() {
    local tool=$1 vm=$2 base=$(($3)) max=$(($4)) out=$5 payload=${6:-}
    local initrd="" text_offset=0 image_size
    if [ -z "$payload" ]; then
        [ -s "$OUT/initramfs.cpio.gz" ] && [ -s "$OUT/disk.img" ] || rootfs
        payload=$(kernel_image)
        initrd=$OUT/initramfs.cpio.gz
        # arm64 Image header (Documentation/arm64/booting.rst): text_offset at
        # 8, image_size (what the kernel occupies, .bss included) at 16.
        text_offset=$(le64 "$payload" 8)
        image_size=$(le64 "$payload" 16)
    else
        image_size=$(stat -c %s "$payload")
    fi
    local kernel_off=$((0x200000 + text_offset))
    local initrd_off initrd_size=0 args=()
    initrd_off=$(align $((kernel_off + image_size)) $((0x200000)))
    if [ -n "$initrd" ]; then
        initrd_size=$(stat -c %s "$initrd")
        args=(--bootargs "${BOOTARGS:-console=ttyAMA0 rdinit=/init}"
              --initrd $((base + initrd_off)) $((base + initrd_off + initrd_size)))
    fi
    local total=$((initrd_off + initrd_size))
    [ "$total" -le "$max" ] || { echo "guest-linux: image $total bytes > $max" >&2; exit 1; }
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
    printf 'guest-linux: %s: DTB @0x%x, %s @0x%x' "$out" "$base" "$(basename "$payload")" \
        $((base + kernel_off)) >&2
    [ -z "$initrd" ] || printf ', initramfs @0x%x..0x%x' $((base + initrd_off)) \
        $((base + initrd_off + initrd_size)) >&2
    echo >&2
}

# Debian's U-Boot for QEMU (package u-boot-qemu): prints the u-boot.bin path.
uboot() {
    local bin=/usr/lib/u-boot/qemu_arm64/u-boot.bin
    if [ ! -e "$bin" ]; then
        [ "$(id -u)" = 0 ] || need_root "missing u-boot-qemu" "apt-get install -y u-boot-qemu"
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends u-boot-qemu >&2
    fi
    echo "$bin"
}

# Debian's EDK2 for QEMU virt (package qemu-efi-aarch64): the firmware
# volume (2 MiB, built to run from flash bank 0) and the variable-store
# template a flash bank 1 image is copied from.
edk2() {
    local fw=/usr/share/qemu-efi-aarch64/QEMU_EFI.fd vars=/usr/share/AAVMF/AAVMF_VARS.fd
    if [ ! -e "$fw" ] || [ ! -e "$vars" ]; then
        [ "$(id -u)" = 0 ] || need_root "missing qemu-efi-aarch64" "apt-get install -y qemu-efi-aarch64"
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends qemu-efi-aarch64 >&2
    fi
    case "${1:-}" in
        FW) echo "$fw" ;;
        VARS) echo "$vars" ;;
        *) echo "guest-linux: edk2 FW|VARS" >&2; exit 2 ;;
    esac
}

# A disk U-Boot boots Baohu from (BOOT=uboot): one ext4 partition with
# Baohu's raw image, the files the config has QEMU's loader place
# (FILE@ADDR), and the boot.scr that loads them and starts Baohu with booti.
bootdisk() {
    local out=$1 elf=$2 load=$3
    shift 3
    host_tools
    if ! command -v mkimage >/dev/null; then
        [ "$(id -u)" = 0 ] || need_root "missing u-boot-tools" "apt-get install -y u-boot-tools"
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends u-boot-tools >&2
    fi
    local dir=$out.d f
    rm -rf "$dir" && mkdir -p "$dir/fs"
    local objcopy=llvm-objcopy
    command -v $objcopy >/dev/null || objcopy=aarch64-linux-gnu-objcopy
    $objcopy -O binary "$elf" "$dir/fs/baohu.bin"
    {
        echo "echo Baohu: loading from \${devtype} \${devnum}:\${distro_bootpart}"
        for f in "$@"; do
            cp "${f%@*}" "$dir/fs/"
            echo "load \${devtype} \${devnum}:\${distro_bootpart} ${f#*@} $(basename "${f%@*}")"
        done
        echo "load \${devtype} \${devnum}:\${distro_bootpart} $load baohu.bin"
        # Baohu's image has an arm64 Image header (src/arch/aarch64/boot.S).
        echo "booti $load - \${fdtcontroladdr}"
    } > "$dir/boot.cmd"
    mkimage -q -A arm64 -O linux -T script -C none -d "$dir/boot.cmd" "$dir/fs/boot.scr"
    # ext4 without the features older U-Boot readers may refuse.
    local kib=$(( $(du -sk "$dir/fs" | cut -f1) + 8192 ))
    mkfs.ext4 -q -O ^metadata_csum,^64bit -L baohu-boot -d "$dir/fs" "$dir/part.img" "${kib}k"
    # MBR: one bootable Linux partition from sector 2048 (U-Boot's distro boot
    # scans bootable partitions for /boot.scr).
    local sectors=$((kib * 2))
    rm -f "$out.tmp"
    dd if="$dir/part.img" of="$out.tmp" bs=512 seek=2048 conv=notrunc status=none
    le32() { printf "\\x$(printf %02x $(($1 & 255)))\\x$(printf %02x $(($1 >> 8 & 255)))\\x$(printf %02x $(($1 >> 16 & 255)))\\x$(printf %02x $(($1 >> 24 & 255)))"; }
    { printf '\x80\xfe\xff\xff\x83\xfe\xff\xff'; le32 2048; le32 "$sectors"; } |
        dd of="$out.tmp" bs=1 seek=446 conv=notrunc status=none
    printf '\x55\xaa' | dd of="$out.tmp" bs=1 seek=510 conv=notrunc status=none
    mv "$out.tmp" "$out"
    echo "guest-linux: $out: boot.scr, baohu.bin${*:+, }$(for f in "$@"; do printf '%s ' "$(basename "${f%@*}")"; done)" >&2
}

case "${1:-}" in
    fetch) fetch ;;
    rootfs) rootfs ;;
    pack) shift; pack "$@" ;;
    uboot) uboot ;;
    edk2) shift; edk2 "$@" ;;
    bootdisk) shift; bootdisk "$@" ;;
    *) sed -n '3,9s/^# \?//p' "$0"; exit 2 ;;
esac
