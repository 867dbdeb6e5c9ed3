/*
 * Arm part of the workload guest: console and GIC from the probe guest
 * (guests/probe: PL011 bare, Baohu's putc hypercall in a VM), the virtual
 * timer as the tick, Baohu's exit counter through BAOHU_HC_VCPU_EXITS.
 * Built with general registers only (it holds the IRQ handler).
 */
#include <baohu/hypercall.h>
#include "hw.h"
#include "probe.h"
#include "workload.h"

#define PSCI_SYSTEM_OFF 0x84000008u

volatile uint64_t tick_count;
static uint64_t tick_period;

void arch_init(void)
{
	console_init();
	gic_dist_init();
	gic_cpu_init(0);
	gic_enable(0, INTID_VTIMER);
}

int arch_hypervisor(void) { return console_hypervisor(); }
uint64_t arch_counter(void) { return counter(); }
uint64_t arch_counter_hz(void) { return SYSREG_GET(cntfrq_el0); }

void arch_tick_start(uint32_t hz)
{
	tick_period = arch_counter_hz() / hz;
	SYSREG_SET(cntv_cval_el0, counter() + tick_period);
	SYSREG_SET(cntv_ctl_el0, 1); /* enabled, not masked */
	isb();
	irqs_on();
}

void arch_tick_stop(void)
{
	irqs_off();
	SYSREG_SET(cntv_ctl_el0, 0);
	isb();
}

uint64_t arch_exits(void)
{
	return arch_hypervisor() ? (uint64_t)hvc(BAOHU_HC_VCPU_EXITS, 0, 0, 0) : 0;
}

void arch_relax(void) { relax(); }

void arch_off(void) { hvc(PSCI_SYSTEM_OFF, 0, 0, 0); }

void workload_irq(void)
{
	uint32_t iar = gic_ack();
	uint32_t id = gic_intid(iar);

	if (id >= GIC_SPURIOUS_FIRST)
		return;
	if (id == INTID_VTIMER) {
		/* The next deadline one period after this one: no drift. */
		SYSREG_SET(cntv_cval_el0, SYSREG_GET(cntv_cval_el0) + tick_period);
		isb();
		tick_count = tick_count + 1;
	}
	gic_eoi(iar);
}

void workload_fatal(uint64_t vec, uint64_t esr, uint64_t elr)
{
	say("workload: unexpected exception, vector %U esr 0x%X elr 0x%X\n", vec, esr, elr);
	for (;;)
		__asm__ __volatile__("wfi");
}
