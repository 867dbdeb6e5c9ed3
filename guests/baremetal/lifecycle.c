/* Lifecycle races (tests/integration/test_lifecycle.py): vCPUs resetting their VM at once, CPU_ON racing CPU_ON and a reset, state a reset must not carry over. */
#include "arch.h"
#include "guest.h"
#include "psci.h"

#if GUEST_LIFECYCLE

/*
 * lc_code is `movz w0, #LC_FRESH; ret` in the image. A run rewrites its first
 * instruction to return LC_PATCHED (and checks that the new one runs) before
 * the reset: the next run must fetch the reloaded image, not a cached copy
 * of the patched code. lc_entry_b is a second CPU_ON entry point that marks
 * its use and goes on as secondary_entry, so the started vCPU can tell
 * which of two racing calls it was started by.
 */
#define LC_FRESH 0x11u
#define LC_PATCHED 0x22u
#define MOVZ_W0(imm) (0x52800000u | ((uint32_t)(imm) << 5)) /* MOVZ W0, #imm */
__asm__(".text\n"
	".balign 64\n"
	".global lc_code\n"
	"lc_code:\n"
	"	.inst 0x52800220\n" /* MOVZ_W0(LC_FRESH) */
	"	ret\n"
	".global lc_entry_b\n"
	"lc_entry_b:\n"
	"	adrp	x1, lc_entry_b_seen\n"
	"	add	x1, x1, :lo12:lc_entry_b_seen\n"
	"	mov	w2, #1\n"
	"	str	w2, [x1]\n"
	"	b	secondary_entry\n");
uint32_t lc_code(void);
extern char lc_entry_b[];
volatile uint32_t lc_entry_b_seen;

/* Context ids of the two racing CPU_ONs (phase 1) and of the storm (phase 2). */
/* How long a vCPU waits for another (bounded, so a lost one is reported):
 * generous, since TCG on a loaded host can leave a vCPU thread unscheduled
 * for seconds of the guest's (host-time) counter. */
#define LC_WAIT_MS 15000u

#define LC_CTX_A 0xa0u
#define LC_CTX_B 0xb0u
#define LC_CTX_STORM 0x5707u
#define PSCI_AFF_OFF 1 /* AFFINITY_INFO: OFF (DEN0022 §5.7) */

/* Plain loads and stores only: with the MMU off every access is Device
 * memory, where exclusives need not work (lock.c). Zero at each run: Baohu
 * reloads the image and zeroes the rest of RAM. */
static volatile uint32_t lc_ready[MAX_VCPUS];
static volatile uint32_t lc_fp_dirty_at_entry[MAX_VCPUS];
static volatile uint32_t lc_go, lc_go_reset, lc_phase, lc_race_told;
static volatile int32_t lc_ret_b;
static volatile uint32_t lc_ret_b_done;
static volatile uint64_t lc_seen_ctx;
static volatile uint32_t lc_seen_entry_b, lc_storm_starts;

/* FP/SIMD access from C without FP registers in the build: FMOV Xd, Dn
 * (0x9e660000) and UMOV Xd, Vn.D[1] (0x4e183c00) read, FMOV Dd, Xn
 * (0x9e670000) and INS Vd.D[1], Xn (0x4e181c00) write, through x9. */
#define LC_FP_OR(n, acc)                                                               \
	do {                                                                           \
		uint64_t lo_, hi_;                                                     \
		__asm__ __volatile__(".inst 0x9e660000 | (" #n " << 5) | 9\n\t"        \
				     "mov %0, x9\n\t"                                  \
				     ".inst 0x4e183c00 | (" #n " << 5) | 9\n\t"        \
				     "mov %1, x9" : "=r"(lo_), "=r"(hi_) : : "x9");    \
		(acc) |= lo_ | hi_;                                                    \
	} while (0)
