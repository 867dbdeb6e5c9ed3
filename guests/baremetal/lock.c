/* The guest lock (guests/common/guest_common.h): Lamport's bakery, mutual exclusion between vCPUs from plain loads and stores. */
#include "arch.h"
#include "guest.h"

/*
 * With the MMU off every data access is Device-nGnRnE, where LDXR/STXR are
 * not guaranteed to work (Arm ARM B2.9, exclusives need Normal memory), so
 * no atomics are used. A DMB after each shared store keeps the accesses in
 * program order as seen by the other vCPUs, which is all the bakery needs.
 */
void lock_take(struct guest_lock *b, unsigned me)
{
	uint32_t max = 0, mine;
	unsigned j;

	b->choosing[me] = 1;
	dmb();
	for (j = 0; j < MAX_VCPUS; j++)
		if (b->number[j] > max)
			max = b->number[j];
	mine = max + 1;
	b->number[me] = mine;
	dmb();
	b->choosing[me] = 0;
	dmb();
	for (j = 0; j < MAX_VCPUS; j++) {
		if (j == me)
			continue;
		while (b->choosing[j])
			cpu_relax();
		dmb();
		for (;;) {
			uint32_t n = b->number[j];

			/* Lower (ticket, vCPU) pairs go first. */
			if (n == 0 || n > mine || (n == mine && j > me))
				break;
			cpu_relax();
		}
	}
	dmb();
}

void lock_give(struct guest_lock *b, unsigned me)
{
	dmb(); /* the critical section's accesses complete before the release */
	b->number[me] = 0;
	dmb();
}
