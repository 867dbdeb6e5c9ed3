/* Secondary vCPU bring-up with PSCI CPU_ON, its checks, and the SGI 3 ping. */
#include "arch.h"
#include "guest.h"
#include "psci.h"

/* vCPU 0: start vCPUs 1, 2, ... until CPU_ON fails (PSCI, DEN0022, CPU_ON). */
void smp_boot(void)
{
	unsigned k, started = 0;
	uint64_t deadline;
	int32_t ret;

	/* Aff0 is 8 bits wide; vCPUs beyond MAX_VCPUS park in start.S (no stack). */
	for (k = 1; k < 256; k++) {
		/* Target = affinity fields only (Aff0 = k); context id k arrives in x0. */
		ret = psci(PSCI_CPU_ON, k, (uintptr_t)secondary_entry, k);
		print("psci cpu_on(%u) = %d\n", k, ret);
		if (ret != PSCI_SUCCESS)
			break;
		if (k < MAX_VCPUS)
			started++;
		else
			print("vcpu%u parked: image supports %u vcpus\n", k, MAX_VCPUS);
	}

	/* Wait (bounded) for each secondary to report, then check the PSCI state. */
	deadline = timer_now() + timer_ms(2000);
	for (k = 1; k <= started; k++)
		while (!vcpus[k].online && timer_now() < deadline)
			cpu_relax();
	print("psci cpu_on(1) again = %d\n",
	      psci(PSCI_CPU_ON, 1, (uintptr_t)secondary_entry, 1));
	print("psci affinity_info(1) = %d\n", psci(PSCI_AFFINITY_INFO, 1, 0, 0));

	for (k = 1; k <= started; k++)
		if (vcpus[k].online)
			gic_send_sgi(k, INTID_SGI_PING);
}
