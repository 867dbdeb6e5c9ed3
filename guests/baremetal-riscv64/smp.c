/* Secondary vCPU bring-up with SBI HSM, its checks, remote fences and the IPI ping. */
#include "guest.h"
#include "riscv.h"
#include "sbi.h"

/* vCPU 0: start harts 1, 2, ... until hart_start fails (SBI §9.1). */
void smp_boot(void)
{
	unsigned k, started;
	struct sbiret r;

	csr_set(sie, 1u << IRQ_SSI);
	/* Harts 1 to 63; opaque = k arrives in a1. */
	started = smp_start_all(64);

	/* Then the HSM state. */
	print("hsm hart_start(1) again = %ld\n",
	      sbi_call(SBI_EXT_HSM, SBI_HSM_HART_START, 1, (uintptr_t)secondary_entry, 1, 0).error);
	r = sbi_call(SBI_EXT_HSM, SBI_HSM_HART_GET_STATUS, 1, 0, 0, 0);
	print("hsm hart_get_status(1) = %ld/%ld\n", r.error, r.value);
	/* Every hart of the VM (mask base -1), the whole address space. */
	print("rfence sfence_vma(all) = %ld\n",
	      sbi_call(SBI_EXT_RFENCE, SBI_RFENCE_SFENCE_VMA, 0, (uint64_t)-1, 0, 0).error);

	/* An SBI IPI, or with the AIA an MSI straight into the target's file. */
	for (k = 1; k <= started; k++)
		if (vcpus[k].online) {
			if (GUEST_AIA)
				imsic_send(k, EIID_IPI);
			else
				sbi_call(SBI_EXT_IPI, 0, 1, k, 0, 0);
		}
}
