/* Firmware/hypervisor call conduits (hvc #0, smc #0) and the PSCI wrapper. */
#include "guest.h"
#include "psci.h"

/* Set by the exception handler when `smc #0` was UNDEFINED (no EL3, no trap). */
volatile uint32_t smc_undefined;

/*
 * SMCCC (Arm DEN0028, "Argument passing"): arguments in x0..x3 here,
 * result in x0; under SMCCC v1.0 x4..x17 may be corrupted, so they are
 * declared clobbered.
 */
#define CONDUIT(insn, x0, x1, x2, x3) __extension__({ \
	register uint64_t r0_ __asm__("x0") = (x0); \
	register uint64_t r1_ __asm__("x1") = (x1); \
	register uint64_t r2_ __asm__("x2") = (x2); \
	register uint64_t r3_ __asm__("x3") = (x3); \
	__asm__ __volatile__(insn \
		: "+r"(r0_), "+r"(r1_), "+r"(r2_), "+r"(r3_) \
		: \
		: "x4", "x5", "x6", "x7", "x8", "x9", "x10", "x11", "x12", \
		  "x13", "x14", "x15", "x16", "x17", "memory"); \
	(int64_t)r0_; \
})

int64_t hvc_call(uint64_t x0, uint64_t x1, uint64_t x2, uint64_t x3)
{
	return CONDUIT("hvc #0", x0, x1, x2, x3);
}

int64_t smc_call(uint64_t x0, uint64_t x1, uint64_t x2, uint64_t x3)
{
	return CONDUIT("smc #0", x0, x1, x2, x3);
}

/* Baohu's calls (include/baohu/hypercall.h): through hvc #0, result in x0. */
int64_t baohu_hc(uint64_t id, uint64_t a0, uint64_t a1)
{
	return hvc_call(id, a0, a1, 0);
}

/* guests/common's CPU start: PSCI CPU_ON of the vCPU whose MPIDR Aff0 is k
 * (target = affinity fields only), its context id arriving in x0. */
int64_t cpu_start(unsigned k, const void *entry, uint64_t ctx)
{
	return psci(PSCI_CPU_ON, k, (uintptr_t)entry, ctx);
}

/* PSCI results are 32-bit signed, also for SMC64 calls (DEN0022, "Return error codes"). */
int32_t psci(uint32_t fid, uint64_t a1, uint64_t a2, uint64_t a3)
{
	return (int32_t)hvc_call(fid, a1, a2, a3);
}
