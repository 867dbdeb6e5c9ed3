# Build and run facts of QEMU riscv64 virt with AIA (APLIC + IMSIC, one guest file per hart).
ARCH := riscv64
UART := ns16550
IRQCHIP_SRCS := aplic.c vaplic.c
LOAD_ADDR := 0x80200000
RESERVED_END := 0x84000000
QEMU := qemu-system-riscv64
# The CPU model: `make run CPU=rv64,v=true` (vector), `CPU=rv64,sstc=false` (no Sstc), ...
CPU ?= rv64
QEMU_ARGS := -M virt,aia=aplic-imsic,aia-guests=1 -cpu $(CPU) -smp 4 -m 1G \
	-bios /usr/lib/riscv64-linux-gnu/opensbi/generic/fw_jump.elf -nographic -nic none
