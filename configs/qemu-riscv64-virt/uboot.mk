# U-Boot + RTOS on RISC-V: Debian's S-mode u-boot.bin behind its generated device tree, for QEMU's loader.
# The first rule make reads, so `all` stays the default goal.
all run debug: build/linux/$(PLATFORM)-$(CONFIG)/uboot.img
include guests/linux/image.mk

# u-boot.bin runs at its link address, 0x80200000 (the config's entry); its
# device tree comes in a1 (dtb_ipa).
$(GUEST_IMG_DIR)/uboot.img: $(GUEST_IMG_DIR)/config-dts scripts/guest-linux-riscv64.sh
	scripts/guest-linux-riscv64.sh pack $< uboot 0x80000000 0x400000 $@ \
		"$$(scripts/guest-linux-riscv64.sh uboot)"

QEMU_EXTRA += -device loader,file=$(GUEST_IMG_DIR)/uboot.img,addr=0xb0000000,force-raw=on
