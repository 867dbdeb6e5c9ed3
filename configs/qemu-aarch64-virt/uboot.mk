# U-Boot + RTOS: Debian's u-boot.bin behind its generated device tree, for QEMU's loader.
# The first rule make reads, so `all` stays the default goal.
all run debug: build/linux/$(PLATFORM)-$(CONFIG)/uboot.img
include guests/linux/image.mk

# U-Boot reads its device tree at the start of RAM (0x40000000) and runs
# from anywhere (it is position independent): at +2 MiB, the config's entry.
$(GUEST_IMG_DIR)/uboot.img: $(GUEST_IMG_DIR)/config-dts scripts/guest-linux.sh
	bin=$$(scripts/guest-linux.sh uboot) && \
		scripts/guest-linux.sh pack $< uboot 0x40000000 0x400000 $@ "$$bin"

QEMU_EXTRA += -device loader,file=$(GUEST_IMG_DIR)/uboot.img,addr=0x70000000,force-raw=on
