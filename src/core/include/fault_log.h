/* Per-VM fault counting and console rate limiting (docs/design.md, "Fault model"). */
#ifndef BAOHU_FAULT_LOG_H
#define BAOHU_FAULT_LOG_H

#include <stdbool.h>
#include <stdint.h>
#include "spinlock.h"

/* The first FAULT_LOG_FULL faults of each VM run are reported line by line. */
#define FAULT_LOG_FULL 4
/* After that, at most one summary line per FAULT_LOG_PERIOD_NS per VM. */
#define FAULT_LOG_PERIOD_NS 1000000000ull

struct fault_log {
    spinlock_t lock;
    uint64_t total;      /* every fault of the VM since Baohu started (all runs) */
    uint32_t full;       /* faults reported in full in this run */
    uint64_t unreported; /* faults since the last line printed */
    uint64_t since_ns;   /* time of the first of them */
    uint64_t last_line_ns;
    uint64_t last_syndrome, last_addr, last_pc; /* the latest unreported fault */
};

/* Faults that were counted but not yet printed, for one summary line. */
struct fault_summary {
    uint64_t count;    /* 0: no summary line due */
    uint64_t since_ns; /* when the first of them happened */
    uint64_t total;
    uint64_t syndrome, addr, pc; /* the latest of them */
};

/*
 * Count one fault at time `now_ns`. True: report this fault in full (always
 * when `always`, e.g. the fault that stops the VM). `sum` is filled when a
 * summary line of earlier unreported faults is due (before the full report,
 * if any); sum->count is 0 otherwise.
 */
bool fault_log_record(struct fault_log *l, uint64_t now_ns, bool always, uint64_t syndrome,
                      uint64_t addr, uint64_t pc, struct fault_summary *sum);
/*
 * A summary line due at `now_ns` (the period has passed since the last
 * line), or at once with `force` (the VM stops or resets): true and `sum`
 * filled if there are unreported faults.
 */
bool fault_log_summary(struct fault_log *l, uint64_t now_ns, bool force, struct fault_summary *sum);
/* The VM starts a new run (reset): full reports again; the total stays. */
void fault_log_new_run(struct fault_log *l);

/* Cheap test for the exit path: anything counted but not printed? */
static inline bool fault_log_pending(const struct fault_log *l)
{
    return __atomic_load_n(&l->unreported, __ATOMIC_RELAXED) != 0;
}

#endif
