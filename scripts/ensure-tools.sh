#!/usr/bin/env bash
# Installs the Debian packages a target needs (as root), or prints the apt-get line to run.
# usage: ensure-tools.sh build|test|bench|check|debug
set -euo pipefail
want=(clang lld make qemu-system-arm device-tree-compiler gcc libc6-dev)
# RISC-V platforms run on qemu-system-riscv64 (qemu-system-misc) over Debian's OpenSBI.
case "${PLATFORM:-}" in
    *riscv*) want+=(qemu-system-misc opensbi) ;;
esac
if [ "${1:-build}" = test ]; then
    # The tests cover every platform, and check the GCC build of each arch.
    want+=(libcmocka-dev python3-pytest python3-pexpect gcc-aarch64-linux-gnu
           qemu-system-misc opensbi gcc-riscv64-linux-gnu gdb-multiarch)
fi
# make debug: gdb for every architecture Baohu runs on.
if [ "${1:-build}" = debug ]; then
    want+=(gdb-multiarch)
fi
# make bench counts source lines (cloc), plots latency distributions (gnuplot)
# and builds both toolchains' images for the size table.
if [ "${1:-build}" = bench ]; then
    want+=(cloc gnuplot-nox gcc-aarch64-linux-gnu gcc-riscv64-linux-gnu qemu-system-misc opensbi)
fi
# make check (scripts/check.sh): cppcheck and its MISRA addon, clang-tidy, the unit tests under
# ASan/UBSan (clang/gcc runtimes: libclang-rt-14-dev is clang's), coverage with gcovr.
if [ "${1:-build}" = check ]; then
    want+=(cppcheck clang-tidy libclang-rt-14-dev gcovr libcmocka-dev python3)
fi
# CROSS_COMPILE=<triplet>- needs gcc-<triplet> and binutils-<triplet>.
if [ -n "${CROSS_COMPILE:-}" ]; then
    want+=("gcc-${CROSS_COMPILE%-}" "binutils-${CROSS_COMPILE%-}")
fi
missing=()
for p in "${want[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" = 0 ]; then
    echo "installing: ${missing[*]}" >&2
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >&2
    apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
else
    echo "missing packages; run: sudo apt-get install -y ${missing[*]}" >&2
    exit 1
fi
