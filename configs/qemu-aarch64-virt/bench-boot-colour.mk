# The same guest as bench-boot.
include configs/qemu-aarch64-virt/bench-boot.mk
