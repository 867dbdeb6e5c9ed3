/* Per-VM fault counting and console rate limiting: a guest cannot flood the console with faults. */
#include "fault_log.h"

/* Caller holds the lock. */
static void take_summary(struct fault_log *l, uint64_t now_ns, struct fault_summary *sum)
{
    sum->count = l->unreported;
    sum->since_ns = l->since_ns;
    sum->total = l->total;
    sum->syndrome = l->last_syndrome;
    sum->addr = l->last_addr;
    sum->pc = l->last_pc;
    __atomic_store_n(&l->unreported, 0, __ATOMIC_RELAXED);
    l->last_line_ns = now_ns;
}

bool fault_log_record(struct fault_log *l, uint64_t now_ns, bool always, uint64_t syndrome,
                      uint64_t addr, uint64_t pc, struct fault_summary *sum)
{
    bool full = false;
    sum->count = 0;
    spin_lock(&l->lock);
    if (always || l->full < FAULT_LOG_FULL) {
        /* Whatever was held back is told first, so the lines stay in
         * order (its total not counting this fault yet). */
        if (l->unreported)
            take_summary(l, now_ns, sum);
        l->total++;
        if (l->full < FAULT_LOG_FULL)
            l->full++;
        l->last_line_ns = now_ns;
        full = true;
    } else {
        l->total++;
        if (!l->unreported)
            l->since_ns = now_ns;
        __atomic_store_n(&l->unreported, l->unreported + 1, __ATOMIC_RELAXED);
        l->last_syndrome = syndrome;
        l->last_addr = addr;
        l->last_pc = pc;
        if (now_ns - l->last_line_ns >= FAULT_LOG_PERIOD_NS)
            take_summary(l, now_ns, sum);
    }
    spin_unlock(&l->lock);
    return full;
}

bool fault_log_summary(struct fault_log *l, uint64_t now_ns, bool force, struct fault_summary *sum)
{
    sum->count = 0;
    spin_lock(&l->lock);
    if (l->unreported && (force || now_ns - l->last_line_ns >= FAULT_LOG_PERIOD_NS))
        take_summary(l, now_ns, sum);
    spin_unlock(&l->lock);
    return sum->count != 0;
}

void fault_log_new_run(struct fault_log *l)
{
    spin_lock(&l->lock);
    l->full = 0;
    __atomic_store_n(&l->unreported, 0, __ATOMIC_RELAXED);
    spin_unlock(&l->lock);
}
