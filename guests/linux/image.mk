# Shared by configs that boot a Debian guest from a packed image: the config's own device-tree printer.
GUEST_IMG_DIR := build/linux/$(PLATFORM)-$(CONFIG)

# The VM's device tree comes from this config (tools/config_dts.c).
$(GUEST_IMG_DIR)/config-dts: tools/config_dts.c src/platform/$(PLATFORM)/platform.c \
		configs/$(PLATFORM)/$(CONFIG).c $(wildcard include/baohu/*.h src/core/include/*.h)
	@mkdir -p $(dir $@)
	$(HOSTCC) -std=c11 -Wall -Wextra -Werror -DBAOHU_HOST -Iinclude -Isrc/core/include \
		tools/config_dts.c src/platform/$(PLATFORM)/platform.c configs/$(PLATFORM)/$(CONFIG).c -o $@
