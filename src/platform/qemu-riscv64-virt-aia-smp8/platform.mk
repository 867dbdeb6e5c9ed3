# QEMU riscv64 virt with AIA and 8 harts, for make bench's scale runs
# (configs/qemu-riscv64-virt-aia-smp8): qemu-riscv64-virt-aia's facts with -smp 8.
include src/platform/qemu-riscv64-virt-aia/platform.mk
QEMU_ARGS := $(subst -smp 4,-smp 8,$(QEMU_ARGS))
# The test guest's fault probe looks for the interrupt controller where qemu-riscv64-virt-aia has it.
FAULT_IRQC_qemu-riscv64-virt-aia-smp8 := 0xd000000UL
