# Linux + RTOS on RISC-V: the kernel (built once, cached), its initramfs and device tree packed for QEMU's loader.
# The first rule make reads, so `all` stays the default goal.
RV_GUEST_DIR := build/linux-riscv64/$(PLATFORM)-$(CONFIG)
all run debug: $(RV_GUEST_DIR)/linux.img

# The VM's device tree comes from this config (tools/config_dts.c).
$(RV_GUEST_DIR)/config-dts: tools/config_dts.c src/platform/$(PLATFORM)/platform.c \
		configs/$(PLATFORM)/$(CONFIG).c $(wildcard include/baohu/*.h src/core/include/*.h)
	@mkdir -p $(dir $@)
	$(HOSTCC) -std=c11 -Wall -Wextra -Werror -DBAOHU_HOST -Iinclude -Isrc/core/include \
		tools/config_dts.c src/platform/$(PLATFORM)/platform.c configs/$(PLATFORM)/$(CONFIG).c -o $@

# Base, size limit and load address must match the config's mem, image and dtb_ipa.
$(RV_GUEST_DIR)/linux.img: $(RV_GUEST_DIR)/config-dts scripts/guest-linux-riscv64.sh \
		$(wildcard guests/linux-riscv64/*)
	scripts/guest-linux-riscv64.sh pack $< linux 0x80000000 0x2000000 $@

QEMU_EXTRA += -device loader,file=$(RV_GUEST_DIR)/linux.img,addr=0xb0000000,force-raw=on
