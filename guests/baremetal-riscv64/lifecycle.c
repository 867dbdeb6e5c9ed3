/* Lifecycle races (tests/integration/test_lifecycle.py): harts resetting their VM at once, hart_start racing hart_start and a reset, state a reset must not carry over. */
#include "guest.h"
#include "riscv.h"
#include "sbi.h"

#if GUEST_LIFECYCLE

/*
 * lc_code is `li a0, LC_FRESH; ret` in the image (full-size encodings, so
 * one aligned word can be rewritten). A run rewrites its first instruction
 * to return LC_PATCHED (and checks that the new one runs) before the
 * reset: the next run must fetch the reloaded image, not the patched code.
 * lc_entry_b is a second hart_start entry that marks its use and goes on as
 * secondary_entry, so the started hart can tell which racing call won.
 */
#define LC_FRESH 0x11u
#define LC_PATCHED 0x22u
#define ADDI_A0(imm) (0x00000513u | ((uint32_t)(imm) << 20)) /* addi a0, zero, imm */
__asm__(".text\n"
	".balign 64\n"
	".global lc_code\n"
	"lc_code:\n"
	"	.word 0x01100513\n" /* ADDI_A0(LC_FRESH) */
	"	.word 0x00008067\n" /* ret */
	".global lc_entry_b\n"
	"lc_entry_b:\n"
	"	lla	t0, lc_entry_b_seen\n"
	"	li	t1, 1\n"
	"	sw	t1, 0(t0)\n"
	"	j	secondary_entry\n");
uint32_t lc_code(void);
extern char lc_entry_b[];
volatile uint32_t lc_entry_b_seen;

/* How long a vCPU waits for another (bounded, so a lost one is reported):
 * generous, since TCG on a loaded host can leave a vCPU thread unscheduled
 * for seconds of the guest's (host-time) counter. */
#define LC_WAIT_MS 15000u

#define LC_CTX_A 0xa0u
#define LC_CTX_B 0xb0u
#define LC_CTX_STORM 0x5707u
#define SBI_ERR_ALREADY_AVAILABLE (-6)
#define SBI_HSM_STOPPED 1

/* Zero at each run: Baohu reloads the image and zeroes the rest of RAM. */
static volatile uint32_t lc_ready[MAX_VCPUS];
static volatile uint32_t lc_fp_dirty_at_entry[MAX_VCPUS];
static volatile uint32_t lc_imsic_dirty_at_entry[MAX_VCPUS];
static volatile uint32_t lc_go, lc_go_reset, lc_phase, lc_race_told;
static volatile int64_t lc_ret_b;
static volatile uint32_t lc_ret_b_done;
static volatile uint64_t lc_seen_ctx;
static volatile uint32_t lc_seen_entry_b, lc_storm_starts;

/* f0-f31 without F in the build: fmv.x.d t0, fN (0xe2000053) and
 * fmv.d.x fN, t0 (0xf2000053), t0 = x5. */
#define LC_FP_OR(n, acc)                                                               \
	do {                                                                           \
		uint64_t v_;                                                           \
		__asm__ __volatile__(".word 0xe2000053 | (5 << 7) | (" #n " << 15)\n\t" \
				     "mv %0, t0" : "=r"(v_) : : "t0");                 \
		(acc) |= v_;                                                           \
	} while (0)
#define LC_FP_SET(n, v)                                                                \
	__asm__ __volatile__("mv t0, %0\n\t"                                           \
			     ".word 0xf2000053 | (" #n " << 7) | (5 << 15)"            \
			     : : "r"(v) : "t0")
#define LC_FP_EACH(op, a) op(0, a); op(1, a); op(2, a); op(3, a); op(4, a); op(5, a);     \
	op(6, a); op(7, a); op(8, a); op(9, a); op(10, a); op(11, a); op(12, a); op(13, a); \
	op(14, a); op(15, a); op(16, a); op(17, a); op(18, a); op(19, a); op(20, a);        \
	op(21, a); op(22, a); op(23, a); op(24, a); op(25, a); op(26, a); op(27, a);        \
	op(28, a); op(29, a); op(30, a); op(31, a)

/* Non-zero if any f register or fcsr holds something at entry. */
static uint64_t lc_fp_state(void)
{
	uint64_t acc = 0;

	csr_set(sstatus, 1ul << 13); /* FS = Initial: the guest's own FP enable */
	LC_FP_EACH(LC_FP_OR, acc);
	return acc | csr_read(0x003); /* fcsr */
}

static void lc_fp_dirty(unsigned k)
{
	uint64_t v = 0x400921fb00000000ul | k;

	LC_FP_EACH(LC_FP_SET, v);
	csr_write(0x003, 0x81); /* frm = RTZ... and NX */
}

