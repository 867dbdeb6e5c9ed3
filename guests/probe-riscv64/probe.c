/*
 * Interrupt-latency probes for RV64, run in S-mode bare on QEMU virt (under
 * OpenSBI) or in VS-mode as a VM under Baohu: the same image. Times come from
 * the time CSR (10 MHz on QEMU virt); under -icount shift=4 one tick is 6.25
 * instructions, so results (printed in instructions) have that resolution.
 *
 *   timer:     stimecmp (Sstc; SBI set_timer without it) armed ahead while
 *              hart 0 busy-polls; sample = time at trap entry - deadline.
 *   ipi-sbi:   hart 0 reads time and does SBI send_ipi to hart 1 with the next
 *              instruction; hart 1 busy-polls; sample = time at hart 1's trap
 *              entry - time read by hart 0.
 *   ipi-imsic: (PROBE_AIA) the same with an MSI store into hart 1's interrupt
 *              file (seteipnum_le) instead of the SBI call.
 *
 * Under icount RISC-V `pause` does not hand QEMU's thread to another hart, so
 * hart 0 waits for hart 1 in WFI, woken by its own timer long after hart 1
 * must have taken the interrupt (WAKE_TICKS); hart 1 itself never sleeps (but
 * see probe_secondary for what keeps its turns on QEMU's thread short).
 *
 * Results, one line each:  probe <name>: n=<samples> min= median= max= mean=
 */
#include <stdarg.h>
#include "hw.h"
#include "probe_out.h"

#ifndef PROBE_SAMPLES
#define PROBE_SAMPLES 200
#endif
#ifndef PROBE_AIA
#define PROBE_AIA 0
#endif
#define GAP_MIN 64         /* timer deadline 64..95 ticks ahead (400..600 instructions) */
#define WAKE_TICKS 3000    /* hart 0's wait between sends: 18750 instructions */
#define POLL_TICKS 500     /* see probe_secondary */
#define WAIT_LIMIT 5000000 /* ticks (0.5 s of icount time) before a wait gives up */
/* The VM's interrupt files (Baohu) and QEMU virt's S-level files with aia-guests=0:
 * one 4 KiB page per hart from 0x28000000. */
#define IMSIC_BASE 0x28000000UL
#define IMSIC_STRIDE 0x1000UL
#define EIID_PROBE 2u
#define OPENSBI_IMPL_ID 1

extern char hart_start_entry[];

static uint64_t timer_lat[PROBE_SAMPLES];
static uint64_t sent[PROBE_SAMPLES], got[PROBE_SAMPLES];
static uint64_t scratch[PROBE_SAMPLES];
static volatile uint64_t deadline;
static volatile uint32_t timer_hits, ipi_hits, stray, hart1_ready, hart1_done;
static volatile int has_sstc = 1, probing_sstc;
static int under_hypervisor;

/* --- console (SBI legacy putchar: OpenSBI 1.1 and Baohu both have it) --- */

void say_putc(char c) { sbi(SBI_EXT_LEGACY_PUTCHAR, 0, (uint8_t)c, 0, 0); }

/* --- timer --- */

static void timer_arm(uint64_t when)
{
	if (has_sstc)
		__asm__ __volatile__("csrw 0x14d, %0" : : "r"(when) : "memory"); /* stimecmp */
	else
		sbi(SBI_EXT_TIME, 0, when, 0, 0);
}

static void timer_disarm(void) { timer_arm(~0ull); }

/* --- interrupt file (AIA §3): indirect registers through siselect/sireg --- */

static void ireg(uint64_t sel, uint64_t v)
{
	__asm__ __volatile__("csrw 0x150, %0\n\tcsrw 0x151, %1" : : "r"(sel), "r"(v) : "memory");
}

static void imsic_init(void)
{
	ireg(0x72, 0);                     /* eithreshold */
	ireg(0xc0, 1ull << EIID_PROBE);    /* eie0 */
	ireg(0x70, 1);                     /* eidelivery */
	CSR_OR(sie, 1u << IRQ_SEI);
}

/* --- trap --- */

static void record_ipi(uint64_t at)
{
	if (ipi_hits < PROBE_SAMPLES)
		got[ipi_hits] = at;
	ipi_hits = ipi_hits + 1;
}

uint64_t probe_trap(uint64_t at, uint64_t cause, uint64_t epc)
{
	if (!(cause & SCAUSE_INTR)) {
		if ((cause & 0xff) == EXC_ILLEGAL && probing_sstc) {
			has_sstc = 0;
			return epc + 4;
		}
		say("probe: unexpected exception, scause %U sepc %U stval %U\n", cause, epc,
		    CSR_GET(stval));
		for (;;)
			wfi();
	}
	switch (cause & 0xff) {
	case IRQ_STI:
		timer_disarm();
		if (timer_hits < PROBE_SAMPLES)
			timer_lat[timer_hits] = at - deadline;
		timer_hits = timer_hits + 1;
		break;
	case IRQ_SSI:
		CSR_CLR(sip, 1u << IRQ_SSI);
		record_ipi(at);
		break;
	case IRQ_SEI:
		for (;;) {
			uint64_t top;
			__asm__ __volatile__("csrrw %0, 0x15c, zero" : "=r"(top) : : "memory"); /* stopei */
			if ((top >> 16) == 0)
				break;
			if ((top >> 16) == EIID_PROBE)
				record_ipi(at);
			else
				stray = stray + 1;
		}
		break;
	default:
		stray = stray + 1;
	}
	return epc;
}

/* --- probes --- */

