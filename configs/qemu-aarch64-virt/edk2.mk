# EDK2 + RTOS: Debian's QEMU_EFI.fd and the VM's device tree, each placed by QEMU's loader;
# the variable store is QEMU's flash bank 1, a copy of Debian's template.
# The first rule make reads, so `all` stays the default goal.
all run debug: build/linux/$(PLATFORM)-$(CONFIG)/edk2.dtb build/linux/$(PLATFORM)-$(CONFIG)/edk2-vars.fd
include guests/linux/image.mk

$(GUEST_IMG_DIR)/edk2.dtb: $(GUEST_IMG_DIR)/config-dts
	$< edk2 > $(GUEST_IMG_DIR)/edk2.dts
	dtc -q -I dts -O dtb -o $@ $(GUEST_IMG_DIR)/edk2.dts

# The variable store, made once from Debian's template (EDK2 writes to it; delete the
# file for a fresh one, as the test does).
$(GUEST_IMG_DIR)/edk2-vars.fd: scripts/guest-linux.sh
	@mkdir -p $(dir $@)
	cp "$$(scripts/guest-linux.sh edk2 VARS)" $@

QEMU_EXTRA += -device loader,file=$$(scripts/guest-linux.sh edk2 FW),addr=0x70000000,force-raw=on \
	-device loader,file=$(GUEST_IMG_DIR)/edk2.dtb,addr=0x70400000,force-raw=on \
	-drive if=pflash,unit=1,format=raw,file=$(GUEST_IMG_DIR)/edk2-vars.fd
