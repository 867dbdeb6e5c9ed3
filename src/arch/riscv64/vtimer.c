/* Guest timers: Sstc's vstimecmp costs no trap per tick; without it SBI set_timer goes to Baohu's shared timer (Sstc spec, SBI §6). */
#include "csr.h"
#include "hs_timer.h"
#include "sbi.h"
#include "vm.h"
#include "vtimer.h"

/*
 * With Sstc the guest writes stimecmp itself (vstimecmp when V=1) and
 * VSTIP follows the comparison in hardware; an SBI set_timer only has to
 * write vstimecmp. Without Sstc Baohu programs the firmware timer (through
 * hs_timer.c, which it shares with the watchdog), and
 * turns its STI into hvip.VSTIP (§9.2.3) until the guest sets a new
 * deadline, which is what clears a pending timer in SBI §6.1.
 */
void vtimer_set(struct vcpu *v, uint64_t deadline)
{
    if (vcpu_sstc()) {
        csr_write(vstimecmp, deadline);
        return;
    }
    v->arch.timer_next = deadline;
    csr_clear(hvip, 1u << IRQ_VSTI);
    hs_timer_set(HS_TIMER_GUEST, deadline);
}

void vtimer_expired(struct vcpu *v)
{
    if (v && v->state == VCPU_ON) {
        csr_set(hvip, 1u << IRQ_VSTI);
        v->irqs_injected++;
    }
}

void vtimer_reset(struct vcpu *v)
{
    v->arch.timer_next = ~0ull;
    if (vcpu_sstc())
        csr_write(vstimecmp, ~0ull);
    else
        hs_timer_set(HS_TIMER_GUEST, HS_TIMER_OFF);
    csr_clear(hvip, 1u << IRQ_VSTI);
}
