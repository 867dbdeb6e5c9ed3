/* Sv39 / Sv39x4 PTEs: the format core/pt.c builds Baohu's satp and each VM's hgatp tables with. */
#ifndef BAOHU_RISCV64_PT_SV39_H
#define BAOHU_RISCV64_PT_SV39_H

#include "pt.h"

/*
 * Three levels of 512 8-byte PTEs (RISC-V priv. §4.4 "Sv39"): the root
 * resolves VA[38:30] (1 GiB per entry), then [29:21] (2 MiB), then
 * [20:12] (4 KiB). For G-stage Sv39x4 the root is widened by 2 bits to
 * GPA[40:30]: 2048 entries, 16 KiB, 16 KiB aligned (priv. §9.5.1).
 * Leaf permission bits (R, W, X, U, G, A, D) are the caller's, V is added.
 */
extern const struct pt_format pt_sv39;
extern const struct pt_format pt_sv39x4;
#define PT_SV39_LEVELS 3u

/* PTE bits (priv. §4.4.1, Figure "Sv39 page table entry"). */
#define PTE_V (1ull << 0)
#define PTE_R (1ull << 1)
#define PTE_W (1ull << 2)
#define PTE_X (1ull << 3)
#define PTE_U (1ull << 4) /* G-stage leaves must have U: all its accesses are U-mode (§9.5.1) */
#define PTE_G (1ull << 5)
#define PTE_A (1ull << 6)
#define PTE_D (1ull << 7)
#define PTE_PPN_SHIFT 10
#define PTE_PPN_MASK (((1ull << 44) - 1) << PTE_PPN_SHIFT)

#endif
