/* Unit tests of per-VM fault counting and console rate limiting (src/core/fault_log.c). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "fault_log.h"

#define MS 1000000ull
#define SEC 1000000000ull

static struct fault_log log_;

static int setup(void **state)
{
    (void)state;
    memset(&log_, 0, sizeof log_);
    return 0;
}

/* One fault at `t`; returns whether it is reported in full. */
static bool fault_at(uint64_t t, uint64_t pc, struct fault_summary *sum)
{
    return fault_log_record(&log_, t, false, 0x96000010, 0x7f000000, pc, sum);
}

static void first_faults_are_reported_in_full(void **state)
{
    (void)state;
    struct fault_summary sum;
    for (unsigned i = 0; i < FAULT_LOG_FULL; i++) {
        assert_true(fault_at(i * MS, 0x1000 + i, &sum));
        assert_int_equal(sum.count, 0);
    }
    assert_false(fault_at(10 * MS, 0x2000, &sum));
    assert_int_equal(sum.count, 0);
    assert_true(fault_log_pending(&log_));
    assert_int_equal(log_.total, FAULT_LOG_FULL + 1);
}

/* A storm of 1000 faults in 100 ms: FAULT_LOG_FULL lines, then nothing until
 * the period has passed since the last line; then one summary with all the
 * rest and the latest fault's details. */
static void storm_gives_one_summary_per_period(void **state)
{
    (void)state;
    struct fault_summary sum;
    unsigned full = 0, summaries = 0;
    uint64_t summarised = 0;
    for (unsigned i = 0; i < 1000; i++) {
        full += fault_at(i * 100000ull, 0x4000 + i, &sum);
        if (sum.count) {
            summaries++;
            summarised += sum.count;
        }
    }
    assert_int_equal(full, FAULT_LOG_FULL);
    assert_int_equal(summaries, 0);
    /* Nothing due before the period has passed since the last full report. */
    assert_false(fault_log_summary(&log_, 500 * MS, false, &sum));
    uint64_t last_full = (FAULT_LOG_FULL - 1) * 100000ull;
    assert_true(fault_log_summary(&log_, last_full + FAULT_LOG_PERIOD_NS, false, &sum));
    assert_int_equal(sum.count, 1000 - FAULT_LOG_FULL);
    assert_int_equal(sum.total, 1000);
    assert_int_equal(sum.pc, 0x4000 + 999);
    assert_int_equal(sum.since_ns, FAULT_LOG_FULL * 100000ull);
    assert_false(fault_log_pending(&log_));
    assert_false(fault_log_summary(&log_, 10 * SEC, true, &sum));
}

/* A steady storm over 10 s prints about one summary per second, and every
 * fault is accounted for: full lines + summarised = total. */
static void steady_storm_lines_are_bounded_and_add_up(void **state)
{
    (void)state;
    struct fault_summary sum;
    uint64_t full = 0, summaries = 0, summarised = 0;
    const unsigned n = 100000;
    for (unsigned i = 0; i < n; i++) {
        uint64_t t = (uint64_t)i * 100000ull; /* 10 kHz for 10 s */
        full += fault_at(t, i, &sum);
        if (sum.count) {
            summaries++;
            summarised += sum.count;
        }
    }
    assert_true(fault_log_summary(&log_, 20 * SEC, true, &sum));
    summaries++;
    summarised += sum.count;
    assert_int_equal(full, FAULT_LOG_FULL);
    assert_in_range(summaries, 10, 11);
    assert_int_equal(full + summarised, n);
    assert_int_equal(sum.total, n);
}

/* The fault that stops the VM is always reported, after the held-back ones. */
static void always_reports_after_a_summary(void **state)
{
    (void)state;
    struct fault_summary sum;
    for (unsigned i = 0; i < FAULT_LOG_FULL + 3; i++)
        fault_at(i, i, &sum);
    assert_true(fault_log_record(&log_, 100, true, 0x24, 0x1, 0x2, &sum));
    assert_int_equal(sum.count, 3);
    /* The summary's total is up to the fault it precedes. */
    assert_int_equal(sum.total, FAULT_LOG_FULL + 3);
    assert_int_equal(log_.total, FAULT_LOG_FULL + 4);
    assert_false(fault_log_pending(&log_));
}

/* A reset starts a new run with full reports again; the total is kept. */
static void new_run_reports_in_full_again(void **state)
{
    (void)state;
    struct fault_summary sum;
    for (unsigned i = 0; i < FAULT_LOG_FULL + 2; i++)
        fault_at(i, i, &sum);
    fault_log_new_run(&log_);
    assert_false(fault_log_pending(&log_));
    assert_true(fault_at(1000, 7, &sum));
    assert_int_equal(sum.count, 0);
    assert_int_equal(log_.total, FAULT_LOG_FULL + 3);
}

/* Time going by without faults does not make a summary out of nothing. */
static void no_summary_without_faults(void **state)
{
    (void)state;
    struct fault_summary sum;
    assert_false(fault_log_summary(&log_, 5 * SEC, false, &sum));
    assert_false(fault_log_summary(&log_, 5 * SEC, true, &sum));
    assert_int_equal(sum.count, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(first_faults_are_reported_in_full, setup),
        cmocka_unit_test_setup(storm_gives_one_summary_per_period, setup),
        cmocka_unit_test_setup(steady_storm_lines_are_bounded_and_add_up, setup),
        cmocka_unit_test_setup(always_reports_after_a_summary, setup),
        cmocka_unit_test_setup(new_run_reports_in_full_again, setup),
        cmocka_unit_test_setup(no_summary_without_faults, setup),
    };
    return cmocka_run_group_tests_name("fault_log", tests, NULL, NULL);
}
