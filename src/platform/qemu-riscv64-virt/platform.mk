# Build and run facts of QEMU riscv64 virt (H extension, PLIC) for the Makefile.
ARCH := riscv64
UART := ns16550
# The emulated interrupt controller guests get (src/arch/riscv64/).
IRQCHIP_SRCS := plic.c vplic.c
# OpenSBI fw_jump enters its payload here in HS-mode (a0 = hart id, a1 = DTB).
LOAD_ADDR := 0x80200000
RESERVED_END := 0x84000000
QEMU := qemu-system-riscv64
# The CPU model: `make run CPU=rv64,v=true` (vector), `CPU=rv64,sstc=false` (no Sstc), ...
CPU ?= rv64
QEMU_ARGS := -M virt -cpu $(CPU) -smp 4 -m 1G \
	-bios /usr/lib/riscv64-linux-gnu/opensbi/generic/fw_jump.elf -nographic -nic none