#define LC_FP_SET(n, v)                                                                \
	__asm__ __volatile__("mov x9, %0\n\t"                                          \
			     ".inst 0x9e670000 | (9 << 5) | " #n "\n\t"                \
			     ".inst 0x4e181c00 | (9 << 5) | " #n : : "r"(v) : "x9")
#define LC_FP_EACH(op, a) op(0, a); op(1, a); op(2, a); op(3, a); op(4, a); op(5, a);     \
	op(6, a); op(7, a); op(8, a); op(9, a); op(10, a); op(11, a); op(12, a); op(13, a); \
	op(14, a); op(15, a); op(16, a); op(17, a); op(18, a); op(19, a); op(20, a);        \
	op(21, a); op(22, a); op(23, a); op(24, a); op(25, a); op(26, a); op(27, a);        \
	op(28, a); op(29, a); op(30, a); op(31, a)

/* Non-zero if any V register, FPCR or FPSR holds something at entry. */
static uint64_t lc_fp_state(void)
{
	uint64_t acc = 0;

	sysreg_write(cpacr_el1, 3ul << 20); /* FPEN: no trap at EL1/EL0 */
	isb();
	LC_FP_EACH(LC_FP_OR, acc);
	return acc | sysreg_read(S3_3_C4_C4_0) | sysreg_read(S3_3_C4_C4_1); /* FPCR, FPSR */
}

static void lc_fp_dirty(unsigned k)
{
	uint64_t v = 0x1f0000000000ul | ((uint64_t)k << 32) | 0xf9;

	LC_FP_EACH(LC_FP_SET, v);
	sysreg_write(S3_3_C4_C4_0, 0x03000000ul); /* FPCR.DN, FZ */
	sysreg_write(S3_3_C4_C4_1, 0x08000000ul); /* FPSR.QC */
}

/* The data write reaches the PoU, the old instruction leaves the I-cache
 * (Arm ARM D7.5.9.2, self-modifying code): then the new one must run. */
static void lc_code_patch(void)
{
	volatile uint32_t *insn = (volatile uint32_t *)(uintptr_t)lc_code;

	*insn = MOVZ_W0(LC_PATCHED);
	__asm__ __volatile__("dc cvau, %0\n\tdsb ish\n\tic ivau, %0\n\tdsb ish\n\tisb"
			     : : "r"(insn) : "memory");
}

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
	print("system_reset returned %d\n", psci(PSCI_SYSTEM_RESET, 0, 0, 0));
	for (;;)
		wfi();
}

/*
 * Mode 1: every vCPU calls SYSTEM_RESET at the same moment. vCPU 0 starts
 * the others; each checks that it entered with clean FP/SIMD state, then
 * dirties it and waits; vCPU 0 checks the code, patches it, and releases
 * them all. One "lifecycle run" line per run.
 */
static void __attribute__((noreturn)) lc_reset_race(void)
{
	unsigned k, n = 1, fp_bad = lc_fp_state() != 0;
	uint32_t code = lc_code();

	for (k = 1; k < GUEST_LC_VCPUS; k++) {
		int32_t r = psci(PSCI_CPU_ON, k, (uintptr_t)secondary_entry, k);
		if (r != PSCI_SUCCESS)
			print("psci cpu_on(%u) = %d\n", k, r);
	}
	for (k = 1; k < GUEST_LC_VCPUS; k++)
		if (lc_wait(&lc_ready[k], LC_WAIT_MS)) {
			n++;
			fp_bad |= lc_fp_dirty_at_entry[k];
		}
	print("lifecycle run: %u vcpus, fpsimd %s, code %s\n", n, fp_bad ? "BAD" : "clean",
	      lc_code_word(code));
	lc_code_patch();
	if (lc_code() != LC_PATCHED)
		print("patched code did not run\n");
	lc_fp_dirty(0);
	dsb();
	lc_go = 1;
	dsb();
	lc_reset();
}

static void __attribute__((noreturn)) lc_reset_race_secondary(unsigned k)
{
	lc_fp_dirty_at_entry[k] = lc_fp_state() != 0;
	lc_fp_dirty(k);
	dsb();
	lc_ready[k] = 1;
	while (!lc_go)
		cpu_relax();
	lc_reset();
}

/*
 * Mode 2, vCPUs 0-2. Phase 1: vCPUs 0 and 1 call CPU_ON(2) at once, with
 * different entry points and context ids; exactly one must succeed and the
 * other get ALREADY_ON or ON_PENDING (DEN0022 §5.6.2), and vCPU 2 must run
 * the winner's entry with the winner's context. Phase 2: vCPU 0 keeps
 * starting vCPU 2 (which powers itself off at once) while vCPU 1 resets
 * the VM: no such start may survive into the next run (vCPU 2 would come
 * up before vCPU 0 asked for it, which it reports).
 */
