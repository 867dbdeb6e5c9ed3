/* Claims probes (tests/integration/test_claims.py): PSCI/SMCCC FEATURES, shared memory not executable. */
#include "arch.h"
#include "claims.h"
#include "guest.h"

#if GUEST_CLAIMS

/*
 * 1: what PSCI_FEATURES (PSCI 1.1, DEN0022D §5.16) and SMCCC_ARCH_FEATURES (DEN0028 §7.3) answer
 * for implemented, unimplemented and out-of-range function ids, over HVC and SMC; the test holds
 * the spec's values. Printed raw, one line each.
 */
static const uint32_t psci_ids[] = {
	0x84000000, 0x84000001, 0xc4000001, 0x84000002, 0x84000003, 0xc4000003, 0x84000004,
	0xc4000004, 0x84000005, 0xc4000005, 0x84000006, 0x84000007, 0xc4000007, 0x84000008,
	0x84000009, 0x8400000a, 0x8400000b, 0xc400000c, 0xc400000d, 0xc400000e, 0x8400000f,
	0xc4000010, 0xc4000011, 0xc4000012, 0x84000013, 0x80000000, 0x80000001, 0xc4000000,
	0x8400001f, 0xc2000000,
};
static const uint32_t arch_ids[] = {
	0x80000000, 0x80000001, 0x80000002, 0x80008000, 0x80007fff, 0x80003fff, 0x8000ffff,
	0x84000000,
};
/* Unimplemented PSCI calls made directly: MIGRATE, CPU_FREEZE, SYSTEM_SUSPEND, SYSTEM_RESET2. */
static const uint32_t unimplemented[] = {0xc4000005, 0x8400000b, 0xc400000e, 0xc4000012};

static void claims_features(void)
{
	for (unsigned i = 0; i < sizeof(psci_ids) / sizeof(psci_ids[0]); i++)
		print("claims: hvc psci_features 0x%x = %ld\n", psci_ids[i],
		      hvc_call(0x8400000a, psci_ids[i], 0, 0));
	for (unsigned i = 0; i < sizeof(arch_ids) / sizeof(arch_ids[0]); i++)
		print("claims: hvc smccc_arch_features 0x%x = %ld\n", arch_ids[i],
		      hvc_call(0x80000001, arch_ids[i], 0, 0));
	for (unsigned i = 0; i < sizeof(unimplemented) / sizeof(unimplemented[0]); i++)
		print("claims: hvc call 0x%x = %ld\n", unimplemented[i], hvc_call(unimplemented[i], 0, 0, 0));
	print("claims: hvc smccc_version = 0x%lx\n", hvc_call(0x80000000, 0, 0, 0));
	print("claims: smc psci_features 0xc4000003 = %ld\n", smc_call(0x8400000a, 0xc4000003, 0, 0));
	print("claims: smc psci_features 0xc400000e = %ld\n", smc_call(0x8400000a, 0xc400000e, 0, 0));
	print("claims: smc smccc_arch_features 0x80000001 = %ld\n", smc_call(0x80000001, 0x80000001, 0, 0));
	print("claims: smc smccc_arch_features 0x80008000 = %ld\n", smc_call(0x80000001, 0x80008000, 0, 0));
	print("claims: features done\n");
}

/*
 * 2: the VM's own shared-memory object is readable and writable but never executable: a RET
 * written there and called must not return; the exception the VM receives is printed by
 * exceptions.c ("guest exception esr=... elr=... far=...").
 */
static void claims_shmem_exec(void)
{
	volatile uint32_t *code = (volatile uint32_t *)GUEST_CLAIMS_SHM;
	void (*call)(void) = (void (*)(void))GUEST_CLAIMS_SHM;

	code[0] = 0xd65f03c0u; /* ret */
	dsb();
	__asm__ __volatile__("ic iallu\n\tdsb sy\n\tisb" : : : "memory");
	print("shmem: wrote ret at 0x%lx, reads back 0x%x; calling it\n", (uint64_t)GUEST_CLAIMS_SHM,
	      code[0]);
	call();
	print("shmem: the call returned: shared memory is executable\n");
}

void claims_main(void)
{
	if (GUEST_CLAIMS == CLAIMS_FEATURES)
		claims_features();
	else if (GUEST_CLAIMS == CLAIMS_SHMEM_EXEC)
		claims_shmem_exec();
}
#endif
