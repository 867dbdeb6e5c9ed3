# BOOT=uboot: Debian's U-Boot is the firmware (-bios, at EL2) and boots Baohu from a disk with booti, as on a board.
comma := ,
# Files the config has QEMU's loader place become files U-Boot loads to the same address.
BOOT_EXTRA := $(subst -device loader$(comma),@loader$(comma),$(QEMU_EXTRA))
BOOT_LOADS := $(foreach l,$(filter @loader%,$(BOOT_EXTRA)),$(patsubst file=%,%,$(filter file=%,$(subst $(comma), ,$(l))))@$(patsubst addr=%,%,$(filter addr=%,$(subst $(comma), ,$(l)))))
BOOT_DISK := $(BUILD)/$(CONFIG)/boot-disk.img

$(BOOT_DISK): $(ELF) $(foreach f,$(BOOT_LOADS),$(firstword $(subst @, ,$(f)))) scripts/guest-linux.sh
	scripts/guest-linux.sh uboot >/dev/null
	scripts/guest-linux.sh bootdisk $@ $(ELF) $(LOAD_ADDR) $(BOOT_LOADS)

all run debug: $(BOOT_DISK)
# The boot disk goes after the config's own virtio devices, so theirs keep
# the transports the config passes through (QEMU fills them from the top).
RUN_ARGS = $(filter-out @loader%,$(BOOT_EXTRA)) -bios $(shell scripts/guest-linux.sh uboot) \
	-drive if=none,id=bootdisk,file=$(BOOT_DISK),format=raw,snapshot=on \
	-device virtio-blk-device,drive=bootdisk
