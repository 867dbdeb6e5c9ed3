# Baohu: make [PLATFORM=<board>] [CONFIG=<name> | DEMO=<a+b>] [BOOT=uboot] [CROSS_COMPILE=aarch64-linux-gnu-|riscv64-linux-gnu-] [all|run|debug|test|check|clean]
PLATFORM ?= qemu-aarch64-virt
# DEMO=linux+rtos is another name for CONFIG=linux-rtos.
CONFIG ?= $(if $(DEMO),$(subst +,-,$(DEMO)),demo)
CROSS_COMPILE ?=

include src/platform/$(PLATFORM)/platform.mk
include src/arch/$(ARCH)/arch.mk
# An arch whose test guest has its own variant list names it in arch.mk.
include $(or $(GUEST_VARIANTS_MK),guests/variants.mk)
# A config may add QEMU arguments (e.g. images for QEMU's loader) in <config>.mk.
-include configs/$(PLATFORM)/$(CONFIG).mk

TOOLCHAIN := $(if $(CROSS_COMPILE),gcc,clang)
BUILD := build/$(PLATFORM)-$(TOOLCHAIN)
OBJ := $(BUILD)/obj
GUEST_OUT := $(abspath $(BUILD)/guests)
ELF := $(BUILD)/$(CONFIG)/baohu.elf
CONFIG_SRC := configs/$(PLATFORM)/$(CONFIG).c

ifeq ($(CROSS_COMPILE),)
CC := clang --target=$(CLANG_TARGET)
LD := ld.lld
# Whole-program optimisation: the interrupt path crosses small functions in
# several files (GIC driver, list registers, vGIC, traps); LTO inlines them.
ARCH_CFLAGS += -flto
else
CC := $(CROSS_COMPILE)gcc
LD := $(CROSS_COMPILE)ld
ARCH_CFLAGS += $(ARCH_GCC_CFLAGS)
endif
HOSTCC ?= cc

CFLAGS := -std=gnu11 -O2 -g -Wall -Wextra -Werror -ffreestanding -fno-builtin -nostdlib \
	-fno-pic -fno-pie -fno-stack-protector -fno-omit-frame-pointer \
	$(ARCH_CFLAGS) \
	-Iinclude -Isrc/core/include -Isrc/arch/$(ARCH)/include -Isrc/arch/$(ARCH) -Isrc/drivers
# Test-only switches (-DBAOHU_TEST_...), for builds into a BUILD= directory of their own:
# core's (BAOHU_TEST_KEEP_WINDOW, BAOHU_TEST_UNCOLOURED_PAGE; tests/integration/test_hyp_space.py)
# and each architecture's (src/arch/*/arch.mk).
CFLAGS += $(BAOHU_TEST_CFLAGS)
LDFLAGS := -nostdlib -static -z max-page-size=4096

