/* EL1 virtual timer (CNTV_*, PPI 27): the periodic tick of every vCPU. */
#include "arch.h"
#include "guest.h"

#define CNTV_CTL_ENABLE 1u /* IMASK (bit 1) stays 0 (Arm ARM, CNTV_CTL_EL0) */

#if GUEST_LATENCY
struct latency latency;
#endif

uint64_t timer_now(void)
{
	isb(); /* counter reads are not ordered by themselves (Arm ARM, Generic Timer) */
	return sysreg_read(cntvct_el0);
}

uint64_t timer_ms(unsigned ms)
{
	return sysreg_read(cntfrq_el0) * ms / 1000;
}

void timer_start(unsigned k)
{
	sysreg_write(cntv_cval_el0, timer_now() + timer_ms(TICK_MS));
	sysreg_write(cntv_ctl_el0, CNTV_CTL_ENABLE);
	isb();
	gic_enable(k, INTID_VTIMER);
}

/*
 * Called with the (level-sensitive) interrupt acknowledged but not yet EOIed:
 * moving CVAL into the future deasserts it before the EOI. Deadlines advance by
 * whole periods so ticks do not drift; after a long stall we resynchronise.
 */
void timer_irq(unsigned k)
{
	uint64_t period = timer_ms(TICK_MS);
	uint64_t due = sysreg_read(cntv_cval_el0);
	uint64_t next = due + period;
	uint64_t now = timer_now();

#if GUEST_LATENCY
	/* Latency probe: counter ticks from the deadline to this handler. */
	if (k == 0 && latency.samples < GUEST_LATENCY_SAMPLES) {
		uint64_t d = now - due;
		latency.sum += d;
		latency.max = d > latency.max ? d : latency.max;
		latency.min = latency.samples == 0 || d < latency.min ? d : latency.min;
		latency.samples++;
	}
#endif
#if GUEST_FLOOD_ROLE == FLOOD_ROLE_PEER
	if (k == 0)
		flood_peer_timer(now);
#endif
	if (next <= now)
		next = now + period;
	sysreg_write(cntv_cval_el0, next);
	isb();
	vcpus[k].ticks++;
}
