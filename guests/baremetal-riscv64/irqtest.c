/* Interrupt-delivery tests: a source armed while its vCPU is off, SRST from inside the RTC handler, a flood beside a ticking peer. */
#include <baohu/hypercall.h>
#include "guest.h"
#include "riscv.h"
#include "sbi.h"

#define RTC_SRC 11u
#define APLIC_SM_LEVEL_HIGH 6u
#define APLIC_SM_EDGE1 4u
#define MS_NS 1000000ull

/* The deadline of the alarm armed last (RTC nanoseconds): an interrupt that
 * arrives before it is a left-over of an earlier alarm, not this one. */
static volatile uint64_t alarm_at;
static volatile uint32_t alarm_armed;

/* Wait (interrupts taken) until *flag is non-zero or `ms` have passed; the
 * check-then-WFI runs masked, as in tick_loop. The vCPU's tick (timer_start)
 * is the wake source that ends a timed-out wait. */
static int wait_for(volatile uint32_t *flag, unsigned ms)
{
	uint64_t end = timer_now() + timer_ms(ms);

	for (;;) {
		irq_mask();
		if (*flag || timer_now() >= end) {
			irq_unmask();
			return *flag != 0;
		}
		wfi();
		irq_unmask();
	}
}

static void sleep_ms(unsigned ms)
{
	static volatile uint32_t never;

	wait_for(&never, ms);
}

static void rtc_arm_in(uint64_t ms)
{
	alarm_at = rtc_time() + ms * MS_NS;
	fence();
	alarm_armed = 1;
	rtc_alarm(alarm_at);
}

/* The RTC source goes to hart k's S context / interrupt file only. */
static void rtc_source_move(unsigned k)
{
	if (GUEST_AIA) {
		aplic_source_target(RTC_SRC, k);
		return;
	}
	for (unsigned h = 0; h < 2; h++)
		plic_source_route(RTC_SRC, h, h == k);
}

/* The RTC source active (priority 1 / level-high, enabled) and sent to hart k. */
static void rtc_source_to(unsigned k)
{
	if (GUEST_AIA)
		aplic_source_enable(RTC_SRC, APLIC_SM_LEVEL_HIGH);
	else
		plic_source_priority(RTC_SRC, 1);
	rtc_source_move(k);
}

static void reboot(void) __attribute__((noreturn));
static void reboot(void)
{
	sbi_call(SBI_EXT_SRST, 0, SBI_SRST_COLD_REBOOT, 0, 0, 0);
	print("srst reboot returned\n");
	for (;;)
		wfi();
}

/* The RTC's interrupt in the HSM and reset tests (the PLIC completes it on
 * return unless the VM reboots first). */
void irqtest_rtc(unsigned k)
{
	if (!alarm_armed || rtc_time() < alarm_at) {
		rtc_ack();
		print("vcpu%u stale rtc interrupt ignored\n", k);
		return;
	}
	if (GUEST_IRQ_RESET) {
		/* Neither the device nor the PLIC hear of this one: the reset must. */
		print("irq-reset: rtc alarm irq 11 in the handler: sbi srst reboot\n");
		reboot();
	}
	rtc_ack();
	alarm_armed = 0;
	vcpus[k].rtc++;
}

/* --- HSM: vCPU 0 stops, vCPU 1 takes the RTC, then routes it to the stopped vCPU 0. */

void irq_hsm_boot(void)
{
	struct sbiret r;

	timer_start(0);
	csr_set(sie, 1u << IRQ_SSI);
	r = sbi_call(SBI_EXT_HSM, SBI_HSM_HART_START, 1, (uintptr_t)secondary_entry, 1, 0);
	print("irq-hsm: hart_start(1) = %ld\n", r.error);
	wait_for(&vcpus[1].online, 2000);
	print("irq-hsm: vcpu0 hart_stop\n");
	r = sbi_call(SBI_EXT_HSM, SBI_HSM_HART_STOP, 0, 0, 0, 0);
	print("irq-hsm: hart_stop returned %ld\n", r.error);
	for (;;)
		wfi();
}

