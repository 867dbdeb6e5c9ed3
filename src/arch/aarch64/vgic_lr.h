/* The list registers of the calling pCPU's virtual CPU interface, independent of the GIC version. */
#ifndef BAOHU_AARCH64_VGIC_LR_H
#define BAOHU_AARCH64_VGIC_LR_H

#include "types.h"

/* One list-register entry. A free entry has neither pending nor active set. */
struct vgic_lr {
    irqid_t intid;    /* virtual INTID */
    irqid_t hw_intid; /* physical INTID deactivated with it; only if hw */
    uint8_t priority;
    bool pending, active;
    bool hw;          /* the guest's deactivation also deactivates hw_intid */
    bool group1;
    bool eoi;         /* HW=0 only: maintenance interrupt when the guest deactivates it */
    uint8_t source;   /* HW=0 SGIs on GICv2: the source CPU the guest acknowledges */
};

/* Maintenance conditions (ICH_HCR_EL2 / GICH_HCR). */
#define VGIC_MAINT_UNDERFLOW (1u << 0) /* UIE: at most one LR valid */
#define VGIC_MAINT_NO_PENDING (1u << 1) /* NPIE: no LR pending */

/* Implemented list registers (at most VGIC_MAX_LRS is used). */
uint32_t vgic_lr_count(void);
void vgic_lr_write(uint32_t idx, const struct vgic_lr *lr);
void vgic_lr_read(uint32_t idx, struct vgic_lr *lr);
void vgic_lr_clear(uint32_t idx);
/* The common case written directly: a fresh pending entry linked to the
 * physical interrupt of the same INTID (a timer PPI). */
void vgic_lr_write_hw_pending(uint32_t idx, irqid_t intid, uint8_t priority, bool group1);
/* ... and a fresh pending SGI from `source` (GICv2's CPUID; ignored on v3),
 * with `eoi` when other sources wait behind it. */
void vgic_lr_write_sgi(uint32_t idx, irqid_t intid, uint8_t priority, bool group1, uint8_t source,
                       bool eoi);
/* LRs the guest has finished with since they were written: empty, or
 * deactivated with the EOI bit set (ICH_ELRSR | ICH_EISR, GICH_ELRSR0 | GICH_EISR0). */
uint32_t vgic_lr_done(void);
/* Arm exactly the VGIC_MAINT_* conditions in `flags`, so interrupts
 * waiting for a free LR get their turn. */
void vgic_set_maintenance(uint32_t flags);
/* Reset the virtual CPU interface: every LR free, the guest's view of its
 * CPU interface (priority mask, group enables, binary points) and its
 * active priorities cleared, no maintenance interrupt armed. */
void vgic_lr_reset_cpu(void);

#endif
