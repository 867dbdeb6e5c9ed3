# Linux (initramfs only) + RTOS on an Arm board without an SMMU: the packed Linux image for QEMU's loader.
# The first rule make reads, so `all` stays the default goal.
all run debug: build/linux/$(PLATFORM)-$(CONFIG)/linux.img
include guests/linux/image.mk

# Base, size limit and load address must match the config's mem, image and dtb_ipa. baohu.nodisk:
# the initramfs's /init waits for no disk.
$(GUEST_IMG_DIR)/linux.img: $(GUEST_IMG_DIR)/config-dts scripts/guest-linux.sh \
		$(wildcard guests/linux/* guests/linux/*/*)
	scripts/guest-linux.sh rootfs
	BOOTARGS="console=ttyAMA0 rdinit=/init baohu.nodisk" scripts/guest-linux.sh pack $< linux 0x60000000 0x4000000 $@

QEMU_EXTRA += -device loader,file=$(GUEST_IMG_DIR)/linux.img,addr=0x70000000,force-raw=on