static void timer_probe(void)
{
	probing_sstc = 1;
	__asm__ __volatile__("csrr t0, 0x14d" : : : "t0", "memory");
	probing_sstc = 0;
	CSR_OR(sie, 1u << IRQ_STI);
	irqs_on();
	for (unsigned i = 0; i < PROBE_SAMPLES; i++) {
		uint64_t start = counter();

		deadline = start + GAP_MIN + ((i * 7u) & 31);
		timer_arm(deadline);
		while (timer_hits == i) {
			if (counter() - start > WAIT_LIMIT) {
				irqs_off();
				say("probe timer: no interrupt for sample %u\n", i);
				return;
			}
			relax();
		}
	}
	irqs_off();
	CSR_CLR(sie, 1u << IRQ_STI);
	say("probe: timer via %s\n", has_sstc ? "stimecmp (Sstc)" : "SBI set_timer");
	probe_report("timer", timer_lat, PROBE_SAMPLES, 25, 4, scratch); /* time ticks -> instructions */
}

static uint64_t send_sbi_timed(void)
{
	register uint64_t a0 __asm__("a0") = 1u << 1; /* hart mask: hart 1 */
	register uint64_t a1 __asm__("a1") = 0;      /* mask base */
	register uint64_t a6 __asm__("a6") = 0;
	register uint64_t a7 __asm__("a7") = SBI_EXT_IPI;
	uint64_t t;

	__asm__ __volatile__("rdtime %0\n\tecall" : "=&r"(t), "+r"(a0), "+r"(a1) : "r"(a6), "r"(a7) : "memory");
	return t;
}

static uint64_t send_imsic_timed(void)
{
	uint64_t t;

	__asm__ __volatile__("rdtime %0\n\tsw %1, 0(%2)" : "=&r"(t)
			     : "r"(EIID_PROBE), "r"(IMSIC_BASE + IMSIC_STRIDE * 1) : "memory");
	return t;
}

/* Hart 0 sleeps (so QEMU runs hart 1) until hart 1 has counted `want`. */
static int wait_hits(uint32_t want)
{
	uint64_t start = counter();

	CSR_OR(sie, 1u << IRQ_STI); /* the wake-up source; sstatus.SIE stays 0 */
	while (ipi_hits != want) {
		if (counter() - start > WAIT_LIMIT) {
			timer_disarm();
			return 0;
		}
		timer_arm(counter() + WAKE_TICKS);
		wfi();
	}
	timer_disarm();
	CSR_CLR(sie, 1u << IRQ_STI);
	return 1;
}

static void ipi_probe(const char *name, uint64_t (*send)(void))
{
	ipi_hits = 0;
	for (unsigned i = 0; i < PROBE_SAMPLES; i++) {
		sent[i] = send();
		if (!wait_hits(i + 1)) {
			say("probe %s: no interrupt for sample %u\n", name, i);
			return;
		}
	}
	for (unsigned i = 0; i < PROBE_SAMPLES; i++)
		got[i] -= sent[i];
	probe_report(name, got, PROBE_SAMPLES, 25, 4, scratch);
}

void probe_secondary(uint64_t hart)
{
	(void)hart;
	CSR_OR(sie, 1u << IRQ_SSI);
	if (PROBE_AIA)
		imsic_init();
	hart1_ready = 1;
	/* Busy-polling, interrupts enabled. The masked timer re-armed every
	 * POLL_TICKS only keeps a QEMU timer deadline near: QEMU 7.2 sizes each
	 * hart's round-robin slice from the nearest deadline when a round starts,
	 * so without it this loop would keep QEMU's thread for a whole 100 ms
	 * kick period (hart 0's own wake-up timer, armed later, does not cut the
	 * slice), once per sample. */
	uint64_t next = counter() + POLL_TICKS;

	timer_arm(next);
	irqs_on();
	while (!hart1_done) {
		/* By the counter, not sip.STIP: QEMU 7.2 does not show a VS-level
		 * Sstc timer in the guest's sip. */
		if (counter() >= next) {
			next = counter() + POLL_TICKS;
			timer_arm(next);
		}
		relax();
	}
	timer_disarm();
	irqs_off();
	for (;;)
		wfi();
}

void probe_main(void)
{
	struct sbiret impl = sbi(SBI_EXT_BASE, 1, 0, 0, 0);

	under_hypervisor = impl.error == 0 && impl.value != OPENSBI_IMPL_ID;
	say("probe: up in S-mode, %s, %s, %u samples\n",
	    under_hypervisor ? "under a hypervisor" : "bare metal (OpenSBI)",
	    PROBE_AIA ? "AIA" : "PLIC", (unsigned)PROBE_SAMPLES);
	timer_probe();

	struct sbiret r = sbi(SBI_EXT_HSM, 0, 1, (uintptr_t)hart_start_entry, 0);
	if (r.error) {
		say("probe ipi: skipped (HSM hart_start(1) = %d)\n", (int)r.error);
	} else {
		uint64_t start = counter();
		/* Hart 1 comes up while hart 0 sleeps (pause would not let it run). */
		while (!hart1_ready && counter() - start < WAIT_LIMIT) {
			CSR_OR(sie, 1u << IRQ_STI);
			timer_arm(counter() + WAKE_TICKS);
			wfi();
		}
		timer_disarm();
		CSR_CLR(sie, 1u << IRQ_STI);
		if (!hart1_ready) {
			say("probe ipi: hart 1 did not come up\n");
		} else {
			ipi_probe("ipi-sbi", send_sbi_timed);
			if (PROBE_AIA)
				ipi_probe("ipi-imsic", send_imsic_timed);
		}
		hart1_done = 1;
	}
	if (stray)
		say("probe: %u unexpected interrupts\n", (unsigned)stray);
	say("probe done\n");
	sbi(SBI_EXT_SRST, 0, 0, 0, 0); /* shutdown */
	for (;;)
		wfi();
}
