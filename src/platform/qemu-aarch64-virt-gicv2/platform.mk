# Build and run facts of QEMU virt with a GICv2 for the Makefile.
ARCH := aarch64
UART := pl011
GIC := v2
LOAD_ADDR := 0x40200000
RESERVED_END := 0x44000000
QEMU := qemu-system-aarch64
# The CPU model: `make run CPU=cortex-a72` (a76, neoverse-n1, a64fx, max,pauth-impdef=on, ...).
CPU ?= cortex-a53
QEMU_ARGS := -M virt,virtualization=on,gic-version=2 -cpu $(CPU) -smp 4 -m 1G \
	-nographic -nic none
# Where the test guest finds its distributor and CPU interface.
GUEST_PLATFORM_DEFS := -DGUEST_GICD_BASE=0x08000000UL -DGUEST_GICC_BASE=0x08010000UL