#if GUEST_AIA
/*
 * The hart's interrupt file (AIA §3.8): at entry eidelivery, eithreshold
 * and every eip/eie register of the 255 identities QEMU virt's files have
 * must be 0; before the reset they are all set (interrupts stay masked:
 * sstatus.SIE is 0), so a reset that leaves any of them is seen.
 */
#define LC_SISELECT(v) __asm__ __volatile__("csrw 0x150, %0" : : "r"((uint64_t)(v)) : "memory")
static uint64_t lc_ireg_read(uint64_t sel)
{
	uint64_t v;

	LC_SISELECT(sel);
	__asm__ __volatile__("csrr %0, 0x151" : "=r"(v) : : "memory");
	return v;
}

static void lc_ireg_write(uint64_t sel, uint64_t v)
{
	LC_SISELECT(sel);
	__asm__ __volatile__("csrw 0x151, %0" : : "r"(v) : "memory");
}

static uint64_t lc_imsic_state(void)
{
	uint64_t acc = lc_ireg_read(0x70) | lc_ireg_read(0x72); /* eidelivery, eithreshold */

	for (unsigned r = 0; r < 8; r += 2) /* RV64: even registers only (§3.8.4) */
		acc |= lc_ireg_read(0x80 + r) | lc_ireg_read(0xc0 + r);
	return acc;
}

static void lc_imsic_dirty(void)
{
	for (unsigned r = 0; r < 8; r += 2) {
		lc_ireg_write(0xc0 + r, ~0ull);
		lc_ireg_write(0x80 + r, ~0ull);
	}
	lc_ireg_write(0x72, 5);
	lc_ireg_write(0x70, 1);
}
#else
static uint64_t lc_imsic_state(void) { return 0; }
static void lc_imsic_dirty(void) {}
#endif
#define LC_IMSIC_WORD(bad) (!GUEST_AIA ? "" : (bad) ? ", imsic BAD" : ", imsic clean")

/* The store, then FENCE.I (Zifencei, encoded: the guest's -march has no
 * zifencei for GCC): this hart fetches the new instruction. */
