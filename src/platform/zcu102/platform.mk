# Build and run facts of the ZCU102 (QEMU xlnx-zcu102) for the Makefile.
ARCH := aarch64
UART := cadence_uart
GIC := v2
LOAD_ADDR := 0x00200000
RESERVED_END := 0x04000000
# The board model has an audio device; without a driver QEMU warns on stderr.
QEMU := env QEMU_AUDIO_DRV=none qemu-system-aarch64
QEMU_ARGS := -M xlnx-zcu102,virtualization=on -m 2G -nographic -nic none
# Where the test guest finds its distributor and CPU interface.
GUEST_PLATFORM_DEFS := -DGUEST_GICD_BASE=0xf9010000UL -DGUEST_GICC_BASE=0xf902f000UL
