/* The list-register interface on GICv3: ICH_LR<n>_EL2 and friends. */
#include "vgic.h"
#include "vgic_lr.h"
#include "sysreg.h"

/* ICH_LR<n>_EL2 fields (IHI 0069, ICH_LR<n>_EL2). */
#define LR_VINTID_MASK 0xffffffffull
#define LR_PINTID_SHIFT 32
#define LR_PINTID_MASK 0x1fffull /* [44:32] */
#define LR_PRIORITY_SHIFT 48
#define LR_GROUP (1ull << 60)
#define LR_HW (1ull << 61)
#define LR_PENDING (1ull << 62)
#define LR_ACTIVE (1ull << 63)

#define LR_EOI (1ull << 41) /* HW=0: maintenance interrupt on deactivation */

/* ICH_HCR_EL2: En [0], UIE [1], NPIE [3] (which one vgic.c arms, and why:
 * maintenance_for). */
#define ICH_HCR_EN (1ull << 0)
#define ICH_HCR_UIE (1ull << 1)
#define ICH_HCR_NPIE (1ull << 3)

/* ICH_LR<n>_EL2 are encoded S3_4_C12_C12_<n> (n 0-7) and S3_4_C12_C13_<n-8>. */
#define LR_CASES(X)                                                                      \
    X(0, S3_4_C12_C12_0) X(1, S3_4_C12_C12_1) X(2, S3_4_C12_C12_2) X(3, S3_4_C12_C12_3)   \
    X(4, S3_4_C12_C12_4) X(5, S3_4_C12_C12_5) X(6, S3_4_C12_C12_6) X(7, S3_4_C12_C12_7)   \
    X(8, S3_4_C12_C13_0) X(9, S3_4_C12_C13_1) X(10, S3_4_C12_C13_2) X(11, S3_4_C12_C13_3) \
    X(12, S3_4_C12_C13_4) X(13, S3_4_C12_C13_5) X(14, S3_4_C12_C13_6) X(15, S3_4_C12_C13_7)

static uint64_t lr_get(uint32_t idx)
{
    switch (idx) {
#define LR_READ(n, reg) case n: return sysreg_read(reg);
        LR_CASES(LR_READ)
#undef LR_READ
    default:
        return 0;
    }
}

static void lr_set(uint32_t idx, uint64_t v)
{
    switch (idx) {
#define LR_WRITE(n, reg) case n: sysreg_write(reg, v); break;
        LR_CASES(LR_WRITE)
#undef LR_WRITE
    default:
        break;
    }
}

uint32_t vgic_lr_count(void)
{
    /* ICH_VTR_EL2.ListRegs [4:0]: implemented LRs minus one. */
    uint32_t n = (uint32_t)(sysreg_read(ICH_VTR_EL2) & 0x1f) + 1;
    return n > VGIC_MAX_LRS ? VGIC_MAX_LRS : n;
}

void vgic_lr_write(uint32_t idx, const struct vgic_lr *lr)
{
    uint64_t v = (lr->intid & LR_VINTID_MASK) | ((uint64_t)lr->priority << LR_PRIORITY_SHIFT);
    if (lr->group1)
        v |= LR_GROUP;
    if (lr->hw)
        v |= LR_HW | ((uint64_t)(lr->hw_intid & LR_PINTID_MASK) << LR_PINTID_SHIFT);
    else if (lr->eoi)
        v |= LR_EOI;
    if (lr->pending)
        v |= LR_PENDING;
    /* With HW=1 the pending-and-active state is not allowed: the physical
     * interrupt cannot be pending again before the guest deactivates it. */
    if (lr->active && !(lr->hw && lr->pending))
        v |= LR_ACTIVE;
    lr_set(idx, v);
}

void vgic_lr_write_hw_pending(uint32_t idx, irqid_t intid, uint8_t priority, bool group1)
{
    uint64_t v = (intid & LR_VINTID_MASK) | ((uint64_t)(intid & LR_PINTID_MASK) << LR_PINTID_SHIFT) |
                 ((uint64_t)priority << LR_PRIORITY_SHIFT) | LR_HW | LR_PENDING;
    lr_set(idx, group1 ? v | LR_GROUP : v);
}

