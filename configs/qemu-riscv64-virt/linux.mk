# Linux + RTOS on RISC-V: the kernel (built once, cached), its initramfs and device tree packed for QEMU's loader.
# The first rule make reads, so `all` stays the default goal.
all run debug: build/linux/$(PLATFORM)-$(CONFIG)/linux.img
include guests/linux/image.mk

# Base, size limit and load address must match the config's mem, image and dtb_ipa.
$(GUEST_IMG_DIR)/linux.img: $(GUEST_IMG_DIR)/config-dts scripts/guest-linux-riscv64.sh \
		$(wildcard guests/linux-riscv64/*)
	scripts/guest-linux-riscv64.sh pack $< linux 0x80000000 0x2000000 $@

QEMU_EXTRA += -device loader,file=$(GUEST_IMG_DIR)/linux.img,addr=0xb0000000,force-raw=on
