/* The RV64 side of the lifecycle races (guests/common/lifecycle.c): SBI HSM and SRST, FP state, the interrupt file, self-modifying code. */
#include "guest.h"
#include "lifecycle.h"
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
#define SBI_ERR_ALREADY_AVAILABLE (-6)

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

/* Non-zero if any f register or fcsr holds something at entry. */
uint64_t lc_fp_state(void)
{
	uint64_t acc = 0;

	csr_set(sstatus, 1ul << 13); /* FS = Initial: the guest's own FP enable */
	LC_FP_EACH(LC_FP_OR, acc);
	return acc | csr_read(0x003); /* fcsr */
}

void lc_fp_dirty(unsigned k)
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

uint64_t lc_other_state(void)
{
	uint64_t acc = lc_ireg_read(0x70) | lc_ireg_read(0x72); /* eidelivery, eithreshold */

	for (unsigned r = 0; r < 8; r += 2) /* RV64: even registers only (§3.8.4) */
		acc |= lc_ireg_read(0x80 + r) | lc_ireg_read(0xc0 + r);
	return acc;
}

void lc_other_dirty(void)
{
	for (unsigned r = 0; r < 8; r += 2) {
		lc_ireg_write(0xc0 + r, ~0ull);
		lc_ireg_write(0x80 + r, ~0ull);
	}
	lc_ireg_write(0x72, 5);
	lc_ireg_write(0x70, 1);
}
#else
uint64_t lc_other_state(void)
{
	return 0;
}

void lc_other_dirty(void)
{
}
#endif

const char *lc_other_word(int bad)
{
	return !GUEST_AIA ? "" : bad ? ", imsic BAD" : ", imsic clean";
}

/* The store, then FENCE.I (Zifencei, encoded: the guest's -march has no
 * zifencei for GCC): this hart fetches the new instruction. */
void lc_code_patch(void)
{
	volatile uint32_t *insn = (volatile uint32_t *)(uintptr_t)lc_code;

	*insn = ADDI_A0(LC_PATCHED);
	__asm__ __volatile__("fence rw, rw\n\t.word 0x0000100f" : : : "memory");
}

/* A hart_start of a hart another hart_start has just started (SBI §9.1). */
int lc_start_lost(int64_t r)
{
	return r == SBI_ERR_ALREADY_AVAILABLE;
}

int lc_cpu_is_off(unsigned k)
{
	return sbi_call(SBI_EXT_HSM, SBI_HSM_HART_GET_STATUS, k, 0, 0, 0).value == SBI_HSM_STATE_STOPPED;
}

void lc_cpu_off(void)
{
	sbi_call(SBI_EXT_HSM, SBI_HSM_HART_STOP, 0, 0, 0, 0);
}

void lc_system_reset(void)
{
	print("srst reboot returned %ld\n", sbi_call(SBI_EXT_SRST, 0, SBI_SRST_COLD_REBOOT, 0, 0, 0).error);
}

#endif