void vgic_lr_write_sgi(uint32_t idx, irqid_t intid, uint8_t priority, bool group1, uint8_t source,
                       bool eoi)
{
    (void)source; /* affinity routing: SGIs carry no source */
    uint64_t v = (intid & LR_VINTID_MASK) | ((uint64_t)priority << LR_PRIORITY_SHIFT) | LR_PENDING;
    if (group1)
        v |= LR_GROUP;
    if (eoi)
        v |= LR_EOI;
    lr_set(idx, v);
}

void vgic_lr_read(uint32_t idx, struct vgic_lr *lr)
{
    uint64_t v = lr_get(idx);
    lr->intid = (irqid_t)(v & LR_VINTID_MASK);
    lr->hw = (v & LR_HW) != 0;
    lr->hw_intid = lr->hw ? (irqid_t)((v >> LR_PINTID_SHIFT) & LR_PINTID_MASK) : 0;
    lr->priority = (uint8_t)(v >> LR_PRIORITY_SHIFT);
    lr->group1 = (v & LR_GROUP) != 0;
    lr->pending = (v & LR_PENDING) != 0;
    lr->active = (v & LR_ACTIVE) != 0;
    lr->eoi = !lr->hw && (v & LR_EOI);
    lr->source = 0; /* affinity routing: SGIs carry no source */
}

void vgic_lr_clear(uint32_t idx)
{
    lr_set(idx, 0);
}

uint32_t vgic_lr_done(void)
{
    /* ICH_ELRSR_EL2: LRs with no valid interrupt; ICH_EISR_EL2: those with
     * EOI=1 the guest has deactivated (IHI 0069 §12.5.x). */
    return (uint32_t)(sysreg_read(ICH_ELRSR_EL2) | sysreg_read(ICH_EISR_EL2));
}

void vgic_set_maintenance(uint32_t flags)
{
    uint64_t hcr = ICH_HCR_EN;
    if (flags & VGIC_MAINT_UNDERFLOW)
        hcr |= ICH_HCR_UIE;
    if (flags & VGIC_MAINT_NO_PENDING)
        hcr |= ICH_HCR_NPIE;
    sysreg_write(ICH_HCR_EL2, hcr);
}

/* ICH_AP0R<n>_EL2 are S3_4_C12_C8_<n>, ICH_AP1R<n>_EL2 are S3_4_C12_C9_<n>. */
static void apr_clear(uint32_t count)
{
    sysreg_write(ICH_AP0R0_EL2, 0);
    sysreg_write(ICH_AP1R0_EL2, 0);
    if (count > 1) {
        sysreg_write(S3_4_C12_C8_1, 0);
        sysreg_write(S3_4_C12_C9_1, 0);
    }
    if (count > 2) {
        sysreg_write(S3_4_C12_C8_2, 0);
        sysreg_write(S3_4_C12_C9_2, 0);
        sysreg_write(S3_4_C12_C8_3, 0);
        sysreg_write(S3_4_C12_C9_3, 0);
    }
}

void vgic_lr_reset_cpu(void)
{
    uint32_t n = vgic_lr_count();
    for (uint32_t i = 0; i < n; i++)
        vgic_lr_clear(i);
    /* ICH_VTR_EL2.PREbits [28:26] is preemption bits - 1; 5, 6 or 7 bits
     * need 1, 2 or 4 active-priority registers per group, and accessing an
     * unimplemented one is UNDEFINED. */
    uint32_t pre = (uint32_t)((sysreg_read(ICH_VTR_EL2) >> 26) & 7) + 1;
    apr_clear(pre >= 5 ? 1u << (pre - 5) : 1);
    /* ICH_VMCR_EL2 = 0: the guest's ICC_PMR (VPMR) masks everything and both
     * group enables are off, as a CPU interface out of reset. */
    sysreg_write(ICH_VMCR_EL2, 0);
    sysreg_write(ICH_HCR_EL2, ICH_HCR_EN);
    isb();
}
