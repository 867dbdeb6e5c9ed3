# Linux + RTOS: the packed Linux image for QEMU's loader, and the disk as virtio-blk-pci behind the SMMU.
# The first rule make reads, so `all` stays the default goal.
all run debug: build/linux/$(PLATFORM)-$(CONFIG)/linux.img
include guests/linux/image.mk

# Base, size limit and load address must match the config's mem, image and dtb_ipa.
$(GUEST_IMG_DIR)/linux.img: $(GUEST_IMG_DIR)/config-dts scripts/guest-linux.sh \
		$(wildcard guests/linux/* guests/linux/*/*)
	scripts/guest-linux.sh rootfs
	scripts/guest-linux.sh pack $< linux 0x60000000 0x4000000 $@

QEMU_EXTRA += -device loader,file=$(GUEST_IMG_DIR)/linux.img,addr=0x70000000,force-raw=on \
	-drive if=none,id=d0,file=build/linux/disk.img,format=raw,snapshot=on \
	-device virtio-blk-pci,drive=d0,disable-legacy=on,iommu_platform=on
