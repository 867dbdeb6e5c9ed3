/* The list-register interface on GICv2: the memory-mapped GICH_* registers of the calling pCPU. */
#include "platform.h"
#include "sysreg.h"
#include "vgic.h"
#include "vgic_lr.h"

/* Virtual interface control registers, banked per CPU at one address
 * (IHI 0048B §5.3 "GIC virtual interface control registers"). */
#define GICH_HCR 0x000
#define GICH_VTR 0x004
#define GICH_VMCR 0x008
#define GICH_EISR0 0x020
#define GICH_ELRSR0 0x030
#define GICH_APR 0x0f0
#define GICH_LR(n) (0x100 + 4 * (n))

/* GICH_HCR (§5.3.2): En [0], UIE [1], NPIE [3]; which one vgic.c arms and
 * why: maintenance_for. */
#define GICH_HCR_EN (1u << 0)
#define GICH_HCR_UIE (1u << 1)
#define GICH_HCR_NPIE (1u << 3)

/* GICH_LR<n> (§5.3.12): VirtualID [9:0], PhysicalID [19:10] (with HW=0:
 * EOI [19] and, for an SGI, the source CPUID [12:10]), Priority [27:23]
 * (the top 5 bits of the 8-bit priority), State [29:28], Grp1 [30], HW [31]. */
#define LR_VIRTUAL_ID 0x3ffu
#define LR_PHYS_SHIFT 10
#define LR_PHYS_ID 0x3ffu
#define LR_EOI (1u << 19)
#define LR_CPUID_SHIFT 10
#define LR_CPUID_MASK 0x7u
#define LR_PRIO_SHIFT 23
#define LR_PRIO_MASK 0x1fu
#define LR_PENDING (1u << 28)
#define LR_ACTIVE (1u << 29)
#define LR_GRP1 (1u << 30)
#define LR_HW (1u << 31)

static inline volatile uint32_t *gich(uint32_t off)
{
    return (volatile uint32_t *)(uintptr_t)(platform.irqchip.gich + off);
}

uint32_t vgic_lr_count(void)
{
    /* GICH_VTR.ListRegs [5:0]: implemented LRs minus one (GIC-400: 3). */
    uint32_t n = (*gich(GICH_VTR) & 0x3f) + 1;
    return n > VGIC_MAX_LRS ? VGIC_MAX_LRS : n;
}

void vgic_lr_write(uint32_t idx, const struct vgic_lr *lr)
{
    uint32_t v = (lr->intid & LR_VIRTUAL_ID) |
                 ((uint32_t)(lr->priority >> 3) & LR_PRIO_MASK) << LR_PRIO_SHIFT;
    if (lr->group1)
        v |= LR_GRP1;
    if (lr->hw) {
        v |= LR_HW | (lr->hw_intid & LR_PHYS_ID) << LR_PHYS_SHIFT;
    } else {
        if (lr->eoi)
            v |= LR_EOI;
        if (lr->intid < 16)
            v |= (lr->source & LR_CPUID_MASK) << LR_CPUID_SHIFT;
    }
    if (lr->pending)
        v |= LR_PENDING;
    /* With HW=1 pending-and-active is not a state the physical interrupt can
     * be in (§5.3.12, HW): it cannot be pending again before the guest
     * deactivates it. */
    if (lr->active && !(lr->hw && lr->pending))
        v |= LR_ACTIVE;
    *gich(GICH_LR(idx)) = v;
}

void vgic_lr_write_hw_pending(uint32_t idx, irqid_t intid, uint8_t priority, bool group1)
{
    uint32_t v = (intid & LR_VIRTUAL_ID) | (intid & LR_PHYS_ID) << LR_PHYS_SHIFT |
                 ((uint32_t)(priority >> 3) & LR_PRIO_MASK) << LR_PRIO_SHIFT | LR_HW | LR_PENDING;
    *gich(GICH_LR(idx)) = group1 ? v | LR_GRP1 : v;
}

void vgic_lr_write_sgi(uint32_t idx, irqid_t intid, uint8_t priority, bool group1, uint8_t source,
                       bool eoi)
{
    uint32_t v = (intid & LR_VIRTUAL_ID) | (source & LR_CPUID_MASK) << LR_CPUID_SHIFT |
                 ((uint32_t)(priority >> 3) & LR_PRIO_MASK) << LR_PRIO_SHIFT | LR_PENDING;
    if (group1)
        v |= LR_GRP1;
    if (eoi)
        v |= LR_EOI;
    *gich(GICH_LR(idx)) = v;
}

void vgic_lr_read(uint32_t idx, struct vgic_lr *lr)
{
    uint32_t v = *gich(GICH_LR(idx));
    lr->intid = v & LR_VIRTUAL_ID;
    lr->hw = (v & LR_HW) != 0;
    lr->hw_intid = lr->hw ? (v >> LR_PHYS_SHIFT) & LR_PHYS_ID : 0;
    lr->priority = (uint8_t)(((v >> LR_PRIO_SHIFT) & LR_PRIO_MASK) << 3);
    lr->group1 = (v & LR_GRP1) != 0;
    lr->pending = (v & LR_PENDING) != 0;
    lr->active = (v & LR_ACTIVE) != 0;
    lr->eoi = !lr->hw && (v & LR_EOI);
    lr->source = lr->hw ? 0 : (uint8_t)((v >> LR_CPUID_SHIFT) & LR_CPUID_MASK);
}

void vgic_lr_clear(uint32_t idx)
{
    *gich(GICH_LR(idx)) = 0; /* State 0b00: invalid, the LR is free */
}

uint32_t vgic_lr_done(void)
{
    /* GICH_ELRSR0: LRs with no valid interrupt; GICH_EISR0: those with EOI=1
     * the guest has deactivated (§5.3.8, §5.3.9; at most 64 LRs, Baohu uses 16). */
    return *gich(GICH_ELRSR0) | *gich(GICH_EISR0);
}

void vgic_set_maintenance(uint32_t flags)
{
    uint32_t hcr = GICH_HCR_EN;
    if (flags & VGIC_MAINT_UNDERFLOW)
        hcr |= GICH_HCR_UIE;
    if (flags & VGIC_MAINT_NO_PENDING)
        hcr |= GICH_HCR_NPIE;
    *gich(GICH_HCR) = hcr;
}

void vgic_lr_reset_cpu(void)
{
    uint32_t n = vgic_lr_count();
    for (uint32_t i = 0; i < n; i++)
        vgic_lr_clear(i);
    /* GICH_APR (§5.3.11): no active priorities. GICH_VMCR 0 (§5.3.4): the
     * guest's GICC_PMR masks everything and both groups are off, as a CPU
     * interface out of reset. */
    *gich(GICH_APR) = 0;
    *gich(GICH_VMCR) = 0;
    *gich(GICH_HCR) = GICH_HCR_EN;
    dsb(sy);
}