static void __attribute__((noreturn)) lc_cpu_on_race(void)
{
	int32_t r0, r1;
	unsigned winner;
	int ok;

	lc_phase = 1;
	dsb();
	r0 = psci(PSCI_CPU_ON, 1, (uintptr_t)secondary_entry, 1);
	if (r0 != PSCI_SUCCESS || !lc_wait(&lc_ready[1], LC_WAIT_MS)) {
		print("cpu_on(1) = %d, vcpu1 %s\n", r0, lc_ready[1] ? "up" : "never came up");
		lc_reset();
	}
	lc_go = 1;
	dsb();
	r0 = psci(PSCI_CPU_ON, 2, (uintptr_t)secondary_entry, LC_CTX_A);
	lc_wait(&lc_ret_b_done, LC_WAIT_MS);
	r1 = lc_ret_b;
	{
		uint64_t deadline = timer_now() + timer_ms(LC_WAIT_MS);
		while (!lc_seen_ctx && timer_now() < deadline)
			cpu_relax();
	}
	winner = r0 == PSCI_SUCCESS ? 0 : 1;
	ok = (r0 == PSCI_SUCCESS) != (r1 == PSCI_SUCCESS) &&
	     (winner ? r0 : r1) <= PSCI_ALREADY_ON && (winner ? r0 : r1) >= PSCI_ON_PENDING &&
	     lc_seen_ctx == (winner ? LC_CTX_B : LC_CTX_A) && lc_seen_entry_b == winner;
	print("cpu_on race: vcpu0 got %d, vcpu1 got %d; vcpu2 ran ctx 0x%lx from entry %s: %s\n",
	      r0, r1, lc_seen_ctx, lc_seen_entry_b ? "b" : "a", ok ? "ok" : "BAD");
	/* Phase 2 once vCPU 2 is off again: it stays on until both racing
	 * calls have returned, so the loser cannot find it off. */
	lc_race_told = 1;
	dsb();
	{
		uint64_t deadline = timer_now() + timer_ms(LC_WAIT_MS);
		while (psci(PSCI_AFFINITY_INFO, 2, 0, 0) != PSCI_AFF_OFF && timer_now() < deadline)
			cpu_relax();
	}
	lc_phase = 2;
	dsb();
	lc_go_reset = 1;
	dsb();
	for (;;)
		(void)psci(PSCI_CPU_ON, 2, (uintptr_t)secondary_entry, LC_CTX_STORM);
}

static void __attribute__((noreturn)) lc_cpu_on_race_secondary(unsigned k, uint64_t ctx)
{
	if (k == 1) {
		lc_ready[1] = 1;
		while (!lc_go)
			cpu_relax();
		lc_ret_b = psci(PSCI_CPU_ON, 2, (uintptr_t)lc_entry_b, LC_CTX_B);
		dsb();
		lc_ret_b_done = 1;
		while (!lc_go_reset)
			cpu_relax();
		/* A varying delay, so the reset lands at a different point of
		 * vCPU 0's CPU_ON loop each run. */
		uint64_t until = timer_now() + (timer_now() & 0x3ff);
		while (timer_now() < until)
			cpu_relax();
		lc_reset();
	}
	if (ctx == LC_CTX_STORM) {
		if (lc_phase != 2)
			print("vcpu%u UNEXPECTED start (ctx 0x%lx) in phase %u\n", k, ctx, lc_phase);
		lc_storm_starts++;
	} else if (lc_phase != 1 || lc_seen_ctx) {
		print("vcpu%u UNEXPECTED start (ctx 0x%lx) in phase %u\n", k, ctx, lc_phase);
	} else {
		lc_seen_entry_b = lc_entry_b_seen;
		dsb();
		lc_seen_ctx = ctx;
		lc_wait(&lc_race_told, 2 * LC_WAIT_MS);
	}
	dsb();
	lc_entry_b_seen = 0;
	psci(PSCI_CPU_OFF, 0, 0, 0);
	print("vcpu%u: cpu_off returned\n", k);
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
