/*
 * Interrupt isolation (GUEST_FLOOD_ROLE): a 2-vCPU VM that floods Baohu's
 * interrupt paths in three timed phases, and the 1-vCPU peer sharing an IPC
 * object with it, which measures the largest gap between its own timer ticks.
 *
 *   a) both flood vCPUs call IPC_NOTIFY towards the peer in a tight loop;
 *   b) vCPU 0 sends SGIs back to back to vCPU 1, which sits with IRQs masked;
 *   c) vCPU 0 writes GICD_ISPENDR1 and vCPU 1 GICD_ISENABLER1, all 32 bits,
 *      over and over.
 *
 * The flood VM publishes the current phase in the shared object; the peer
 * files each tick gap under the phases it spans and reports once the flood
 * is over. Both VMs end with PSCI SYSTEM_OFF.
 */
#include <baohu/hypercall.h>
#include "arch.h"
#include "guest.h"
#include "psci.h"

#if GUEST_FLOOD_ROLE
#define FLOOD_ID 0 /* the object's index in the config's shmem list */
#define FLOOD_EVENT 1
#define PEER_READY 0x9ee2ead1u

/* Distributor registers, at the same offsets on GICv2 and GICv3; word 1 = INTIDs 32-63. */
#define GICD_ISENABLER1 0x104
#define GICD_ICENABLER1 0x184
#define GICD_ISPENDR1 0x204
#define GICD_ICPENDR1 0x284

enum phase { PH_BOOT, PH_A, PH_B, PH_C, PH_DONE, PH_COUNT };
static const char *const phase_names[PH_COUNT] = {"boot", "a", "b", "c", "after"};

/* The start of the shared object: what the two VMs tell each other. */
struct flood_shm {
	volatile uint32_t peer_ready; /* PEER_READY once the peer ticks */
	volatile uint32_t phase;      /* enum phase, written by the flood VM */
};
#define SHM ((struct flood_shm *)GUEST_FLOOD_SHM)

static uint64_t us_of(uint64_t counts)
{
	return counts * 1000000 / sysreg_read(cntfrq_el0);
}

static void __attribute__((noreturn)) system_off(void)
{
	print("psci system_off\n");
	print("system_off returned %d\n", psci(PSCI_SYSTEM_OFF, 0, 0, 0));
	for (;;)
		wfi();
}
#endif

#if GUEST_FLOOD_ROLE == FLOOD_ROLE_PEER
/* Filled by the timer handler (flood_peer_timer), read by the thread. */
struct gaps {
	uint64_t max;
	uint32_t ticks;
};
static struct gaps per_phase[PH_COUNT];
static uint64_t last_tick;
static uint32_t last_phase;
static volatile uint32_t doorbells;
static uint32_t done_ticks;

static uint32_t phase_now(void)
{
	uint32_t p = SHM->phase;

	return p < PH_COUNT ? p : PH_DONE;
}

void flood_peer_init(void)
{
	/* Ticks outrank the doorbell: a pending tick is taken first. */
	gic_set_priority(0, INTID_VTIMER, 0x40);
	gic_spi_enable(GUEST_FLOOD_IRQ, 0xa0);
	print("peer: doorbell %u enabled, tick period %u ms\n", (unsigned)GUEST_FLOOD_IRQ,
	      (unsigned)TICK_MS);
}

/* Timer handler of vCPU 0 (timer.c): the gap since the previous tick counts
 * for the phase it ended in and the one it began in. */
void flood_peer_timer(uint64_t now)
{
	uint32_t p = phase_now();

	if (last_tick) {
		uint64_t gap = now - last_tick;

		if (gap > per_phase[p].max)
			per_phase[p].max = gap;
		if (gap > per_phase[last_phase].max)
			per_phase[last_phase].max = gap;
	}
	per_phase[p].ticks++;
	last_tick = now;
	last_phase = p;
}

void flood_peer_doorbell(void)
{
	doorbells++;
	(void)hvc_call(BAOHU_HC_IPC_EVENTS, FLOOD_ID, 0, 0);
}

/* Per phase, then the largest gap from the flood's start on (boot-time gaps
 * before it do not count, a gap reaching into phase a does). */
static void peer_report(const char *why)
{
	uint64_t mx = 0;
	unsigned p;

	print("peer: %s\n", why);
	for (p = 0; p < PH_COUNT; p++) {
		irq_mask(); /* a consistent snapshot of what the handler records */
		struct gaps g = per_phase[p];
		irq_unmask();
		print("phase %s: max tick gap %lu us over %u ticks\n", phase_names[p], us_of(g.max),
		      g.ticks);
		if (p != PH_BOOT && g.max > mx)
			mx = g.max;
	}
	print("doorbells taken: %u\n", doorbells);
	print("max tick gap: %lu us (period %lu us)\n", us_of(mx), (uint64_t)TICK_MS * 1000);
	system_off();
}

/* Thread context after each printed tick (main.c). */
void flood_peer_tick(uint32_t n)
{
	if (n == 2) {
		SHM->peer_ready = PEER_READY;
		dsb();
	}
	/* A few more ticks once the flood is over, so its end is measured too. */
	if (phase_now() == PH_DONE && ++done_ticks == 3)
		peer_report("flood over");
	if ((uint64_t)n * TICK_MS >= 60000)
		peer_report("flood never finished (60 s)");
}
#endif

