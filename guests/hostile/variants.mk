# The hostile guest and its victim (configs/*/hostile.c, included from configs/<platform>/hostile.mk).
# attacker: guests/hostile/aarch64 or guests/hostile/riscv64; victim: the bare-metal test guest
# ticking with a checksum of its own memory (GUEST_CHECKSUM, guests/baremetal*/checksum.c).
HOSTILE_DEFS_qemu-aarch64-virt := -DHOSTILE_UART=0x09000000UL -DHOSTILE_SPI=34
HOSTILE_DEFS_qemu-aarch64-virt-gicv2 := -DHOSTILE_UART=0x09000000UL -DHOSTILE_SPI=34 -DHOSTILE_GICH=0x08030000UL
HOSTILE_DEFS_zcu102 := -DHOSTILE_UART=0xff000000UL -DHOSTILE_SPI=68 -DHOSTILE_GICH=0xf9040000UL
HOSTILE_DEFS_qemu-riscv64-virt := -DHOSTILE_PLIC=1
HOSTILE_DEFS_qemu-riscv64-virt-aia := -DHOSTILE_AIA=1
GUEST_VARIANTS += attacker victim
GUEST_SRC_DIR_attacker := guests/hostile/$(ARCH)
GUEST_DEFS_attacker := $(HOSTILE_DEFS_$(PLATFORM))
GUEST_DEFS_victim := -DGUEST_NAME='\"victim\"' -DGUEST_CHECKSUM=1
