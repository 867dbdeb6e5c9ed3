/* What a vGIC front end (register emulation) asks of the generic interrupt state machine in vgic.c. */
#ifndef BAOHU_AARCH64_VGIC_OPS_H
#define BAOHU_AARCH64_VGIC_OPS_H

#include "vgic.h"

/*
 * `bank` is the vCPU whose private interrupts (INTID < 32) are meant: the
 * vCPU of the redistributor being accessed. For SPIs any vCPU of the VM.
 * Interrupts the VM does not own read as false and ignore every change.
 * Each call takes the VM's vGIC lock itself; a vCPU running elsewhere whose
 * delivery the change affects is told with CPU_MSG_VIRQ (coalesced: one
 * request per target however many changes).
 */

struct vgic_irq_view {
    bool enabled, pending, active, level, group1;
    uint8_t priority;
    uint8_t target_vcpu;
};

bool vgic_irq_view(struct vcpu *bank, irqid_t intid, struct vgic_irq_view *out);
void vgic_irq_set_enabled(struct vcpu *bank, irqid_t intid, bool on);
void vgic_irq_set_pending(struct vcpu *bank, irqid_t intid, bool on);
void vgic_irq_set_active(struct vcpu *bank, irqid_t intid, bool on);
void vgic_irq_set_priority(struct vcpu *bank, irqid_t intid, uint8_t prio);
void vgic_irq_set_level(struct vcpu *bank, irqid_t intid, bool level);
void vgic_irq_set_group(struct vcpu *bank, irqid_t intid, bool group1);
/* SPIs only: deliver to vCPU `vcpu_index` of the VM (ignored if out of range). */
void vgic_irq_set_target(struct vm *vm, irqid_t intid, uint32_t vcpu_index);
/* GICD_CTLR group enables. */
void vgic_dist_set_enabled(struct vm *vm, bool grp0, bool grp1);
/* GICv2 GICD_SPENDSGIR / CPENDSGIR: SGI `intid` of `bank` pending from the
 * source CPUs in `sources`; set or clear them. */
void vgic_sgi_set_sources(struct vcpu *bank, irqid_t intid, uint8_t sources, bool set);
/* The source CPUs SGI `intid` of `bank` is pending from. */
uint8_t vgic_sgi_sources(struct vcpu *bank, irqid_t intid);
/* GICD_CTLR.RWP (bank NULL: any vCPU of the VM) / GICR_CTLR.RWP (bank): a
 * disable has not yet reached a list register that held the interrupt. */
bool vgic_rwp(struct vm *vm, struct vcpu *bank);

#endif
