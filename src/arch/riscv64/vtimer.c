/* Guest timers: Sstc's vstimecmp costs no trap per tick; without it SBI set_timer is forwarded (Sstc spec, SBI §6). */
#include "csr.h"
#include "sbi.h"
#include "vm.h"
#include "vtimer.h"

/*
 * With Sstc the guest writes stimecmp itself (vstimecmp when V=1) and
 * VSTIP follows the comparison in hardware; an SBI set_timer only has to
 * write vstimecmp. Without Sstc Baohu programs the firmware timer, and
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
    sbi_call(SBI_EXT_TIME, 0, deadline, 0, 0, 0, 0);
    csr_set(sie, 1u << IRQ_STI);
}

void vtimer_expired(struct vcpu *v)
{
    csr_clear(sie, 1u << IRQ_STI);
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
    csr_clear(sie, 1u << IRQ_STI);
    csr_clear(hvip, 1u << IRQ_VSTI);
}
