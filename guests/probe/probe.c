/*
 * Interrupt-latency probes, run at EL1 either bare on QEMU virt or as a VM
 * under Baohu (the same image; see README.md). All times are virtual-counter
 * ticks: under `-icount shift=4` one tick is one executed instruction, counted
 * over every CPU (QEMU runs them in turn on one thread).
 *
 *   timer: CNTV_CVAL armed PROBE_GAP_MIN.. ticks ahead while CPU 0 busy-polls
 *          with interrupts unmasked; sample = counter at IRQ entry - CVAL.
 *   ipi:   CPU 0 reads the counter and sends SGI 1 to CPU 1 with the next
 *          instruction; CPU 1 busy-polls; sample = counter at CPU 1's IRQ
 *          entry - counter read by CPU 0.
 *
 * Results, one line each (scripts/bench.sh parses them):
 *   probe <name>: n=<samples> min=<a> median=<b> max=<c> mean=<d>
 */
#include "hw.h"
#include "probe.h"

#ifndef PROBE_SAMPLES
#define PROBE_SAMPLES 200
#endif
/* Bit 0: timer probe, bit 1: IPI probe (needs a second CPU; skipped without). */
#ifndef PROBE_WHAT
#define PROBE_WHAT 3
#endif
#define PROBE_GAP_MIN 400  /* timer deadline this many ticks ahead, + 0..255 */
#define WAIT_LIMIT 50000000ull /* ticks before a wait gives up (~0.8 s of icount time) */

#define PSCI_CPU_ON 0xc4000003u
#define PSCI_SYSTEM_OFF 0x84000008u

extern char cpu_on_entry[];

static uint64_t timer_lat[PROBE_SAMPLES];
static uint64_t ipi_sent[PROBE_SAMPLES], ipi_got[PROBE_SAMPLES];
static uint64_t scratch[PROBE_SAMPLES];
static volatile uint32_t timer_hits, ipi_hits, stray_irqs;
static volatile uint32_t cpu1_ready, ipi_done;

/* Waits (yielding) until *p == want; 0 if WAIT_LIMIT ticks pass first. */
static int wait_for(volatile uint32_t *p, uint32_t want)
{
	uint64_t start = counter();

	while (*p != want) {
		if (counter() - start > WAIT_LIMIT)
			return 0;
		relax();
	}
	return 1;
}

void probe_irq(uint64_t at)
{
	uint32_t iar = gic_ack();
	uint32_t id = gic_intid(iar);

	if (id >= GIC_SPURIOUS_FIRST)
		return;
	if (id == INTID_VTIMER) {
		SYSREG_SET(cntv_ctl_el0, 0); /* deasserts the level before the EOI */
		isb();
		if (timer_hits < PROBE_SAMPLES)
			timer_lat[timer_hits] = at - SYSREG_GET(cntv_cval_el0);
		timer_hits = timer_hits + 1;
	} else if (id == INTID_SGI_PROBE) {
		if (ipi_hits < PROBE_SAMPLES)
			ipi_got[ipi_hits] = at;
		ipi_hits = ipi_hits + 1;
	} else {
		stray_irqs = stray_irqs + 1;
	}
	gic_eoi(iar);
}

void probe_fatal(uint64_t vec, uint64_t esr, uint64_t elr)
{
	say("probe: unexpected exception, vector %U esr 0x%X elr 0x%X\n", vec, esr, elr);
	for (;;)
		__asm__ __volatile__("wfi");
}

static void timer_probe(void)
{
	gic_enable(0, INTID_VTIMER);
	irqs_on();
	for (unsigned i = 0; i < PROBE_SAMPLES; i++) {
		uint64_t gap = PROBE_GAP_MIN + ((i * 37u) & 0xff);

		SYSREG_SET(cntv_cval_el0, counter() + gap);
		SYSREG_SET(cntv_ctl_el0, 1);
		isb();
		if (!wait_for(&timer_hits, i + 1)) {
			irqs_off();
			say("probe timer: no interrupt for sample %u\n", i);
			return;
		}
	}
	irqs_off();
	probe_report("timer", timer_lat, PROBE_SAMPLES, 1, 1, scratch);
}

static void ipi_probe(void)
{
	int64_t r = hvc(PSCI_CPU_ON, 1, (uintptr_t)cpu_on_entry, 1);

	if (r != 0) {
		say("probe ipi: skipped (PSCI CPU_ON(1) = %d)\n", (int)r);
		return;
	}
	if (!wait_for(&cpu1_ready, 1)) {
		say("probe ipi: cpu 1 did not come up\n");
		return;
	}
	for (unsigned i = 0; i < PROBE_SAMPLES; i++) {
		/* A few instructions of variable delay, so sends fall at different phases. */
		for (volatile unsigned d = i & 7; d; d--)
			;
		ipi_sent[i] = gic_sgi_timed(1, INTID_SGI_PROBE);
		if (!wait_for(&ipi_hits, i + 1)) {
			say("probe ipi: no interrupt for sample %u\n", i);
			ipi_done = 1;
			return;
		}
	}
	ipi_done = 1;
	for (unsigned i = 0; i < PROBE_SAMPLES; i++)
		ipi_got[i] -= ipi_sent[i];
	probe_report("ipi", ipi_got, PROBE_SAMPLES, 1, 1, scratch);
}

void probe_secondary(unsigned cpu)
{
	gic_cpu_init(cpu);
	gic_enable(cpu, INTID_SGI_PROBE);
	cpu1_ready = 1;
	irqs_on();
	while (!ipi_done)
		relax();
	irqs_off();
	for (;;)
		__asm__ __volatile__("wfi");
}

/* Counter at the image's first instruction (start.S) and at its first output. */
uint64_t boot_first_insn;

/* PROBE_PAD_KIB: that much initialised data in the image, so the boot probe
 * loads an image of a realistic size (the copy is part of what it measures). */
#ifdef PROBE_PAD_KIB
#define PAD_WORDS (PROBE_PAD_KIB * 1024 / 8)
static const volatile uint64_t pad[PAD_WORDS] = {[0 ... PAD_WORDS - 1] = 0x5a5a5a5a5a5a5a5aull};
#endif

void probe_main(void)
{
	uint64_t first_out = counter();
#ifdef PROBE_PAD_KIB
	(void)pad[0];
#endif
	console_init();
	say("probe: up at EL1, %s, %s, %u samples\n",
	    console_hypervisor() ? "under a hypervisor" : "bare metal", gic_name(),
	    (unsigned)PROBE_SAMPLES);
	say("probe boot: first-insn=%U first-output=%U\n", boot_first_insn, first_out);
	gic_dist_init();
	gic_cpu_init(0);
	if (PROBE_WHAT & 1)
		timer_probe();
	if (PROBE_WHAT & 2)
		ipi_probe();
	if (stray_irqs)
		say("probe: %u unexpected interrupts\n", (unsigned)stray_irqs);
	say("probe done\n");
	hvc(PSCI_SYSTEM_OFF, 0, 0, 0);
	for (;;)
		__asm__ __volatile__("wfi");
}
