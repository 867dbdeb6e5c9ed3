# Debian's Linux alone (make bench): the packed image for QEMU's loader.
all run debug: build/linux/$(PLATFORM)-$(CONFIG)/linux.img
include guests/linux/image.mk

# Base, size limit and load address must match the config's mem, image and dtb_ipa.
$(GUEST_IMG_DIR)/linux.img: $(GUEST_IMG_DIR)/config-dts scripts/guest-linux.sh \
		$(wildcard guests/linux/* guests/linux/*/*)
	scripts/guest-linux.sh rootfs
	scripts/guest-linux.sh pack $< linux 0x40000000 0x2800000 $@

QEMU_EXTRA += -device loader,file=$(GUEST_IMG_DIR)/linux.img,addr=0x78000000,force-raw=on
