/* Supervisor timer tick: stimecmp (Sstc) where the hart has it, no trap per tick; SBI set_timer otherwise. */
#include "guest.h"
#include "riscv.h"
#include "sbi.h"

/* Set by the trap handler when reading stimecmp was an illegal instruction.
 * Every vCPU probes for itself (secondaries may start their timer before
 * vCPU 0 has probed); the flag only ever goes from 0 to 1. */
volatile uint32_t sstc_missing;
static volatile uint32_t probing[MAX_VCPUS];

uint64_t timer_now(void)
{
	return csr_read(time);
}

uint64_t timer_ms(unsigned ms)
{
	return (uint64_t)TIMEBASE_HZ / 1000 * ms;
}

/* Without Sstc (or with it switched off for S-mode by the level above),
 * stimecmp is an illegal instruction (Sstc spec, menvcfg/henvcfg.STCE). */
static int have_sstc(unsigned k)
{
	probing[k] = 1;
	(void)csr_read(stimecmp);
	probing[k] = 0;
	return !sstc_missing;
}

int timer_probe_trap(void)
{
	if (!probing[cpu_id()])
		return 0;
	sstc_missing = 1;
	return 1;
}

static void timer_set(uint64_t deadline)
{
	if (sstc_missing)
		sbi_call(SBI_EXT_TIME, 0, deadline, 0, 0, 0);
	else
		csr_write(stimecmp, deadline);
}

void timer_start(unsigned k)
{
	int sstc = have_sstc(k);

	if (k == 0)
		print("timer: %s\n", sstc ? "stimecmp" : "sbi set_timer");
	vcpus[k].deadline = timer_now() + timer_ms(TICK_MS);
	timer_set(vcpus[k].deadline);
	csr_set(sie, 1u << IRQ_STI);
}

/* A new deadline clears the pending timer interrupt (SBI §6.1, Sstc).
 * Deadlines advance by whole periods so ticks do not drift; after a long
 * stall we resynchronise. */
void timer_irq(unsigned k)
{
	uint64_t period = timer_ms(TICK_MS);
	uint64_t next = vcpus[k].deadline + period;
	uint64_t now = timer_now();

	if (next <= now)
		next = now + period;
	vcpus[k].deadline = next;
	timer_set(next);
	vcpus[k].ticks++;
}
