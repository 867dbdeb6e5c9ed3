/* Hart extensions from the device tree's riscv,isa strings (DT bindings riscv/cpus.yaml; ISA manual ch. 27 naming). */
#ifndef BAOHU_RISCV64_ISA_H
#define BAOHU_RISCV64_ISA_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* The extensions Baohu's HS-mode set-up depends on, one bit each. */
#define ISA_EXT_V (1u << 0)          /* vector (single letter "v") */
#define ISA_EXT_H (1u << 1)          /* hypervisor ("h") */
#define ISA_EXT_SSTC (1u << 2)       /* supervisor stimecmp / vstimecmp */
#define ISA_EXT_SVPBMT (1u << 3)     /* page-based memory types */
#define ISA_EXT_ZICBOM (1u << 4)     /* cache-block management */
#define ISA_EXT_ZICBOZ (1u << 5)     /* cache-block zero */
#define ISA_EXT_SMSTATEEN (1u << 6)  /* state-enable CSRs (hstateen0) */
#define ISA_EXT_F (1u << 7)          /* single-precision FP ("f", or "g") */
#define ISA_EXT_D (1u << 8)          /* double-precision FP ("d", or "g") */
#define ISA_EXT_FOUND (1u << 31)     /* a riscv,isa string was parsed for the hart */

/*
 * Parse one ISA string such as "rv64imafdcvh_zicsr_zicbom_sstc" (at most
 * `len` bytes, stops at a NUL): the single-letter base extensions after
 * "rv64"/"rv32", then '_'-separated multi-letter ones, case-insensitive.
 * Returns ISA_EXT_* bits (0 for a string that does not start with "rv").
 */
uint32_t isa_parse(const char *s, size_t len);

/*
 * The extensions of hart `hartid`: the riscv,isa property of the /cpus/cpu@*
 * node whose reg is `hartid`, in the flattened device tree at `fdt` (DT spec
 * v0.4 §5). Every offset is checked against the blob's totalsize. Returns
 * ISA_EXT_* | ISA_EXT_FOUND, or 0 if the blob is not a device tree or has no
 * such hart.
 */
uint32_t isa_of_hart(const void *fdt, uint64_t hartid);

#endif
