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
};

/* Implemented list registers (at most VGIC_MAX_LRS is used). */
uint32_t vgic_lr_count(void);
void vgic_lr_write(uint32_t idx, const struct vgic_lr *lr);
void vgic_lr_read(uint32_t idx, struct vgic_lr *lr);
void vgic_lr_clear(uint32_t idx);
/* Ask for the maintenance interrupt once the guest has drained the list
 * registers, so interrupts waiting for a free one get their turn. */
void vgic_set_underflow(bool on);
/* Reset the virtual CPU interface: every LR free, the guest's view of its
 * CPU interface (priority mask, group enables, binary points) and its
 * active priorities cleared, no maintenance interrupt armed. */
void vgic_lr_reset_cpu(void);

#endif
