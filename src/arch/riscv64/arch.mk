# RISC-V RV64 (H extension) build facts for the Makefile.
# The virtual console UART VMs may be given (config vuart).
VUART := vuart_ns16550
CLANG_TARGET := riscv64-none-elf
# No FP/vector in Baohu (guest FP state then needs no switching); medany +
# no relaxation: Baohu runs at its link address with gp unused.
ARCH_CFLAGS := -march=rv64imac -mabi=lp64 -mcmodel=medany -mno-relax
# Test-only switches (BAOHU_TEST_CFLAGS, Makefile; tests/integration/test_riscv64_features.py,
# test_claims_el2.py, test_claims_riscv64.py): -DBAOHU_TEST_EARLY_TRAP makes CPU 0 trap in
# HS-mode before the console is up; -DBAOHU_TEST_HS_FAULT=1|2|3 makes it touch its stack
# guard page, store to Baohu's text or call into its data once the console is up
# (test_hs_fault.c); -DBAOHU_TEST_HLVX_FAULT=<gva> makes the instruction read of an
# emulated access made with t6 = "HLVX" fault (mmio_decode.c).
# GCC 12 (ISA spec 20191213) names the CSR and fence.i instructions separately.
ARCH_GCC_CFLAGS := -march=rv64imac_zicsr_zifencei
# The interrupt controller is the platform's: vplic.c or vaplic.c (+ imsic.c).
ARCH_EXCLUDE := plic.c vplic.c aplic.c vaplic.c imsic.c
ARCH_SRCS := $(filter-out $(addprefix src/arch/riscv64/,$(ARCH_EXCLUDE)), \
	$(wildcard src/arch/riscv64/*.c) $(wildcard src/arch/riscv64/*.S)) \
	$(addprefix src/arch/riscv64/,$(IRQCHIP_SRCS))
GUEST_SRC_DIR := guests/baremetal-riscv64
GUEST_VARIANTS_MK := guests/baremetal-riscv64/variants.mk
