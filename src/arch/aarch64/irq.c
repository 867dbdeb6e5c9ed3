/* Physical interrupts at EL2: Baohu's own, and those forwarded to the pinned vCPU. */
#include "arch.h"
#include "arch_regs.h"
#include "cpu.h"
#include "gic.h"
#include "vm.h"

void trap_exit(struct vcpu *v);

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
    /* A timer PPI belongs to the vCPU running here. A passthrough SPI
     * belongs to its VM while that runs, whichever vCPU is here and whether
     * it is on: it waits in the virtual distributor for the vCPU the guest
     * routed it to (a flag built at VM creation says whose it is). */
    bool timer = intid == GIC_PPI_VTIMER || intid == GIC_PPI_PTIMER;
    bool forward = v && (timer ? v->state == VCPU_ON
                               : intid >= 32 && v->vm->state == VM_RUNNING &&
                                     vgic_is_passthrough(v->vm, intid));
    if (forward) {
        vgic_inject_hw(v, intid);
        return true;
    }
    /* Nobody runs to take it (its VM stopped): silence a stray SPI (a VM
     * reset enables it again with the guest's GICD_ISENABLER), a timer PPI
     * goes quiet with its vCPU (arch_vcpu_quiesce). */
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
