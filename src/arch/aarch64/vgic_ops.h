/* What a vGIC front end (register emulation) asks of the generic interrupt state machine in vgic.c. */
#ifndef BAOHU_AARCH64_VGIC_OPS_H
#define BAOHU_AARCH64_VGIC_OPS_H

#include "vgic.h"

/*
 * `bank` is the vCPU whose private interrupts (INTID < 32) are meant: the
 * vCPU of the redistributor being accessed. For SPIs any vCPU of the VM.
 * Interrupts the VM does not own read as false and ignore every change.
 * Each call takes the VM's vGIC lock itself; changes that must reach a vCPU
 * running elsewhere are sent to it with CPU_MSG_VGIC_INJECT (arg VGIC_KICK
 * when the state is already recorded and the target only has to flush).
 */

/* cpu_msg argument meaning "nothing new: flush your list registers". */
#define VGIC_KICK 1023u

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

#endif
