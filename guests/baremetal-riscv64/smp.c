/* Secondary vCPU bring-up with SBI HSM, its checks, remote fences and the IPI ping. */
#include "guest.h"
#include "riscv.h"
#include "sbi.h"

/* vCPU 0: start harts 1, 2, ... until hart_start fails (SBI §9.1). */
void smp_boot(void)
{
	unsigned k, started = 0;
	uint64_t deadline;
	struct sbiret r;

	csr_set(sie, 1u << IRQ_SSI);
	for (k = 1; k < 64; k++) {
		/* opaque = k arrives in a1. */
		r = sbi_call(SBI_EXT_HSM, SBI_HSM_HART_START, k, (uintptr_t)secondary_entry, k, 0);
		print("hsm hart_start(%u) = %ld\n", k, r.error);
		if (r.error != SBI_SUCCESS)
			break;
		if (k < MAX_VCPUS)
			started++;
		else
			print("vcpu%u parked: image supports %u vcpus\n", k, MAX_VCPUS);
	}

	/* Wait (bounded) for each secondary to report, then check the HSM state. */
	deadline = timer_now() + timer_ms(2000);
	for (k = 1; k <= started; k++)
		while (!vcpus[k].online && timer_now() < deadline)
			cpu_relax();
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