#if GUEST_FLOOD_ROLE == FLOOD_ROLE_FLOOD
/* vCPU 0 runs the clock: `stage` is the phase, `running` says it is on. */
static volatile uint32_t stage, running;
/* vCPU 1's side: the phase it has finished, and what it did. */
static volatile uint32_t v1_done, v1_stalled, v1_errors;
static volatile uint64_t v1_count;
static volatile uint32_t sgis_taken;

void flood_sgi(unsigned k)
{
	if (k == 1)
		sgis_taken++;
}

static void wait_flag(volatile uint32_t *flag, uint32_t value, unsigned ms)
{
	uint64_t deadline = timer_now() + timer_ms(ms);

	while (*flag != value && timer_now() < deadline)
		cpu_relax();
}

static uint64_t phase_start(enum phase p)
{
	uint64_t t0 = timer_now();

	stage = p;
	SHM->phase = p;
	dmb();
	running = 1;
	dmb();
	return t0;
}

/* Ends the phase; returns its length in ms once vCPU 1 has finished it too. */
static uint64_t phase_end(enum phase p, uint64_t t0)
{
	running = 0;
	dmb();
	wait_flag(&v1_done, p, 5000);
	if (v1_done != p)
		print("flood: vcpu1 did not finish phase %s\n", phase_names[p]);
	return us_of(timer_now() - t0) / 1000;
}

static uint64_t deadline_of(uint64_t t0)
{
	return t0 + timer_ms(GUEST_FLOOD_PHASE_MS);
}

static void phase_a(void)
{
	uint64_t t0 = phase_start(PH_A), end = deadline_of(t0), n = 0;
	uint32_t errors = 0;

	while (timer_now() < end) {
		if (hvc_call(BAOHU_HC_IPC_NOTIFY, FLOOD_ID, FLOOD_EVENT, 0) != 0)
			errors++;
		n++;
		cpu_relax();
	}
	uint64_t ms = phase_end(PH_A, t0);
	print("flood phase a done: %lu notifies (vcpu0 %lu, vcpu1 %lu), %u errors, %lu ms\n",
	      n + v1_count, n, v1_count, errors + v1_errors, ms);
}

static void phase_b(void)
{
	uint64_t t0, end, n = 0;

	/* vCPU 1 masks IRQs first: every SGI finds it stalled. */
	t0 = phase_start(PH_B);
	wait_flag(&v1_stalled, 1, 2000);
	end = deadline_of(t0);
	while (timer_now() < end) {
		gic_send_sgi(1, INTID_SGI_FLOOD);
		n++;
		cpu_relax();
	}
	uint64_t ms = phase_end(PH_B, t0);
	print("flood phase b done: %lu sgis sent to the stalled vcpu1, vcpu1 took %u once unmasked, %lu ms\n",
	      n, sgis_taken, ms);
}

static void phase_c(void)
{
	uint64_t t0, end, n = 0;

	irq_mask();
	t0 = phase_start(PH_C);
	end = deadline_of(t0);
	while (timer_now() < end) {
		gic_dist_w32(GICD_ISPENDR1, ~0u);
		n++;
		cpu_relax();
	}
	uint64_t ms = phase_end(PH_C, t0);
	/* Take back what the storm set: nothing of this VM stays pending or enabled. */
	gic_dist_w32(GICD_ICENABLER1, ~0u);
	gic_dist_w32(GICD_ICPENDR1, ~0u);
	irq_unmask();
	print("flood phase c done: %lu ispendr1 writes (vcpu0), %lu isenabler1 writes (vcpu1), %lu ms\n",
	      n, v1_count, ms);
}

void flood_main(void)
{
	int32_t ret;

	ret = psci(PSCI_CPU_ON, 1, (uintptr_t)secondary_entry, 1);
	print("psci cpu_on(1) = %d\n", ret);
	wait_flag(&vcpus[1].online, 1, 2000);
	wait_flag(&SHM->peer_ready, PEER_READY, 10000);
	print("flood: peer %s, %u ms per phase\n", SHM->peer_ready == PEER_READY ? "ready" : "NOT ready",
	      (unsigned)GUEST_FLOOD_PHASE_MS);
	phase_a();
	phase_b();
	phase_c();
	SHM->phase = PH_DONE;
	dsb();
	print("flood: all phases done\n");
	system_off();
}

/* vCPU 1: its half of each phase, while vCPU 0 says the phase is on. */
void flood_secondary(unsigned k)
{
	uint32_t done = PH_BOOT;

	gic_enable(k, INTID_SGI_FLOOD);
	for (;;) {
		while (!(running && stage != done))
			cpu_relax();
		uint32_t p = stage;
		uint64_t n = 0, deadline;
		uint32_t errors = 0;

		switch (p) {
		case PH_A:
			while (running) {
				if (hvc_call(BAOHU_HC_IPC_NOTIFY, FLOOD_ID, FLOOD_EVENT, 0) != 0)
					errors++;
				n++;
				cpu_relax();
			}
			break;
		case PH_B:
			irq_mask();
			v1_stalled = 1;
			dmb();
			while (running)
				cpu_relax(); /* IRQs masked: the SGIs only pile up */
			irq_unmask();
			/* At least one arrives once unmasked (more if they are kept per source). */
			deadline = timer_now() + timer_ms(500);
			while (!sgis_taken && timer_now() < deadline)
				cpu_relax();
			break;
		case PH_C:
			irq_mask();
			while (running) {
				gic_dist_w32(GICD_ISENABLER1, ~0u);
				n++;
				cpu_relax();
			}
			irq_unmask();
			break;
		default:
			break;
		}
		v1_count = n;
		v1_errors = errors;
		dmb();
		done = p;
		v1_done = p;
	}
}
#endif
