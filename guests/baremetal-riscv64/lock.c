/* The guest lock (guests/common/guest_common.h), a ticket lock between vCPUs: RAM is cacheable main memory with AMOs even with translation off. */
#include "guest.h"
#include "riscv.h"

void lock_take(struct guest_lock *l, unsigned me)
{
	uint32_t ticket = __atomic_fetch_add(&l->next, 1, __ATOMIC_RELAXED);

	(void)me;
	while (__atomic_load_n(&l->owner, __ATOMIC_ACQUIRE) != ticket)
		cpu_relax();
}

void lock_give(struct guest_lock *l, unsigned me)
{
	(void)me;
	__atomic_store_n(&l->owner, l->owner + 1, __ATOMIC_RELEASE);
}
