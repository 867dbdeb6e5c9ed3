/* Ticket spinlock; spinning yields so QEMU's single-threaded icount mode cannot starve the holder. */
#ifndef BAOHU_SPINLOCK_H
#define BAOHU_SPINLOCK_H

#include <stdint.h>

typedef struct {
    volatile uint32_t next;
    volatile uint32_t owner;
} spinlock_t;

#define SPINLOCK_INIT {0, 0}

void arch_cpu_relax(void);

static inline void spin_lock(spinlock_t *l)
{
    uint32_t ticket = __atomic_fetch_add(&l->next, 1, __ATOMIC_RELAXED);
    while (__atomic_load_n(&l->owner, __ATOMIC_ACQUIRE) != ticket)
        arch_cpu_relax();
}

static inline void spin_unlock(spinlock_t *l)
{
    /* Only the holder writes owner: a relaxed load of it is exact (and, unlike a plain volatile
     * read beside the atomics, is seen by clang's analyzer as the same access spin_lock made). */
    __atomic_store_n(&l->owner, __atomic_load_n(&l->owner, __ATOMIC_RELAXED) + 1, __ATOMIC_RELEASE);
}

#endif
