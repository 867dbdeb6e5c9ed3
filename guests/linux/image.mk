# Shared by configs that boot a Debian guest from a packed image: the config's own device-tree printer.
GUEST_IMG_DIR := build/linux/$(PLATFORM)-$(CONFIG)

# The VM's device tree comes from this config (tools/config_dts.c) and the shared config it
# may include (a board's linux-rtos.c is configs/common/aarch64/linux-rtos.c). The tool reads
# a VM's dt_source fragment when it runs: it is remade, and so is every tree it printed, when
# any fragment of the platform changes (another config's fragment costs a needless rebuild).
$(GUEST_IMG_DIR)/config-dts: tools/config_dts.c src/platform/$(PLATFORM)/platform.c \
		configs/$(PLATFORM)/$(CONFIG).c $(wildcard include/baohu/*.h src/core/include/*.h) \
		$(wildcard configs/$(PLATFORM)/*.dtsi configs/common/*.dtsi configs/common/*/*.c)
	@mkdir -p $(dir $@)
	$(HOSTCC) -std=c11 -Wall -Wextra -Werror -DBAOHU_HOST -Iinclude -Isrc/core/include \
		tools/config_dts.c src/platform/$(PLATFORM)/platform.c configs/$(PLATFORM)/$(CONFIG).c -o $@
