/* Lifecycle races (tests/integration/test_lifecycle.py) of both bare-metal guests: vCPUs resetting their VM at once, a CPU start racing another and a reset, state a reset must not carry over. */
#include "guest.h"
#include "lifecycle.h"

#if GUEST_LIFECYCLE

volatile uint32_t lc_entry_b_seen;

/* How long a vCPU waits for another (bounded, so a lost one is reported):
 * generous, since TCG on a loaded host can leave a vCPU thread unscheduled
 * for seconds of the guest's (host-time) counter. */
#define LC_WAIT_MS 15000u

/* Context ids of the two racing starts (phase 1) and of the storm (phase 2). */
#define LC_CTX_A 0xa0u
#define LC_CTX_B 0xb0u
#define LC_CTX_STORM 0x5707u

/* Plain loads and stores only: on Arm, with the MMU off, every access is
 * Device memory, where exclusives need not work. Zero at each run: Baohu
 * reloads the image and zeroes the rest of RAM. */
static volatile uint32_t lc_ready[MAX_VCPUS];
static volatile uint32_t lc_fp_dirty_at_entry[MAX_VCPUS];
static volatile uint32_t lc_other_dirty_at_entry[MAX_VCPUS];
static volatile uint32_t lc_go, lc_go_reset, lc_phase, lc_race_told;
static volatile int64_t lc_ret_b;
static volatile uint32_t lc_ret_b_done;
static volatile uint64_t lc_seen_ctx;
static volatile uint32_t lc_seen_entry_b, lc_storm_starts;

static const char *lc_code_word(uint32_t v)
{
	return v == LC_FRESH ? "fresh" : v == LC_PATCHED ? "STALE" : "BAD";
}

static int lc_wait(volatile uint32_t *flag, unsigned ms)
{
	uint64_t deadline = timer_now() + timer_ms(ms);

	while (!*flag && timer_now() < deadline)
		cpu_relax();
	return *flag != 0;
}

static void __attribute__((noreturn)) lc_reset(void)
{
	lc_system_reset();
	for (;;)
		wfi();
}

/*
 * Mode 1: every vCPU resets the VM at the same moment. vCPU 0 starts the
 * others; each checks that it entered with clean FP state (and, where the
 * guest has one, a clean interrupt file), then dirties it and waits; vCPU 0
 * checks the code, patches it, and releases them all. One "lifecycle run"
 * line per run.
 */
static void __attribute__((noreturn)) lc_reset_race(void)
{
	unsigned k, n = 1, fp_bad = lc_fp_state() != 0, other_bad = lc_other_state() != 0;
	uint32_t code = lc_code();

	for (k = 1; k < GUEST_LC_VCPUS; k++) {
		int64_t r = cpu_start(k, secondary_entry, k);
		if (r != 0)
			print(CPU_START_CALL "(%u) = %ld\n", k, r);
	}
	for (k = 1; k < GUEST_LC_VCPUS; k++)
		if (lc_wait(&lc_ready[k], LC_WAIT_MS)) {
			n++;
			fp_bad |= lc_fp_dirty_at_entry[k];
			other_bad |= lc_other_dirty_at_entry[k];
		}
	print("lifecycle run: %u vcpus, " LC_FP " %s, code %s%s\n", n, fp_bad ? "BAD" : "clean",
	      lc_code_word(code), lc_other_word(other_bad));
	lc_code_patch();
	if (lc_code() != LC_PATCHED)
		print("patched code did not run\n");
	lc_fp_dirty(0);
	lc_other_dirty();
	mb();
	lc_go = 1;
	mb();
	lc_reset();
}

static void __attribute__((noreturn)) lc_reset_race_secondary(unsigned k)
{
	lc_fp_dirty_at_entry[k] = lc_fp_state() != 0;
	lc_other_dirty_at_entry[k] = lc_other_state() != 0;
	lc_fp_dirty(k);
	lc_other_dirty();
	mb();
	lc_ready[k] = 1;
	while (!lc_go)
		cpu_relax();
	lc_reset();
}

/*
 * Mode 2, vCPUs 0-2. Phase 1: vCPUs 0 and 1 start vCPU 2 at once, with
 * different entry points and context ids; exactly one must succeed and the
 * other get what the architecture gives a second start (lc_start_lost:
 * PSCI ALREADY_ON or ON_PENDING, DEN0022 §5.6.2; SBI_ERR_ALREADY_AVAILABLE,
 * SBI §9.1), and vCPU 2 must run the winner's entry with the winner's
 * context. Phase 2: vCPU 0 keeps starting vCPU 2 (which powers itself off
 * at once) while vCPU 1 resets the VM: no such start may survive into the
 * next run (vCPU 2 would come up before vCPU 0 asked for it, which it
 * reports).
 */