# config_check.c is the build-time validator: it runs on the host only.
CORE_SRCS := $(filter-out src/core/config_check.c,$(wildcard src/core/*.c))
# The platform's IOMMU driver (IOMMU := smmuv3 in platform.mk), or none.
IOMMU ?= iommu_none
SRCS := $(CORE_SRCS) $(ARCH_SRCS) src/platform/$(PLATFORM)/platform.c src/drivers/$(UART).c src/drivers/$(VUART).c \
	src/drivers/$(IOMMU).c
OBJS := $(patsubst %,$(OBJ)/%.o,$(SRCS))
DEPS := $(OBJS:.o=.d)
GUEST_BINS := $(foreach g,$(GUEST_VARIANTS),$(GUEST_OUT)/$(g).bin)

.PHONY: all run debug test check bench clean tools guests print-qemu print-run FORCE
all: $(ELF)

tools:
	@PLATFORM=$(PLATFORM) scripts/ensure-tools.sh build

$(OBJ)/%.c.o: %.c Makefile | tools
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -MMD -MP -c $< -o $@

$(OBJ)/%.S.o: %.S Makefile | tools
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -MMD -MP -c $< -o $@

# Guest variants: the guest's own Makefile decides what is out of date. The
# platform may add -D flags (GUEST_PLATFORM_DEFS) and names its GIC. A variant
# may come from another guest directory (GUEST_SRC_DIR_<variant>).
$(GUEST_OUT)/%.bin: FORCE | tools
	@$(MAKE) --no-print-directory -C $(or $(GUEST_SRC_DIR_$*),$(GUEST_SRC_DIR)) O=$(GUEST_OUT) NAME=$* \
		DEFS="$(GUEST_DEFS_$*) $(GUEST_PLATFORM_DEFS)" $(if $(GIC),GIC=$(GIC)) \
		$(GUEST_MAKEVARS_$*) CROSS_COMPILE=$(CROSS_COMPILE)

# Host tools built with the config and the platform (BAOHU_HOST). config-check validates the
# config before anything is linked with it; colour-check runs after linking: a coloured
# Baohu's image must fit the plan it makes at boot (hyp_colour.h).
$(BUILD)/$(CONFIG)/config-check: tools/config_check.c src/core/config_check.c
$(BUILD)/$(CONFIG)/colour-check: tools/colour_check.c src/core/hyp_colour_plan.c
$(BUILD)/$(CONFIG)/config-check $(BUILD)/$(CONFIG)/colour-check: src/platform/$(PLATFORM)/platform.c \
		$(CONFIG_SRC) $(wildcard src/core/include/*.h include/baohu/*.h) | tools
	@mkdir -p $(dir $@)
	$(HOSTCC) -std=c11 -Wall -Wextra -Werror -DBAOHU_HOST -Iinclude -Isrc/core/include \
		$(filter %.c,$^) -o $@

$(BUILD)/$(CONFIG)/config.ok: $(BUILD)/$(CONFIG)/config-check
	$(abspath $<) && touch $@

$(BUILD)/$(CONFIG)/config.o: $(CONFIG_SRC) $(GUEST_BINS) $(BUILD)/$(CONFIG)/config.ok
	$(CC) $(CFLAGS) -DGUEST_DIR='"$(GUEST_OUT)"' -c $< -o $@

$(BUILD)/$(CONFIG)/linker.ld: src/arch/$(ARCH)/linker.ld src/platform/$(PLATFORM)/platform.mk
	@mkdir -p $(dir $@)
	$(CC) -E -P -undef -x c -DBAOHU_LOAD_ADDR=$(LOAD_ADDR) -DBAOHU_RESERVED_END=$(RESERVED_END) \
		-DBAOHU_STACKS_SIZE='(8 * 0x5000)' $< -o $@

$(ELF): $(OBJS) $(BUILD)/$(CONFIG)/config.o $(BUILD)/$(CONFIG)/linker.ld $(BUILD)/$(CONFIG)/colour-check
	$(LD) $(LDFLAGS) -T $(BUILD)/$(CONFIG)/linker.ld $(OBJS) $(BUILD)/$(CONFIG)/config.o -o $@
	$(abspath $(BUILD)/$(CONFIG)/colour-check) $$(nm -P $@ | awk '$$1 == "__image_start" { s = $$3 } \
		$$1 == "__image_end" { e = $$3 } END { print "0x" s, "0x" e }') || { rm -f $@; exit 1; }
	@echo "built $@"

# How QEMU starts Baohu: -kernel, or BOOT=uboot (scripts/boot-uboot.mk: U-Boot as firmware, booti).
RUN_ARGS = $(QEMU_EXTRA) -kernel $(ELF)
ifneq ($(BOOT),)
include scripts/boot-$(BOOT).mk
endif

run: $(ELF)
	$(QEMU) $(QEMU_ARGS) $(RUN_ARGS)

# QEMU halted before Baohu's first instruction, its gdb stub on GDB_PORT (tests/integration/test_debug.py).
GDB_PORT ?= 1234
debug: $(ELF)
	@scripts/ensure-tools.sh debug
	@echo "Attach with: gdb-multiarch -ex 'target remote :$(GDB_PORT)' $(abspath $(ELF))"
	$(QEMU) $(QEMU_ARGS) $(RUN_ARGS) -S -gdb tcp:127.0.0.1:$(GDB_PORT)

test:
	@scripts/test.sh

bench:
	@PLATFORM=$(PLATFORM) scripts/bench.sh

# Long libFuzzer runs (docs/fuzzing.md): FUZZ_SECONDS per target (600), FUZZ_TARGET=<one>.
fuzz:
	@scripts/fuzz.sh long $(FUZZ_TARGET)

# Assurance checks on both arches (cppcheck, MISRA report against docs/misra-deviations.md,
# clang-tidy, unit tests under ASan/UBSan, coverage, fuzz/mutation when present): scripts/check.sh.
check:
	@scripts/check.sh

clean:
	rm -rf build

-include $(DEPS)
FORCE:

# The QEMU command line without -kernel (for tests and scripts); print-run: what `run` starts.
print-qemu:
	@echo $(QEMU) $(QEMU_ARGS) $(QEMU_EXTRA)
print-run:
	@echo $(QEMU) $(QEMU_ARGS) $(RUN_ARGS)
