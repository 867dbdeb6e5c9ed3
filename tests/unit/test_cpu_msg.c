/* Host tests of cross-CPU requests (src/core/cpu.c) with two simulated CPUs on two threads. */
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "arch.h"
#include "cpu.h"
#include "vm.h"

/* ---- the arch hooks cpu.c uses, per simulated CPU ---- */

static _Thread_local cpuid_t this_cpu;
static bool ipi_line[2];              /* the IPI pending at each CPU's interrupt controller */
static unsigned long ipis_sent[2];
static unsigned long syncs[2];
static unsigned long shared_state;    /* what a sender records before posting */
static unsigned long seen_state[2];   /* what the target read when it took the request */
static struct vcpu vcpus[2];

cpuid_t arch_cpu_id(void) { return this_cpu; }
struct cpu *arch_cpu_current(void) { return &cpu_table[this_cpu]; }
void arch_cpu_relax(void) {}
void arch_cpu_send_ipi(cpuid_t target)
{
    __atomic_fetch_add(&ipis_sent[target], 1, __ATOMIC_RELAXED);
    __atomic_store_n(&ipi_line[target], true, __ATOMIC_RELEASE);
}
void arch_vcpu_virq_sync(struct vcpu *v)
{
    cpuid_t c = v->cpu;
    syncs[c]++;
    seen_state[c] = __atomic_load_n(&shared_state, __ATOMIC_RELAXED);
}

/* The target's side of an IPI: the line is taken, then the requests. */
static bool take_ipi(void)
{
    if (!__atomic_exchange_n(&ipi_line[this_cpu], false, __ATOMIC_ACQ_REL))
        return false;
    cpu_msg_handle();
    return true;
}

static int setup(void **state)
{
    (void)state;
    memset(ipi_line, 0, sizeof ipi_line);
    memset(ipis_sent, 0, sizeof ipis_sent);
    memset(syncs, 0, sizeof syncs);
    memset(seen_state, 0, sizeof seen_state);
    shared_state = 0;
    for (cpuid_t c = 0; c < 2; c++) {
        struct cpu *cpu = cpu_by_id(c);
        cpu->id = c;
        cpu->msg_pending = 0;
        memset(&cpu->stats, 0, sizeof cpu->stats);
        vcpus[c] = (struct vcpu){.cpu = c, .state = VCPU_ON};
        cpu->vcpu = &vcpus[c];
    }
    this_cpu = 0;
    return 0;
}

static void repeated_posts_raise_one_ipi(void **state)
{
    (void)state;
    assert_true(cpu_msg_send(1, CPU_MSG_VIRQ));
    for (int i = 0; i < 100000; i++)
        assert_false(cpu_msg_send(1, CPU_MSG_VIRQ));
    assert_int_equal(ipis_sent[1], 1);
    assert_int_equal(cpu_by_id(0)->stats.msgs_posted, 100001);
    assert_int_equal(cpu_by_id(0)->stats.ipis_raised, 1);
    /* Another kind is its own flag. */
    assert_true(cpu_msg_send(1, CPU_MSG_VCPU_STATE));
    assert_int_equal(ipis_sent[1], 2);

    this_cpu = 1;
    assert_true(take_ipi());
    assert_int_equal(syncs[1], 1);
    assert_int_equal(cpu_by_id(1)->msg_pending, 0);
    /* Taken: the next post raises a new IPI. */
    this_cpu = 0;
    assert_true(cpu_msg_send(1, CPU_MSG_VIRQ));
    assert_int_equal(ipis_sent[1], 3);
}

static void requests_for_an_off_vcpu_are_taken_without_effect(void **state)
{
    (void)state;
    vcpus[1].state = VCPU_OFF;
    cpu_msg_send(1, CPU_MSG_VIRQ);
    this_cpu = 1;
    assert_true(take_ipi());
    assert_int_equal(syncs[1], 0);
    assert_int_equal(cpu_by_id(1)->msg_pending, 0);
}

/* Both CPUs flood each other while taking their own requests only when
 * their IPI line says so. With the old bounded queue this deadlocked (each
 * spun, interrupts masked, on the other's full queue); here every send
 * returns, and the last state each sender recorded is seen by the target. */
#define FLOOD 200000
static volatile bool flood_done[2];

static void *flood(void *arg)
{
    this_cpu = (cpuid_t)(uintptr_t)arg;
    cpuid_t peer = 1 - this_cpu;
    for (unsigned long i = 1; i <= FLOOD; i++) {
        if (this_cpu == 0)
            __atomic_store_n(&shared_state, i, __ATOMIC_RELAXED);
        cpu_msg_send(peer, CPU_MSG_VIRQ);
        take_ipi();
    }
    __atomic_store_n(&flood_done[this_cpu], true, __ATOMIC_RELEASE);
    /* Keep taking until the peer is done too, then drain what is left. */
    while (!__atomic_load_n(&flood_done[peer], __ATOMIC_ACQUIRE))
        take_ipi();
    take_ipi();
    return NULL;
}

static void two_cpus_flooding_each_other_never_block_or_lose(void **state)
{
    (void)state;
    flood_done[0] = flood_done[1] = false;
    alarm(60); /* a deadlock fails the test instead of hanging the suite */
    pthread_t t[2];
    for (uintptr_t c = 0; c < 2; c++)
        assert_int_equal(pthread_create(&t[c], NULL, flood, (void *)c), 0);
    for (int c = 0; c < 2; c++)
        pthread_join(t[c], NULL);
    alarm(0);
    /* Every request was taken, and the last one saw the last state. */
    assert_int_equal(cpu_by_id(0)->msg_pending, 0);
    assert_int_equal(cpu_by_id(1)->msg_pending, 0);
    assert_int_equal(seen_state[1], FLOOD);
    for (int c = 0; c < 2; c++) {
        /* One IPI per 0->1 of the request flag, each taken exactly once. */
        assert_int_equal(ipis_sent[c], cpu_by_id((cpuid_t)c)->stats.msgs_handled);
        assert_int_equal(ipis_sent[1 - c], cpu_by_id((cpuid_t)c)->stats.ipis_raised);
        assert_true(ipis_sent[c] >= 1);
        assert_int_equal(cpu_by_id((cpuid_t)c)->stats.msgs_posted, FLOOD);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(repeated_posts_raise_one_ipi, setup),
        cmocka_unit_test_setup(requests_for_an_off_vcpu_are_taken_without_effect, setup),
        cmocka_unit_test_setup(two_cpus_flooding_each_other_never_block_or_lose, setup),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
