# Linux + RTOS: the packed Linux image for QEMU's loader, and the disk behind the passed-through virtio-mmio transport.
# This is the first rule make reads, so `all` stays the default goal.
LINUX_DIR := build/linux/$(PLATFORM)-$(CONFIG)
LINUX_IMG := $(LINUX_DIR)/linux.img
all run debug: $(LINUX_IMG)

# The VM's device tree comes from this config (tools/config_dts.c).
$(LINUX_DIR)/config-dts: tools/config_dts.c src/platform/$(PLATFORM)/platform.c \
		configs/$(PLATFORM)/$(CONFIG).c $(wildcard include/baohu/*.h src/core/include/*.h)
	@mkdir -p $(dir $@)
	$(HOSTCC) -std=c11 -Wall -Wextra -Werror -DBAOHU_HOST -Iinclude -Isrc/core/include \
		tools/config_dts.c src/platform/$(PLATFORM)/platform.c configs/$(PLATFORM)/$(CONFIG).c -o $@

# Base, size limit and load address must match the config's mem, image and dtb_ipa.
$(LINUX_IMG): $(LINUX_DIR)/config-dts scripts/guest-linux.sh $(wildcard guests/linux/*)
	scripts/guest-linux.sh rootfs
	scripts/guest-linux.sh pack $< linux 0x60000000 0x4000000 $@

QEMU_EXTRA += -device loader,file=$(LINUX_IMG),addr=0x70000000,force-raw=on \
	-drive if=none,id=d0,file=build/linux/disk.img,format=raw,snapshot=on \
	-device virtio-blk-device,drive=d0
