/* Secondary vCPU bring-up with PSCI CPU_ON, its checks, and the SGI 3 ping. */
#include "arch.h"
#include "guest.h"
#include "psci.h"

/* vCPU 0: start vCPUs 1, 2, ... until CPU_ON fails (PSCI, DEN0022, CPU_ON). */
void smp_boot(void)
{
	/* Aff0 is 8 bits wide; vCPUs beyond MAX_VCPUS park in start.S (no stack). */
	unsigned k, started = smp_start_all(256);

	/* Then the PSCI state. */
	print("psci cpu_on(1) again = %d\n",
	      psci(PSCI_CPU_ON, 1, (uintptr_t)secondary_entry, 1));
	print("psci affinity_info(1) = %d\n", psci(PSCI_AFFINITY_INFO, 1, 0, 0));

	for (k = 1; k <= started; k++)
		if (vcpus[k].online)
			gic_send_sgi(k, INTID_SGI_PING);
}