static void lc_code_patch(void)
{
	volatile uint32_t *insn = (volatile uint32_t *)(uintptr_t)lc_code;

	*insn = ADDI_A0(LC_PATCHED);
	__asm__ __volatile__("fence rw, rw\n\t.word 0x0000100f" : : : "memory");
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

static struct sbiret lc_hart_start(unsigned k, const void *entry, uint64_t opaque)
{
	return sbi_call(SBI_EXT_HSM, SBI_HSM_HART_START, k, (uintptr_t)entry, opaque, 0);
}

static void __attribute__((noreturn)) lc_reset(void)
{
	print("srst reboot returned %ld\n",
	      sbi_call(SBI_EXT_SRST, 0, SBI_SRST_COLD_REBOOT, 0, 0, 0).error);
	for (;;)
		wfi();
}

/* Mode 1: every hart calls SRST cold reboot at the same moment (see the
 * Arm guest's lifecycle.c: the same steps). */
static void __attribute__((noreturn)) lc_reset_race(void)
{
	unsigned k, n = 1, fp_bad = lc_fp_state() != 0, imsic_bad = lc_imsic_state() != 0;
	uint32_t code = lc_code();

	for (k = 1; k < GUEST_LC_VCPUS; k++) {
		struct sbiret r = lc_hart_start(k, secondary_entry, k);
		if (r.error != SBI_SUCCESS)
			print("hsm hart_start(%u) = %ld\n", k, r.error);
	}
	for (k = 1; k < GUEST_LC_VCPUS; k++)
		if (lc_wait(&lc_ready[k], LC_WAIT_MS)) {
			n++;
			fp_bad |= lc_fp_dirty_at_entry[k];
			imsic_bad |= lc_imsic_dirty_at_entry[k];
		}
	print("lifecycle run: %u vcpus, fp %s, code %s%s\n", n, fp_bad ? "BAD" : "clean",
	      lc_code_word(code), LC_IMSIC_WORD(imsic_bad));
	lc_code_patch();
	if (lc_code() != LC_PATCHED)
		print("patched code did not run\n");
	lc_fp_dirty(0);
	lc_imsic_dirty();
	fence();
	lc_go = 1;
	fence();
	lc_reset();
}

static void __attribute__((noreturn)) lc_reset_race_secondary(unsigned k)
{
	lc_fp_dirty_at_entry[k] = lc_fp_state() != 0;
	lc_imsic_dirty_at_entry[k] = lc_imsic_state() != 0;
	lc_fp_dirty(k);
	lc_imsic_dirty();
	fence();
	lc_ready[k] = 1;
	while (!lc_go)
		cpu_relax();
	lc_reset();
}

/*
 * Mode 2, harts 0-2. Phase 1: harts 0 and 1 call hart_start(2) at once,
 * with different entry points and opaque values; exactly one must succeed,
 * the other get SBI_ERR_ALREADY_AVAILABLE (SBI §9.1), and hart 2 must run
 * the winner's entry with the winner's opaque. Phase 2: hart 0 keeps
 * starting hart 2 (which stops itself at once) while hart 1 reboots the
 * VM: no such start may survive into the next run.
 */
static void __attribute__((noreturn)) lc_cpu_on_race(void)
{
	int64_t r0, r1;
	unsigned winner;
	int ok;

	lc_phase = 1;
	fence();
	r0 = lc_hart_start(1, secondary_entry, 1).error;
	if (r0 != SBI_SUCCESS || !lc_wait(&lc_ready[1], LC_WAIT_MS)) {
		print("hart_start(1) = %ld, vcpu1 %s\n", r0, lc_ready[1] ? "up" : "never came up");
		lc_reset();
	}
	lc_go = 1;
	fence();
	r0 = lc_hart_start(2, secondary_entry, LC_CTX_A).error;
	lc_wait(&lc_ret_b_done, LC_WAIT_MS);
	r1 = lc_ret_b;
	{
		uint64_t deadline = timer_now() + timer_ms(LC_WAIT_MS);
		while (!lc_seen_ctx && timer_now() < deadline)
			cpu_relax();
	}
	winner = r0 == SBI_SUCCESS ? 0 : 1;
	ok = (r0 == SBI_SUCCESS) != (r1 == SBI_SUCCESS) &&
	     (winner ? r0 : r1) == SBI_ERR_ALREADY_AVAILABLE &&
	     lc_seen_ctx == (winner ? LC_CTX_B : LC_CTX_A) && lc_seen_entry_b == winner;
	print("hart_start race: vcpu0 got %ld, vcpu1 got %ld; vcpu2 ran opaque 0x%lx from entry %s: %s\n",
	      r0, r1, lc_seen_ctx, lc_seen_entry_b ? "b" : "a", ok ? "ok" : "BAD");
	/* Phase 2 once hart 2 has stopped again: it stays started until both
	 * racing calls have returned, so the loser cannot find it stopped. */
	lc_race_told = 1;
	fence();
	{
		uint64_t deadline = timer_now() + timer_ms(LC_WAIT_MS);
		while (sbi_call(SBI_EXT_HSM, SBI_HSM_HART_GET_STATUS, 2, 0, 0, 0).value !=
			       SBI_HSM_STOPPED &&
		       timer_now() < deadline)
			cpu_relax();
	}
	lc_phase = 2;
	fence();
	lc_go_reset = 1;
	fence();
	for (;;)
		(void)lc_hart_start(2, secondary_entry, LC_CTX_STORM);
}

static void __attribute__((noreturn)) lc_cpu_on_race_secondary(unsigned k, uint64_t ctx)
{
	if (k == 1) {
		lc_ready[1] = 1;
		while (!lc_go)
			cpu_relax();
		lc_ret_b = lc_hart_start(2, lc_entry_b, LC_CTX_B).error;
		fence();
		lc_ret_b_done = 1;
		while (!lc_go_reset)
			cpu_relax();
		/* A varying delay (up to ~100 us of the 10 MHz time CSR), so the
		 * reboot lands at a different point of hart 0's loop each run. */
		uint64_t until = timer_now() + (timer_now() & 0x3ff);
		while (timer_now() < until)
			cpu_relax();
		lc_reset();
	}
	if (ctx == LC_CTX_STORM) {
		if (lc_phase != 2)
			print("vcpu%u UNEXPECTED start (opaque 0x%lx) in phase %u\n", k, ctx, lc_phase);
		lc_storm_starts++;
	} else if (lc_phase != 1 || lc_seen_ctx) {
		print("vcpu%u UNEXPECTED start (opaque 0x%lx) in phase %u\n", k, ctx, lc_phase);
	} else {
		lc_seen_entry_b = lc_entry_b_seen;
		fence();
		lc_seen_ctx = ctx;
		lc_wait(&lc_race_told, 2 * LC_WAIT_MS);
	}
	fence();
	lc_entry_b_seen = 0;
	sbi_call(SBI_EXT_HSM, SBI_HSM_HART_STOP, 0, 0, 0, 0);
	print("vcpu%u: hart_stop returned\n", k);
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
