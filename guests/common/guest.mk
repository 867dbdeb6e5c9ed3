# The build every bare-metal test guest shares (guests/baremetal, baremetal-riscv64, hostile/*,
# probe, probe-riscv64): the toolchain and code-generation flags of its architecture, one object
# rule per source directory, a rebuild when the flags change, the ELF and its raw binary.
#
# The including Makefile sets, then includes this file:
#   GUEST_ARCH      aarch64 | riscv64
#   GUEST_SRC_DIRS  the directories its SRCS come from, searched in this order
#   SRCS            its sources (.c, .S), by file name
#   GUEST_LDS       its linker script
#   GUEST_CFLAGS    its own flags: include directories, -D options (DEFS), -fno-builtin ...
# and the caller gives O (output directory), NAME (the variant), LOAD_ADDR and CROSS_COMPILE
# (empty: clang and ld.lld; else that GCC toolchain). Output: $(O)/$(NAME).elf, $(O)/$(NAME).bin.

GUEST_COMMON_DIR := $(patsubst %/,%,$(dir $(abspath $(lastword $(MAKEFILE_LIST)))))

# Private tool names: a parent make may export CC/LD for another target.
ifeq ($(GUEST_ARCH),aarch64)
GUEST_CLANG := clang --target=aarch64-none-elf
GUEST_GCC_ARCH :=
# -mstrict-align: with the MMU off every access is to Device memory, where unaligned accesses
# fault (Arm ARM B2.5.2), so the compiler must never emit them. No FP/SIMD registers: the
# guests' own FP state is touched only through encoded instructions.
GUEST_ARCH_CFLAGS := -mgeneral-regs-only -mstrict-align
else ifeq ($(GUEST_ARCH),riscv64)
GUEST_CLANG := clang --target=riscv64-none-elf -march=rv64imac
# GCC 12 (ISA spec 20191213) names the CSR and fence.i instructions separately.
GUEST_GCC_ARCH := -march=rv64imac_zicsr_zifencei
# medany + no relaxation: the guest runs at its link address with gp unused.
GUEST_ARCH_CFLAGS := -mabi=lp64 -mcmodel=medany -mno-relax
else
$(error GUEST_ARCH must be aarch64 or riscv64)
endif

ifeq ($(CROSS_COMPILE),)
GUEST_CC := $(GUEST_CLANG)
GUEST_LD := ld.lld
GUEST_OBJCOPY := $(if $(shell command -v llvm-objcopy),llvm-objcopy,$(GUEST_ARCH)-linux-gnu-objcopy)
else
GUEST_CC := $(CROSS_COMPILE)gcc $(GUEST_GCC_ARCH)
GUEST_LD := $(CROSS_COMPILE)ld
GUEST_OBJCOPY := $(CROSS_COMPILE)objcopy
endif

GUEST_ALL_CFLAGS := -std=c11 -O2 -g -Wall -Wextra -Werror -ffreestanding $(GUEST_ARCH_CFLAGS) \
	-fno-pic -fno-stack-protector -fno-asynchronous-unwind-tables -fno-unwind-tables \
	$(GUEST_CFLAGS)
GUEST_LDFLAGS := -T $(GUEST_LDS) --defsym=LOAD_ADDR=$(LOAD_ADDR) -z max-page-size=4096 -static -nostdlib

OBJ_DIR := $(O)/$(NAME)-obj
OBJS := $(addprefix $(OBJ_DIR)/,$(addsuffix .o,$(basename $(SRCS))))
ELF := $(O)/$(NAME).elf
BIN := $(O)/$(NAME).bin

# Rebuild a variant when its flags or sources change (e.g. new DEFS under the same NAME).
FLAGS_FILE := $(OBJ_DIR)/flags
FLAGS_NOW := $(GUEST_CC) $(GUEST_ALL_CFLAGS) $(GUEST_LD) $(GUEST_LDFLAGS) $(GUEST_SRC_DIRS) $(SRCS)
FLAGS_OLD := $(shell cat $(FLAGS_FILE) 2>/dev/null)

.PHONY: all clean FORCE
all: $(ELF) $(BIN)

ifneq ($(strip $(FLAGS_OLD)),$(strip $(FLAGS_NOW)))
$(FLAGS_FILE): FORCE
endif
$(FLAGS_FILE):
	@mkdir -p $(OBJ_DIR)
	@printf '%s\n' '$(subst ','\'',$(strip $(FLAGS_NOW)))' > $@

# One pair of rules per source directory, in GUEST_SRC_DIRS order: make takes the first whose
# source exists, so a guest's own file of a name comes before a shared one.
define GUEST_DIR_RULES
$$(OBJ_DIR)/%.o: $(1)/%.c $$(FLAGS_FILE)
	$$(GUEST_CC) $$(GUEST_ALL_CFLAGS) -MMD -MP -c $$< -o $$@

$$(OBJ_DIR)/%.o: $(1)/%.S $$(FLAGS_FILE)
	$$(GUEST_CC) $$(GUEST_ALL_CFLAGS) -MMD -MP -c $$< -o $$@
endef
$(foreach d,$(GUEST_SRC_DIRS),$(eval $(call GUEST_DIR_RULES,$(d))))

$(ELF): $(OBJS) $(GUEST_LDS)
	$(GUEST_LD) $(GUEST_LDFLAGS) -o $@ $(OBJS)

$(BIN): $(ELF)
	$(GUEST_OBJCOPY) -O binary $< $@

clean:
	rm -rf $(OBJ_DIR) $(ELF) $(BIN)

FORCE:

# The compiler's dependency lists, while they still describe this build: after a change of
# flags or sources everything is rebuilt anyway, and a list from before could name a source
# that has moved to another directory (make would stop at "No rule to make target").
ifeq ($(strip $(FLAGS_OLD)),$(strip $(FLAGS_NOW)))
-include $(OBJS:.o=.d)
endif
