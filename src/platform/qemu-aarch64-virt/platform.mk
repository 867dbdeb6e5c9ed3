# Build and run facts of QEMU virt (GICv3) for the Makefile.
ARCH := aarch64
UART := pl011
# GIC version: v3 (gicv3.c, vgic_v3.c) or v2
LOAD_ADDR := 0x40200000
RESERVED_END := 0x44000000
QEMU := qemu-system-aarch64
QEMU_ARGS := -M virt,virtualization=on,gic-version=3 -cpu cortex-a53 -smp 4 -m 1G \
	-nographic -nic none
GIC := v3
