# U-Boot + RTOS on RISC-V: Debian's S-mode u-boot.bin behind its generated device tree, for QEMU's loader.
# The first rule make reads, so `all` stays the default goal.
RV_GUEST_DIR := build/linux-riscv64/$(PLATFORM)-$(CONFIG)
UBOOT_BIN := /usr/lib/u-boot/qemu-riscv64_smode/u-boot.bin
all run debug: $(RV_GUEST_DIR)/uboot.img

$(RV_GUEST_DIR)/config-dts: tools/config_dts.c src/platform/$(PLATFORM)/platform.c \
		configs/$(PLATFORM)/$(CONFIG).c $(wildcard include/baohu/*.h src/core/include/*.h)
	@mkdir -p $(dir $@)
	$(HOSTCC) -std=c11 -Wall -Wextra -Werror -DBAOHU_HOST -Iinclude -Isrc/core/include \
		tools/config_dts.c src/platform/$(PLATFORM)/platform.c configs/$(PLATFORM)/$(CONFIG).c -o $@

$(RV_GUEST_DIR)/uboot.img: $(RV_GUEST_DIR)/config-dts scripts/guest-linux-riscv64.sh
	scripts/guest-linux-riscv64.sh uboot >/dev/null
	scripts/guest-linux-riscv64.sh pack $< uboot 0x80000000 0x400000 $@ $(UBOOT_BIN)

QEMU_EXTRA += -device loader,file=$(RV_GUEST_DIR)/uboot.img,addr=0xb0000000,force-raw=on
