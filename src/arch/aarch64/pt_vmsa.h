/* VMSAv8-64 descriptors, 4 KiB granule: the format core/pt.c builds Baohu's EL2 stage 1 and stage 2 with. */
#ifndef BAOHU_AARCH64_PT_VMSA_H
#define BAOHU_AARCH64_PT_VMSA_H

#include "pt.h"

/*
 * Leaf attribute bits (everything except the output address and bits[1:0])
 * are the caller's, so one format builds stage-1 (EL2) and stage-2
 * descriptors (Arm ARM D8.3, "Translation table descriptor formats").
 * Stage 1 roots are one table; a stage-2 root may be up to 16 concatenated
 * tables (Arm ARM D8.2.6).
 */
extern const struct pt_format pt_vmsa_s1;
extern const struct pt_format pt_vmsa_s2;

/* The level a tree starts at, for TCR_EL2 / VTCR_EL2.SL0 (levels 0..3). */
static inline unsigned pt_vmsa_start_level(const struct pt *pt)
{
    return 4 - pt->levels;
}

/* Descriptor bits (Arm ARM D8.3). */
#define PTE_VALID (1ull << 0)
#define PTE_TABLE (1ull << 1) /* at levels 0-2: table; at level 3: page */
#define PTE_AF (1ull << 10)
#define PTE_SH_INNER (3ull << 8)
#define PTE_ADDR_MASK 0x0000fffffffff000ull
/* Stage 1 (EL2 regime: AP[1] is RES1, no nG) */
#define PTE_S1_ATTRIDX(i) ((uint64_t)(i) << 2)
#define PTE_S1_AP_RO (1ull << 7)
#define PTE_S1_XN (1ull << 54)
/* Stage 2 */
#define PTE_S2_MEMATTR(a) ((uint64_t)(a) << 2)
#define PTE_S2_MEMATTR_NORMAL_WB 0xf  /* Outer and Inner Write-Back Cacheable */
#define PTE_S2_MEMATTR_DEVICE_nGnRE 0x1
#define PTE_S2_S2AP_R (1ull << 6)
#define PTE_S2_S2AP_W (1ull << 7)
#define PTE_S2_XN (2ull << 53)

#endif
