/* vCPU 0 starting the VM's other vCPUs for GUEST_SMP (see smp_start_all in guest_common.h). */
#include "guest.h"

unsigned smp_start_all(unsigned limit)
{
	unsigned k, started = 0;
	uint64_t deadline;

	/* Context id / opaque k, so each can check what it was started with. */
	for (k = 1; k < limit; k++) {
		int64_t r = cpu_start(k, secondary_entry, k);

		print(CPU_START_CALL "(%u) = %ld\n", k, r);
		if (r != 0)
			break;
		if (k < MAX_VCPUS)
			started++;
		else
			print("vcpu%u parked: image supports %u vcpus\n", k, MAX_VCPUS);
	}
	/* Wait (bounded) for each secondary to report. */
	deadline = timer_now() + timer_ms(2000);
	for (k = 1; k <= started; k++)
		while (!vcpus[k].online && timer_now() < deadline)
			cpu_relax();
	return started;
}
