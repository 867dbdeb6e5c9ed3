# The same packed image rules as bench-linux (per config directory).
include configs/qemu-aarch64-virt/bench-linux.mk