static void irq_hsm_vcpu1(void)
{
	struct sbiret r;
	unsigned i;

	timer_start(1);
	for (i = 0; i < 20; i++) {
		r = sbi_call(SBI_EXT_HSM, SBI_HSM_HART_GET_STATUS, 0, 0, 0, 0);
		if (r.error == SBI_SUCCESS && r.value == SBI_HSM_STATE_STOPPED)
			break;
		sleep_ms(100);
	}
	print("irq-hsm: vcpu0 status %ld/%ld; rtc to vcpu1\n", r.error, r.value);
	rtc_ack();
	rtc_source_to(1);
	csr_set(sie, 1u << IRQ_SEI);
	rtc_irq_on();
	rtc_arm_in(100);
	if (wait_for(&vcpus[1].rtc, 3000))
		print("irq-hsm: vcpu1 rtc alarm irq 11 with vcpu0 off\n");
	else
		print("irq-hsm: vcpu1 saw no rtc alarm in 3 s\n");

	/* The source now goes to vCPU 0 only, which is still off: its alarm
	 * must wait for it, not be dropped. */
	rtc_source_move(0);
	rtc_arm_in(100);
	sleep_ms(600);
	print("irq-hsm: alarm due while the rtc goes to stopped vcpu0; hart_start(0)\n");
	r = sbi_call(SBI_EXT_HSM, SBI_HSM_HART_START, 0, (uintptr_t)secondary_entry, 0, 0);
	print("irq-hsm: hart_start(0) = %ld\n", r.error);
}

void irq_hsm_secondary(unsigned k)
{
	if (k == 1) {
		irq_hsm_vcpu1();
		tick_loop(1);
	}
	/* vCPU 0 again: its PLIC context (or interrupt file target) was set up
	 * by vCPU 1; it only has to take interrupts. */
	timer_start(k);
	csr_set(sie, 1u << IRQ_SEI);
	if (wait_for(&vcpus[k].rtc, 3000))
		print("irq-hsm: vcpu%u rtc alarm irq 11 after hart_start\n", k);
	else
		print("irq-hsm: vcpu%u saw no rtc alarm in 3 s\n", k);
	tick_loop(k);
}

/* --- Reset: the alarm's handler reboots the VM before completing it. */

void irq_reset_boot(void)
{
	print("irq-reset: boot, rtc alarm in 300 ms\n");
	rtc_ack();
	rtc_source_to(0);
	csr_set(sie, 1u << IRQ_SEI);
	rtc_irq_on();
	rtc_arm_in(300);
}

/* --- Flood: vCPU 0 notifies the peer and IPIs vCPU 1 back to back; vCPU 1
 * notifies too, with interrupts masked (its IPIs pile up unseen). */

#define IPC_ID 0
#define EVENT_FLOOD 1
static volatile uint32_t flood_done;

static int64_t notify(void)
{
	return sbi_call(BAOHU_SBI_EXT, BAOHU_HC_IPC_NOTIFY & ~BAOHU_HC_BASE, IPC_ID, EVENT_FLOOD, 0,
			0).error;
}

