/* Physical interrupts at EL2: Baohu's own, and those forwarded to the pinned vCPU. */
#include "arch.h"
#include "arch_regs.h"
#include "cpu.h"
#include "gic.h"
#include "vm.h"

void trap_exit(struct vcpu *v);

/* Which VM owns a passthrough SPI: filled from the config at VM creation. */
static bool irq_owned_by(struct vm *vm, irqid_t intid)
{
    const struct vm_config *c = vm->config;
    for (size_t d = 0; d < c->devs_count; d++)
        for (size_t i = 0; i < c->devs[d].irqs_count; i++)
            if (c->devs[d].irqs[i] == intid)
                return true;
    return false;
}

/* Returns true if the interrupt was handed to the vCPU (it stays active
 * until the guest deactivates it through the hardware-linked LR). */
static bool irq_dispatch(struct vcpu *v, irqid_t intid)
{
    gic_eoi(intid);
    if (intid == GIC_SGI_IPI) {
        gic_deactivate(intid);
        cpu_msg_handle();
        return false;
    }
    if (intid == GIC_PPI_MAINTENANCE) {
        gic_deactivate(intid);
        if (v && v->state == VCPU_ON)
            vgic_maintenance(v);
        return false;
    }
    bool forward = v && v->state == VCPU_ON &&
                   (intid == GIC_PPI_VTIMER || intid == GIC_PPI_PTIMER ||
                    (intid >= 32 && irq_owned_by(v->vm, intid)));
    if (forward) {
        vgic_inject_hw(v, intid);
        return true;
    }
    /* Nobody runs to take it (its VM stopped): silence a stray SPI for good,
     * a timer PPI goes quiet with its vCPU (arch_vcpu_quiesce). */
    if (intid >= 32)
        gic_irq_enable(intid, false);
    gic_deactivate(intid);
    return false;
}

void irq_handle_parked(irqid_t intid)
{
    irq_dispatch(cpu_current()->vcpu, intid);
}

void guest_trap_irq(struct trap_frame *f)
{
    (void)f;
    struct vcpu *v = cpu_current()->vcpu;
    irqid_t intid = gic_ack();
    if (intid < GIC_SPURIOUS)
        irq_dispatch(v, intid);
    trap_exit(v);
}
