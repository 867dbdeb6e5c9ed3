/* The guest's SBI conduit: ecall with a7 = extension, a6 = function (SBI §3). */
#include <baohu/hypercall.h>
#include "guest.h"
#include "sbi.h"

struct sbiret sbi_call(uint64_t ext, uint64_t fid, uint64_t a0, uint64_t a1, uint64_t a2,
		       uint64_t a3)
{
	register uint64_t r0 __asm__("a0") = a0;
	register uint64_t r1 __asm__("a1") = a1;
	register uint64_t r2 __asm__("a2") = a2;
	register uint64_t r3 __asm__("a3") = a3;
	register uint64_t r6 __asm__("a6") = fid;
	register uint64_t r7 __asm__("a7") = ext;

	__asm__ __volatile__("ecall"
			     : "+r"(r0), "+r"(r1)
			     : "r"(r2), "r"(r3), "r"(r6), "r"(r7)
			     : "memory");
	return (struct sbiret){ (int64_t)r0, (int64_t)r1 };
}

/* Legacy console_putchar (SBI §5.2): the only console OpenSBI 1.1 has. */
void sbi_putchar(char c)
{
	register uint64_t r0 __asm__("a0") = (uint8_t)c;
	register uint64_t r7 __asm__("a7") = SBI_EXT_LEGACY_PUTCHAR;

	__asm__ __volatile__("ecall" : "+r"(r0) : "r"(r7) : "a1", "memory");
}

/* guests/common's CPU start: SBI HSM hart_start of hart k (SBI §9.1), its
 * opaque arriving in a1. */
int64_t cpu_start(unsigned k, const void *entry, uint64_t ctx)
{
	return sbi_call(SBI_EXT_HSM, SBI_HSM_HART_START, k, (uintptr_t)entry, ctx, 0).error;
}

/* Baohu's calls through SBI (include/baohu/hypercall.h, RISC-V part): a6 is
 * the n of BAOHU_HC_ID(n); the error is SBI's (-3 INVALID_PARAM, -4 DENIED
 * where Arm returns -2, -3). */
int64_t baohu_hc(uint64_t id, uint64_t a0, uint64_t a1)
{
	struct sbiret r = sbi_call(BAOHU_SBI_EXT, id & ~BAOHU_HC_BASE, a0, a1, 0, 0);

	return r.error != 0 ? r.error : r.value;
}