void flood_boot(void)
{
	struct sbiret r;
	uint32_t notifies = 0, ipis = 0, errors = 0;
	uint64_t end;

	timer_start(0);
	r = sbi_call(SBI_EXT_HSM, SBI_HSM_HART_START, 1, (uintptr_t)secondary_entry, 1, 0);
	print("flood: hart_start(1) = %ld\n", r.error);
	wait_for(&vcpus[1].online, 2000);
	print("flood: %u ms of notifies and ipis\n", GUEST_FLOOD_MS);
	end = timer_now() + timer_ms(GUEST_FLOOD_MS);
	while (timer_now() < end) {
		errors += notify() != 0;
		notifies++;
		errors += sbi_call(SBI_EXT_IPI, 0, 1u << 1, 0, 0, 0).error != 0;
		ipis++;
	}
	flood_done = 1;
	fence();
	print("flood: vcpu0 sent %u notifies and %u ipis to vcpu1, %u errors\n", notifies, ipis,
	      errors);
	/* Once vCPU 1 has taken the piled-up IPI (and anything it brings
	 * along has settled), one more must still arrive. */
	wait_for(&vcpus[1].pings, 3000);
	sleep_ms(400);
	uint32_t seen = vcpus[1].pings;
	sbi_call(SBI_EXT_IPI, 0, 1u << 1, 0, 0, 0);
	uint64_t until = timer_now() + timer_ms(2000);
	while (vcpus[1].pings == seen && timer_now() < until)
		sleep_ms(10);
	print("flood: ipi after the storm %s (vcpu1 took %u)\n",
	      vcpus[1].pings != seen ? "taken" : "lost", vcpus[1].pings);
	tick_loop(0);
}

void flood_secondary(unsigned k)
{
	uint32_t notifies = 0, errors = 0;

	/* sstatus.SIE stays 0 here: the IPIs stay pending in sip. */
	while (!flood_done) {
		errors += notify() != 0;
		notifies++;
	}
	print("flood: vcpu%u sent %u notifies with interrupts masked, %u errors, ipi %s\n", k,
	      notifies, errors, csr_read(sip) & (1u << IRQ_SSI) ? "pending" : "not pending");
	tick_loop(k);
}

/* --- Ticker: the flood's peer. Its doorbell is taken at most once per tick
 * (completed, or unmasked in the interrupt file, from the tick loop). It
 * takes its IPC events on every tick, doorbell or not: Baohu rings once per
 * 0->1 of the events word, so a receiver that took them only after a
 * doorbell would never hear again if one were lost.
 *
 * Every take that finds events ends exactly one 0->1 of the word, and each
 * 0->1 rings exactly once, so once the senders are quiet the doorbells
 * taken equal the takes that found events. While they are not, a doorbell
 * may still be on its way (its sender is between setting the word and
 * raising the interrupt), so only the totals are compared, by the test,
 * after the flood. */

static volatile uint32_t doorbells;
static volatile uint32_t deferred;
static uint64_t last_tick, max_gap;
static uint32_t event_takes;

void ticker_init(void)
{
	if (GUEST_AIA) {
		aplic_source_enable(GUEST_IPC_IRQ, APLIC_SM_EDGE1);
	} else {
		plic_source_enable(GUEST_IPC_IRQ);
	}
}

int ticker_doorbell(unsigned k, unsigned src)
{
	(void)k;
	doorbells++;
	if (GUEST_AIA)
		imsic_enable(src, 0);
	else
		deferred = src;
	return 0;
}

/* Before tick n is printed: the gap since the last one, in time CSR ticks. */
void ticker_tick(uint32_t n)
{
	uint64_t now = timer_now();

	if (last_tick && now - last_tick > max_gap)
		max_gap = now - last_tick;
	last_tick = now;
	/* Taking the events re-arms the doorbell (one per 0->1 of the events
	 * word, src/core/ipc.c). */
	if (sbi_call(BAOHU_SBI_EXT, BAOHU_HC_IPC_EVENTS & ~BAOHU_HC_BASE, IPC_ID, 0, 0, 0).value)
		event_takes++;
	if (GUEST_AIA) {
		imsic_enable(GUEST_IPC_IRQ, 1);
	} else if (deferred) {
		/* Cleared first: the completion lets the next one in at once. */
		unsigned src = deferred;
		deferred = 0;
		plic_complete(0, src);
	}
	if (n % 5 == 0)
		print("ticker: max tick gap %lu us (period %u us) over %u ticks, %u doorbells, "
		      "%u takes with events\n",
		      max_gap / (TIMEBASE_HZ / 1000000), TICK_MS * 1000u, n, doorbells, event_takes);
}
