# Build and run facts of QEMU virt (GICv3) for the Makefile.
ARCH := aarch64
UART := pl011
# GIC version: v3 (gicv3.c, vgic_v3.c) or v2
LOAD_ADDR := 0x40200000
RESERVED_END := 0x44000000
QEMU := qemu-system-aarch64
# The CPU model: `make run CPU=cortex-a72` (a76, neoverse-n1, a64fx, max,pauth-impdef=on, ...).
CPU ?= cortex-a53
QEMU_ARGS := -M virt,virtualization=on,gic-version=3,iommu=smmuv3 -cpu $(CPU) -smp 4 -m 1G \
	-nographic -nic none
GIC := v3
# The SMMUv3 in front of PCIe (IHI 0070): src/drivers/smmuv3.c
IOMMU := smmuv3
