/* Interrupts taken in HS-mode: Baohu's IPI, its timer (hs_timer.c), and external interrupts. */
#include "arch.h"
#include "cpu.h"
#include "csr.h"
#include "hs_timer.h"
#include "virqchip.h"
#include "vm.h"
#include "vtimer.h"
#include "watchdog.h"

void irqchip_handle(struct vcpu *v);

void irq_handle(struct vcpu *v, uint64_t code)
{
    switch (code) {
    case IRQ_SSI:
        /* Clear first: an IPI sent while the queue drains raises it again. */
        csr_clear(sip, 1u << IRQ_SSI);
        cpu_msg_handle();
        break;
    case IRQ_STI: {
        /* Baohu's own timer, shared (hs_timer.c): the guest's set_timer
         * without Sstc (with it the guest's timer is its vstimecmp), the
         * IPI stall poll with Sstc, and the VM's watchdog. */
        uint32_t due = hs_timer_take_expired();
        if (due & (1u << HS_TIMER_GUEST))
            vtimer_expired(v);
        if (due & (1u << HS_TIMER_IPI_POLL))
            vcpu_ipi_poll(v);
        if (due & (1u << HS_TIMER_WATCHDOG))
            watchdog_timer(v);
        break;
    }
    case IRQ_SEI:
        irqchip_handle(v);
        break;
    default:
        break;
    }
}

/* The idle loop's view: everything pending in sip, handled the same way. */
void irq_handle_parked(uint64_t sip)
{
    struct vcpu *v = cpu_current()->vcpu;
    if (sip & (1u << IRQ_SSI))
        irq_handle(v, IRQ_SSI);
    if (sip & (1u << IRQ_STI))
        irq_handle(v, IRQ_STI);
    if (sip & (1u << IRQ_SEI))
        irq_handle(v, IRQ_SEI);
}
