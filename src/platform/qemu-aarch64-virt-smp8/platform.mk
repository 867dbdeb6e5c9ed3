# QEMU virt (GICv3) with 8 CPUs, for make bench's scale runs (configs/qemu-aarch64-virt-smp8):
# qemu-aarch64-virt's facts with -smp 8.
include src/platform/qemu-aarch64-virt/platform.mk
QEMU_ARGS := $(subst -smp 4,-smp 8,$(QEMU_ARGS))
