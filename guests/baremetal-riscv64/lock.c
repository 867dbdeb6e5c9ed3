/* Ticket lock between vCPUs: RAM is cacheable main memory with AMOs even with translation off. */
#include "guest.h"
#include "riscv.h"

void lock_take(struct ticket_lock *l)
{
	uint32_t me = __atomic_fetch_add(&l->next, 1, __ATOMIC_RELAXED);

	while (__atomic_load_n(&l->owner, __ATOMIC_ACQUIRE) != me)
		cpu_relax();
}

void lock_give(struct ticket_lock *l)
{
	__atomic_store_n(&l->owner, l->owner + 1, __ATOMIC_RELEASE);
}
