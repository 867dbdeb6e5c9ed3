# Armv8-A build facts for the Makefile.
CLANG_TARGET := aarch64-none-elf
ARCH_CFLAGS := -mgeneral-regs-only -mstrict-align
# Test-only switch (BAOHU_TEST_CFLAGS, Makefile; tests/integration/test_claims_el2.py):
# -DBAOHU_TEST_EL2_FAULT=1|2|3 makes CPU 0 touch its stack guard page, store to Baohu's
# text or call into its data once the console is up (test_el2_fault.c).
# GCC would otherwise call libgcc helpers for atomics; Baohu links no libgcc.
ARCH_GCC_CFLAGS := -mno-outline-atomics
# The virtual console UART VMs may be given (config vuart).
VUART := vuart_pl011
# The GIC version is the platform's: one driver + one vGIC front end.
ARCH_EXCLUDE := gicv2.c gicv3.c vgic_v2.c vgic_v3.c vgic_v2_lr.c vgic_v3_lr.c
ARCH_SRCS := $(filter-out $(addprefix src/arch/aarch64/,$(ARCH_EXCLUDE)), \
	$(wildcard src/arch/aarch64/*.c) $(wildcard src/arch/aarch64/*.S)) \
	src/arch/aarch64/gic$(GIC).c src/arch/aarch64/vgic_$(GIC).c src/arch/aarch64/vgic_$(GIC)_lr.c
GUEST_SRC_DIR := guests/baremetal
