/*
 * RV64 part of the workload guest: the SBI console (legacy putchar: OpenSBI
 * bare, Baohu in a VM), stimecmp (Sstc; SBI set_timer without it) as the
 * tick, Baohu's exit counter through its SBI extension (BAOHU_HC_VCPU_EXITS).
 */
#include <baohu/hypercall.h>
#include "hw.h"
#include "workload.h"

#define OPENSBI_IMPL_ID 1

volatile uint64_t tick_count;
static uint64_t tick_period, tick_next;
static int under_hypervisor;
static volatile int has_sstc = 1, probing_sstc;

/* The console device of guests/common/probe_out.c's say. */
void say_putc(char c) { sbi(SBI_EXT_LEGACY_PUTCHAR, 0, (uint8_t)c, 0, 0); }

static void timer_arm(uint64_t when)
{
	if (has_sstc)
		__asm__ __volatile__("csrw 0x14d, %0" : : "r"(when) : "memory"); /* stimecmp */
	else
		sbi(SBI_EXT_TIME, 0, when, 0, 0);
}

void arch_init(void)
{
	struct sbiret impl = sbi(SBI_EXT_BASE, 1, 0, 0, 0);

	under_hypervisor = impl.error == 0 && impl.value != OPENSBI_IMPL_ID;
	/* stimecmp readable? An illegal-instruction trap says no (workload_trap). */
	probing_sstc = 1;
	__asm__ __volatile__("csrr t0, 0x14d" : : : "t0", "memory");
	probing_sstc = 0;
	timer_arm(~0ull);
	CSR_OR(sie, 1u << IRQ_STI);
}

int arch_hypervisor(void) { return under_hypervisor; }
uint64_t arch_counter(void) { return counter(); }
uint64_t arch_counter_hz(void) { return 10000000u; } /* QEMU virt's timebase-frequency */

void arch_tick_start(uint32_t hz)
{
	tick_period = arch_counter_hz() / hz;
	tick_next = counter() + tick_period;
	timer_arm(tick_next);
	irqs_on();
}

void arch_tick_stop(void)
{
	irqs_off();
	timer_arm(~0ull);
}

uint64_t arch_exits(void)
{
	if (!under_hypervisor)
		return 0;
	struct sbiret r = sbi(BAOHU_SBI_EXT, 4, 0, 0, 0); /* VCPU_EXITS */
	return r.error ? 0 : (uint64_t)r.value;
}

/* Under icount `pause` does not hand QEMU's thread on, WFI does: a deadline
 * already passed (interrupts masked in sstatus) makes it return at once. */
void arch_relax(void)
{
	timer_arm(0);
	wfi();
	timer_arm(~0ull);
}

void arch_off(void) { sbi(SBI_EXT_SRST, 0, 0, 0, 0); }

uint64_t workload_trap(uint64_t cause, uint64_t epc)
{
	if (!(cause & SCAUSE_INTR)) {
		if ((cause & 0xff) == EXC_ILLEGAL && probing_sstc) {
			has_sstc = 0;
			return epc + 4;
		}
		workload_fatal(cause, cause, epc);
	}
	if ((cause & 0xff) == IRQ_STI) {
		tick_next += tick_period; /* one period after the last deadline: no drift */
		timer_arm(tick_next);
		tick_count = tick_count + 1;
	}
	return epc;
}

void workload_fatal(uint64_t vec, uint64_t cause, uint64_t pc)
{
	(void)vec;
	say("workload: unexpected exception, scause 0x%X sepc 0x%X stval 0x%X\n", cause, pc,
	    CSR_GET(stval));
	for (;;)
		wfi();
}
