/* The Arm side of the lifecycle races (guests/common/lifecycle.c): PSCI calls, FP/SIMD state, self-modifying code. */
#include "guest.h"
#include "lifecycle.h"
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
#define PSCI_AFF_OFF 1 /* AFFINITY_INFO: OFF (DEN0022 §5.7) */

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

/* Non-zero if any V register, FPCR or FPSR holds something at entry. */
uint64_t lc_fp_state(void)
{
	uint64_t acc = 0;

	sysreg_write(cpacr_el1, 3ul << 20); /* FPEN: no trap at EL1/EL0 */
	isb();
	LC_FP_EACH(LC_FP_OR, acc);
	return acc | sysreg_read(S3_3_C4_C4_0) | sysreg_read(S3_3_C4_C4_1); /* FPCR, FPSR */
}

void lc_fp_dirty(unsigned k)
{
	uint64_t v = 0x1f0000000000ul | ((uint64_t)k << 32) | 0xf9;

	LC_FP_EACH(LC_FP_SET, v);
	sysreg_write(S3_3_C4_C4_0, 0x03000000ul); /* FPCR.DN, FZ */
	sysreg_write(S3_3_C4_C4_1, 0x08000000ul); /* FPSR.QC */
}

/* The data write reaches the PoU, the old instruction leaves the I-cache
 * (Arm ARM D7.5.9.2, self-modifying code): then the new one must run. */
void lc_code_patch(void)
{
	volatile uint32_t *insn = (volatile uint32_t *)(uintptr_t)lc_code;

	*insn = MOVZ_W0(LC_PATCHED);
	__asm__ __volatile__("dc cvau, %0\n\tdsb ish\n\tic ivau, %0\n\tdsb ish\n\tisb"
			     : : "r"(insn) : "memory");
}

/* No other state: the GIC's is Baohu's to reset (the vGIC). */
uint64_t lc_other_state(void)
{
	return 0;
}

void lc_other_dirty(void)
{
}

const char *lc_other_word(int bad)
{
	(void)bad;
	return "";
}

/* A CPU_ON of a vCPU another CPU_ON has just started: ALREADY_ON, or
 * ON_PENDING while it is on its way (DEN0022 §5.6.2). */
int lc_start_lost(int64_t r)
{
	return r <= PSCI_ALREADY_ON && r >= PSCI_ON_PENDING;
}

int lc_cpu_is_off(unsigned k)
{
	return psci(PSCI_AFFINITY_INFO, k, 0, 0) == PSCI_AFF_OFF;
}

void lc_cpu_off(void)
{
	psci(PSCI_CPU_OFF, 0, 0, 0);
}

void lc_system_reset(void)
{
	print("system_reset returned %d\n", psci(PSCI_SYSTEM_RESET, 0, 0, 0));
}

#endif