static void __attribute__((noreturn)) lc_cpu_on_race(void)
{
	int64_t r0, r1;
	unsigned winner;
	int ok;

	lc_phase = 1;
	mb();
	r0 = cpu_start(1, secondary_entry, 1);
	if (r0 != 0 || !lc_wait(&lc_ready[1], LC_WAIT_MS)) {
		print(CPU_START "(1) = %ld, vcpu1 %s\n", r0, lc_ready[1] ? "up" : "never came up");
		lc_reset();
	}
	lc_go = 1;
	mb();
	r0 = cpu_start(2, secondary_entry, LC_CTX_A);
	lc_wait(&lc_ret_b_done, LC_WAIT_MS);
	r1 = lc_ret_b;
	{
		uint64_t deadline = timer_now() + timer_ms(LC_WAIT_MS);
		while (!lc_seen_ctx && timer_now() < deadline)
			cpu_relax();
	}
	winner = r0 == 0 ? 0 : 1;
	ok = (r0 == 0) != (r1 == 0) && lc_start_lost(winner ? r0 : r1) &&
	     lc_seen_ctx == (winner ? LC_CTX_B : LC_CTX_A) && lc_seen_entry_b == winner;
	print(CPU_START " race: vcpu0 got %ld, vcpu1 got %ld; vcpu2 ran " LC_CTX " 0x%lx from entry %s: %s\n",
	      r0, r1, lc_seen_ctx, lc_seen_entry_b ? "b" : "a", ok ? "ok" : "BAD");
	/* Phase 2 once vCPU 2 is off again: it stays on until both racing
	 * calls have returned, so the loser cannot find it off. */
	lc_race_told = 1;
	mb();
	{
		uint64_t deadline = timer_now() + timer_ms(LC_WAIT_MS);
		while (!lc_cpu_is_off(2) && timer_now() < deadline)
			cpu_relax();
	}
	lc_phase = 2;
	mb();
	lc_go_reset = 1;
	mb();
	for (;;)
		(void)cpu_start(2, secondary_entry, LC_CTX_STORM);
}

static void __attribute__((noreturn)) lc_cpu_on_race_secondary(unsigned k, uint64_t ctx)
{
	if (k == 1) {
		lc_ready[1] = 1;
		while (!lc_go)
			cpu_relax();
		lc_ret_b = cpu_start(2, lc_entry_b, LC_CTX_B);
		mb();
		lc_ret_b_done = 1;
		while (!lc_go_reset)
			cpu_relax();
		/* A varying delay, so the reset lands at a different point of
		 * vCPU 0's start loop each run. */
		uint64_t until = timer_now() + (timer_now() & 0x3ff);
		while (timer_now() < until)
			cpu_relax();
		lc_reset();
	}
	if (ctx == LC_CTX_STORM) {
		if (lc_phase != 2)
			print("vcpu%u UNEXPECTED start (" LC_CTX " 0x%lx) in phase %u\n", k, ctx, lc_phase);
		lc_storm_starts++;
	} else if (lc_phase != 1 || lc_seen_ctx) {
		print("vcpu%u UNEXPECTED start (" LC_CTX " 0x%lx) in phase %u\n", k, ctx, lc_phase);
	} else {
		lc_seen_entry_b = lc_entry_b_seen;
		mb();
		lc_seen_ctx = ctx;
		lc_wait(&lc_race_told, 2 * LC_WAIT_MS);
	}
	mb();
	lc_entry_b_seen = 0;
	lc_cpu_off();
	print("vcpu%u: " LC_OFF " returned\n", k);
	for (;;)
		wfi();
}

void lifecycle_main(void)
{
	if (GUEST_LIFECYCLE == LC_MODE_RESET_RACE)
		lc_reset_race();
	lc_cpu_on_race();
}

void lifecycle_secondary(unsigned k, uint64_t ctx)
{
	if (GUEST_LIFECYCLE == LC_MODE_RESET_RACE)
		lc_reset_race_secondary(k);
	lc_cpu_on_race_secondary(k, ctx);
}

#endif
