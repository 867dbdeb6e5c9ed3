/* Physical interrupts at EL2: Baohu's own, and those forwarded to the pinned vCPU. */
#include "arch.h"
#include "arch_regs.h"
#include "cpu.h"
#include "gic.h"
#include "vm.h"
#include "iommu.h"
#include "platform.h"
#include "sysreg.h"
#include "watchdog.h"

void trap_exit(struct vcpu *v);

/* What became of a physical interrupt. */
enum irq_outcome {
    IRQ_HANDLED,     /* Baohu's own, or silenced */
    IRQ_FORWARDED,   /* pending in the vGIC; the exit flushes it in */
    IRQ_IN_LR,       /* already in a list register: nothing left for the exit */
};

static enum irq_outcome irq_dispatch_rest(struct vcpu *v, irqid_t intid);

static enum irq_outcome irq_dispatch(struct vcpu *v, irqid_t intid)
{
    gic_eoi(intid);
    /* The pinned vCPU's timers first (the most frequent by far), then
     * Baohu's IPI; no more cases here, or the compiler turns the tests into
     * a jump table that costs both more than it saves (docs/bench.md). */
    if (intid == GIC_PPI_VTIMER || intid == GIC_PPI_PTIMER) {
        if (v && v->state == VCPU_ON)
            return vgic_inject_timer(v, intid) ? IRQ_IN_LR : IRQ_FORWARDED;
        gic_deactivate(intid); /* goes quiet with its vCPU (arch_vcpu_quiesce) */
        return IRQ_HANDLED;
    }
    if (intid == GIC_SGI_IPI) {
        gic_deactivate(intid);
        cpu_msg_handle();
        return IRQ_FORWARDED;
    }
    return irq_dispatch_rest(v, intid);
}

__attribute__((noinline)) static enum irq_outcome irq_dispatch_rest(struct vcpu *v, irqid_t intid)
{
    /* The PMU's overflow PPI: forwarded to the pinned vCPU like the timers
     * (rare: the general path, which keeps the timers' one inlined). */
    if (intid == GIC_PPI_PMU) {
        if (v && v->state == VCPU_ON) {
            vgic_inject_hw(v, intid);
            return IRQ_FORWARDED;
        }
        gic_deactivate(intid);
        return IRQ_HANDLED;
    }
    if (intid == GIC_PPI_HYPTIMER) {
        /* Baohu's own timer (arch_hyp_timer_arm): disarmed, and armed
         * again by the watchdog if it still has a deadline to watch. */
        sysreg_write(cnthp_ctl_el2, 0);
        gic_deactivate(intid);
        watchdog_timer(v);
        return IRQ_HANDLED;
    }
    if (intid == GIC_PPI_MAINTENANCE) {
        gic_deactivate(intid);
        if (v && v->state == VCPU_ON)
            vgic_maintenance(v);
        return IRQ_HANDLED;
    }
    if (intid == platform.console.irq) {
        console_rx_irq();
        gic_deactivate(intid);
        return IRQ_HANDLED;
    }
    if (iommu_irq(intid)) {
        gic_deactivate(intid);
        return IRQ_HANDLED;
    }
    /* A passthrough SPI belongs to its VM while that runs, whichever vCPU
     * is here and whether it is on: it waits in the virtual distributor for
     * the vCPU the guest routed it to (a flag built at VM creation says
     * whose it is). */
    if (v && intid >= 32 && v->vm->state == VM_RUNNING && vgic_is_passthrough(v->vm, intid)) {
        vgic_inject_hw(v, intid);
        return IRQ_FORWARDED;
    }
    /* Nobody runs to take it (its VM stopped): silence a stray SPI (a VM
     * reset enables it again with the guest's GICD_ISENABLER). */
    if (intid >= 32)
        gic_irq_enable(intid, false);
    gic_deactivate(intid);
    return IRQ_HANDLED;
}

/* The console UART's receive interrupt is Baohu's (console_in.c hands the
 * bytes to a VM's virtual UART): level-sensitive, on CPU 0. */
void irq_console_init(void)
{
    uart_rx_enable();
    gic_irq_set_edge(platform.console.irq, false);
    gic_irq_set_priority(platform.console.irq, 0x80);
    gic_spi_route(platform.console.irq, 0);
    gic_irq_enable(platform.console.irq, true);
}

void irq_handle_parked(irqid_t intid)
{
    irq_dispatch(cpu_current()->vcpu, intid);
}

void guest_trap_irq(struct trap_frame *f)
{
    (void)f;
    struct vcpu *v = cpu_current()->vcpu;
    v->exits++;
    v->exit_causes[BAOHU_EXIT_IRQ]++;
    irqid_t intid = gic_ack();
    if (intid < GIC_SPURIOUS && irq_dispatch(v, intid) == IRQ_IN_LR && v->state == VCPU_ON)
        return; /* LRs the guest finished with wait for the next flush */
    trap_exit(v);
}
