/* Host tests of the vPLIC state machine (src/arch/riscv64/vplic.c): routing to the enabling context, claims re-evaluating siblings, coalescing, sources pending for an offline vCPU, reset and stop. */
#define _POSIX_C_SOURCE 200809L /* clock_gettime */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>
#include <pthread.h>
#include <sched.h>
#include <time.h>
#include <cmocka.h>

#include "fake_riscv_irq.h"
#include "virqchip.h"
#include "vm.h"

#define PLIC 0x0c000000ull
#define RTC 11u  /* a device of the VM: a physical source */
#define DB 52u   /* its IPC doorbell: raised by Baohu */

static const uint32_t dev_irqs[] = {RTC};
static const struct vm_dev_region devs[] = {
    {.pa = 0x101000, .ipa = 0x101000, .size = 0x1000, .irqs = dev_irqs, .irqs_count = 1},
};
static const struct vm_ipc ipcs[] = {{.shmem_id = 0, .ipa = 0x90000000, .doorbell_irq = DB}};
static const struct vm_config cfg = {
    .name = "t", .cpus = 0x6, .devs = devs, .devs_count = 1, .ipcs = ipcs, .ipcs_count = 1,
};

static struct vm vm;
static struct vcpu *v0, *v1;

/* Run on `v`'s hart: vCPU k is pinned to CPU k + 1 (CPU 0 and 3 are others'). */
static void on(struct vcpu *v)
{
    fake_cpu = v->cpu;
}

static uint32_t mmio(struct vcpu *v, uint32_t off, bool write, uint32_t value)
{
    struct mmio_access acc = {.addr = ipa_init(PLIC + off), .size = 4, .write = write,
                              .value = value};
    on(v);
    assert_true(virq_mmio_access(v, &acc));
    return (uint32_t)acc.value;
}

static void priority(uint32_t src, uint32_t p)
{
    mmio(v0, 4 * src, true, p);
}

/* Context of vCPU k: 2k + 1 (S-mode), as QEMU virt's. */
static void enable(struct vcpu *v, uint32_t src, bool on_)
{
    uint32_t off = 0x2000 + 0x80 * (2 * v->id + 1) + 4 * (src / 32);
    uint32_t en = mmio(v, off, false, 0);
    mmio(v, off, true, on_ ? en | 1u << (src % 32) : en & ~(1u << (src % 32)));
}

static uint32_t claim(struct vcpu *v)
{
    return mmio(v, 0x200004 + 0x1000 * (2 * v->id + 1), false, 0);
}

static void complete(struct vcpu *v, uint32_t src)
{
    mmio(v, 0x200004 + 0x1000 * (2 * v->id + 1), true, src);
}

static void threshold(struct vcpu *v, uint32_t t)
{
    mmio(v, 0x200000 + 0x1000 * (2 * v->id + 1), true, t);
}

/* The vCPU's way into the guest: its line as its hart presents it. */
static bool flush(struct vcpu *v)
{
    on(v);
    virq_flush(v);
    return fake_line[v->cpu];
}

static void online(struct vcpu *v, bool up)
{
    on(v);
    if (up)
        virq_vcpu_online(v);
    else
        virq_vcpu_offline(v);
}

/* A physical interrupt claimed by Baohu on `cpu`'s hart. */
static bool take(cpuid_t cpu, irqid_t irq)
{
    fake_cpu = cpu;
    return virq_hw_take(&vm, irq);
}

static void raise_from(cpuid_t cpu, irqid_t irq)
{
    fake_cpu = cpu;
    virq_raise(&vm, irq);
}

static int setup(void **state)
{
    (void)state;
    memset(&vm, 0, sizeof(vm));
    fake_irq_reset();
    vm.config = &cfg;
    vm.vcpu_count = 2;
    for (uint32_t k = 0; k < 2; k++) {
        vm.vcpus[k].vm = &vm;
        vm.vcpus[k].id = k;
        vm.vcpus[k].cpu = k + 1;
        vm.vcpus[k].state = VCPU_ON;
    }
    v0 = &vm.vcpus[0];
    v1 = &vm.vcpus[1];
    virq_vm_init(&vm);
    online(v0, true);
    online(v1, true);
    flush(v0);
    flush(v1);
    fake_msg_count = 0;
    fake_line_writes = 0;
    fake_complete_count = 0;
    return 0;
}

static void test_physical_source_goes_where_it_is_enabled(void **state)
{
    (void)state;
    /* Nobody enables it yet: vCPU 0's hart, so it is never lost. */
    assert_int_equal(fake_plic_route[RTC], v0->cpu);
    priority(RTC, 1);
    enable(v1, RTC, true);
    assert_int_equal(fake_plic_route[RTC], v1->cpu);
    /* Enabled in both: it stays where it is. */
    enable(v0, RTC, true);
    assert_int_equal(fake_plic_route[RTC], v1->cpu);
    /* Its vCPU goes off: to the online one that enables it. */
    online(v1, false);
    assert_int_equal(fake_plic_route[RTC], v0->cpu);
    online(v1, true);
    assert_int_equal(fake_plic_route[RTC], v0->cpu);
    enable(v0, RTC, false);
    assert_int_equal(fake_plic_route[RTC], v1->cpu);
    /* Enabled only for an offline vCPU: to that one's hart, it waits there. */
    online(v0, false);
    enable(v1, RTC, false);
    enable(v1, RTC, false);
    enable(v0, RTC, true);
    assert_int_equal(fake_plic_route[RTC], v0->cpu);
}

/* The reported loss: vCPU 0 off, vCPU 1 enables the source, the interrupt
 * must reach vCPU 1; and one for the offline vCPU 0 waits for it. */
static void test_source_for_an_offline_vcpu_waits_and_arrives_when_it_is_back(void **state)
{
    (void)state;
    online(v0, false);
    priority(RTC, 1);
    enable(v1, RTC, true);
    assert_int_equal(fake_plic_route[RTC], v1->cpu);
    assert_true(take(v1->cpu, RTC));
    assert_true(flush(v1));
    assert_int_equal(claim(v1), RTC);
    assert_false(flush(v1));
    complete(v1, RTC);
    assert_int_equal(fake_complete_count, 1);
    assert_int_equal(fake_completed[0], RTC);

    /* Now for vCPU 0 only, still off: taken wherever it arrives, nothing
     * posted to anyone, delivered when vCPU 0 is back. */
    enable(v1, RTC, false);
    enable(v0, RTC, true);
    fake_msg_count = 0;
    priority(DB, 1);
    enable(v0, DB, true);
    raise_from(3, DB);
    assert_true(take(v0->cpu, RTC));
    assert_int_equal(fake_msg_count, 0);
    assert_false(flush(v1));
    online(v0, true);
    assert_true(flush(v0));
    assert_int_equal(claim(v0), RTC);
    complete(v0, RTC);
    assert_int_equal(fake_complete_count, 2);
    assert_int_equal(claim(v0), DB);
    assert_int_equal(claim(v0), 0);
}

/* PLIC spec §8: a claim clears the pending bit; a sibling whose line only
 * that source held drops it. */
static void test_claim_drops_every_siblings_line(void **state)
{
    (void)state;
    priority(DB, 1);
    enable(v0, DB, true);
    enable(v1, DB, true);
    raise_from(0, DB); /* from another VM's CPU */
    assert_int_equal(fake_msgs_to(v0->cpu), 1);
    assert_int_equal(fake_msgs_to(v1->cpu), 1);
    assert_true(flush(v0));
    assert_true(flush(v1));
    fake_msg_count = 0;
    assert_int_equal(claim(v0), DB);
    assert_false(flush(v0));
    assert_int_equal(fake_msgs_to(v1->cpu), 1);
    assert_false(flush(v1));
    assert_int_equal(claim(v1), 0);
    /* Raised while claimed: pending, but for nobody until the completion. */
    fake_msg_count = 0;
    raise_from(0, DB);
    assert_int_equal(fake_msg_count, 0);
    complete(v0, DB);
    assert_true(flush(v0));
    assert_int_equal(fake_msgs_to(v1->cpu), 1);
    assert_true(flush(v1));
}

static void test_changes_that_move_no_line_post_nothing(void **state)
{
    (void)state;
    priority(DB, 1);
    priority(RTC, 1);
    enable(v0, DB, true);
    enable(v1, DB, true);
    enable(v1, RTC, true);
    raise_from(0, DB);
    assert_int_equal(fake_msg_count, 2);
    /* Raised again, and a second source for a line already up: nothing. */
    raise_from(0, DB);
    raise_from(3, DB);
    assert_true(take(v1->cpu, RTC));
    assert_int_equal(fake_msg_count, 2);
    /* vCPU 0's threshold and enables are its own: vCPU 1 hears nothing. */
    threshold(v0, 5);
    threshold(v0, 0);
    enable(v0, RTC, true);
    assert_int_equal(fake_msg_count, 2);
    /* vCPU 0 claims RTC (lowest id of equal priorities, §7): vCPU 1 still
     * has DB, its line stays. vCPU 1 then claims DB: vCPU 0's line drops,
     * but it moved before vCPU 0 looked at the last change: posted once. */
    assert_true(flush(v1));
    assert_int_equal(claim(v0), RTC);
    assert_int_equal(fake_msg_count, 2);
    assert_int_equal(claim(v1), DB);
    assert_int_equal(fake_msg_count, 2);
    assert_false(flush(v0));
    complete(v1, DB);
    complete(v0, RTC);
    assert_int_equal(fake_msg_count, 2); /* their own harts: no request */
}

static void test_exit_with_nothing_new_touches_nothing(void **state)
{
    (void)state;
    priority(DB, 1);
    enable(v0, DB, true);
    raise_from(0, DB);
    assert_true(flush(v0));
    unsigned writes = fake_line_writes;
    for (int i = 0; i < 10; i++)
        flush(v0);
    assert_int_equal(fake_line_writes, writes);
    assert_false(v0->arch.virq.dirty);
}

static void test_priority_and_threshold(void **state)
{
    (void)state;
    enable(v0, DB, true);
    raise_from(0, DB);
    assert_false(flush(v0)); /* priority 0: never interrupts (§4) */
    priority(DB, 3);
    assert_true(flush(v0));
    threshold(v0, 3);
    assert_false(flush(v0)); /* only priorities above the threshold (§7) */
    assert_int_equal(claim(v0), 0);
    threshold(v0, 2);
    assert_true(flush(v0));
    assert_int_equal(claim(v0), DB);
    /* A completion from a context that does not enable it is ignored (§9). */
    complete(v1, DB);
    raise_from(0, DB);
    assert_false(flush(v0));
    complete(v0, DB);
    assert_true(flush(v0));
}

/* A reset completes at the physical PLIC what the last run had claimed:
 * the guest that rebooted from its handler gets the next interrupt. */
static void test_reset_completes_what_was_claimed(void **state)
{
    (void)state;
    priority(RTC, 1);
    enable(v0, RTC, true);
    assert_true(take(v0->cpu, RTC));
    assert_int_equal(claim(v0), RTC);
    online(v0, false);
    online(v1, false);
    virq_vm_init(&vm);
    assert_int_equal(fake_complete_count, 1);
    assert_int_equal(fake_completed[0], RTC);
    assert_int_equal(fake_plic_route[RTC], v0->cpu);
    /* The new run starts clean, and the source arrives again. */
    online(v0, true);
    assert_false(flush(v0));
    assert_true(take(v0->cpu, RTC));
    priority(RTC, 1);
    enable(v0, RTC, true);
    assert_true(flush(v0));
    /* A second reset with the source only pending, not yet claimed by the
     * guest: Baohu's own claim is given back too. */
    virq_vm_init(&vm);
    assert_int_equal(fake_complete_count, 2);
}

static void test_stop_completes_and_silences(void **state)
{
    (void)state;
    priority(RTC, 1);
    enable(v0, RTC, true);
    assert_true(take(v0->cpu, RTC));
    virq_vm_stop(&vm);
    assert_int_equal(fake_complete_count, 1);
    assert_int_equal(fake_plic_route[RTC], FAKE_UNROUTED);
    /* A straggler is not the stopped VM's any more: Baohu completes it. */
    assert_false(take(v0->cpu, RTC));
    /* Its vCPUs leave the guest afterwards: nothing is routed again. */
    online(v0, false);
    online(v1, false);
    assert_int_equal(fake_plic_route[RTC], FAKE_UNROUTED);
    /* Sources that are not the VM's are refused too. */
    virq_vm_init(&vm);
    assert_false(take(v0->cpu, 10));
    assert_false(take(v0->cpu, DB));
}

static void test_only_the_vms_sources_are_visible(void **state)
{
    (void)state;
    priority(10, 1);
    assert_int_equal(mmio(v0, 4 * 10, false, 0), 0);
    enable(v0, 10, true);
    assert_int_equal(mmio(v0, 0x2000 + 0x80 + 0, false, 0), 0);
    raise_from(0, 10);
    assert_int_equal(mmio(v0, 0x1000, false, 0), 0);
    /* M-mode contexts read as zero. */
    assert_int_equal(mmio(v0, 0x200004, false, 0), 0);
    priority(DB, 1);
    enable(v0, DB, true);
    raise_from(0, DB);
    assert_int_equal(mmio(v0, 0x1000 + 4 * (DB / 32), false, 0), 1u << (DB % 32));
}

/* A claimed source that is pending again is not claimed again before its
 * completion (PLIC §8, §9). */
static void test_claimed_source_waits_for_its_completion(void **state)
{
    (void)state;
    enable(v0, DB, true);
    priority(DB, 3);
    raise_from(0, DB);
    assert_true(flush(v0));
    assert_int_equal(claim(v0), DB);
    raise_from(0, DB);
    assert_false(flush(v0));
    assert_int_equal(claim(v0), 0);
    complete(v0, DB);
    assert_true(flush(v0));
    assert_int_equal(claim(v0), DB);
    complete(v0, DB);
    assert_int_equal(claim(v0), 0);
}

/* The M-mode contexts (even numbers) are not the guest's: RAZ/WI, and a
 * claim there takes nothing from the S context. */
static void test_m_mode_contexts_are_raz_wi(void **state)
{
    (void)state;
    enable(v0, DB, true);
    priority(DB, 3);
    raise_from(0, DB);
    for (uint32_t ctx = 0; ctx < 4; ctx += 2) {
        assert_int_equal(mmio(v0, 0x200004 + 0x1000 * ctx, false, 0), 0);
        mmio(v0, 0x200000 + 0x1000 * ctx, true, 7);
        assert_int_equal(mmio(v0, 0x200000 + 0x1000 * ctx, false, 0), 0);
        mmio(v0, 0x2000 + 0x80 * ctx, true, ~0u);
        assert_int_equal(mmio(v0, 0x2000 + 0x80 * ctx, false, 0), 0);
    }
    assert_int_equal(mmio(v0, 0x200000 + 0x1000 * 1, false, 0), 0); /* S threshold unchanged */
    assert_true(flush(v0));
    assert_int_equal(claim(v0), DB);
}

/* The S contexts of harts the VM lacks (vCPU 2 and beyond) are RAZ/WI; a
 * vCPU cannot claim, complete or mask through a sibling's context either
 * except by the sibling's own enables. Thresholds keep their 3 bits. */
static void test_foreign_contexts_and_threshold_bits(void **state)
{
    (void)state;
    enable(v0, DB, true);
    priority(DB, 5);
    raise_from(0, DB);
    const uint32_t ctx = 2 * 2 + 1; /* vCPU 2's S context */
    mmio(v0, 0x2000 + 0x80 * ctx, true, ~0u);
    assert_int_equal(mmio(v0, 0x2000 + 0x80 * ctx, false, 0), 0);
    mmio(v0, 0x200000 + 0x1000 * ctx, true, 1);
    assert_int_equal(mmio(v0, 0x200000 + 0x1000 * ctx, false, 0), 0);
    assert_int_equal(mmio(v0, 0x200004 + 0x1000 * ctx, false, 0), 0);
    assert_true(flush(v0));
    /* vCPU 1 does not enable DB: its claim takes nothing. */
    assert_int_equal(claim(v1), 0);
    assert_true(flush(v0));
    /* Threshold: 3 bits; 7 masks every source, 0x0c is 4. */
    threshold(v0, 0x0c);
    assert_int_equal(mmio(v0, 0x200000 + 0x1000, false, 0), 4);
    assert_true(flush(v0));
    threshold(v0, 0xf);
    assert_int_equal(mmio(v0, 0x200000 + 0x1000, false, 0), 7);
    assert_false(flush(v0));
    threshold(v0, 0);
    assert_true(flush(v0));
    /* Priorities too: 0x9 is 1. */
    priority(DB, 0x9);
    assert_int_equal(mmio(v0, 4 * DB, false, 0), 1);
    /* Registers that do not exist: the context's reserved words, past the end. */
    struct mmio_access acc = {.addr = ipa_init(PLIC + 0x200008 + 0x1000), .size = 4};
    fake_cpu = v0->cpu;
    assert_false(virq_mmio_access(v0, &acc));
    acc = (struct mmio_access){.addr = ipa_init(PLIC + 0x200000 + 0x1000), .size = 2};
    assert_false(virq_mmio_access(v0, &acc));
    assert_int_equal(claim(v0), DB);
}

/* ---- a race on real threads: CPU 0 rings the doorbell, vCPU 1's hart
 * (CPU 2) looks only when told or on its own exits */

#define RACE_ROUNDS 400
static unsigned race_got;
static bool race_stuck;

static double now_s(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + t.tv_nsec / 1e9;
}

static void *race_ringer(void *arg)
{
    (void)arg;
    for (unsigned r = 1; r <= RACE_ROUNDS; r++) {
        raise_from(0, DB);
        double until = now_s() + 3.0;
        while (__atomic_load_n(&race_got, __ATOMIC_ACQUIRE) < r) {
            if (__atomic_load_n(&race_stuck, __ATOMIC_RELAXED) || now_s() > until) {
                __atomic_store_n(&race_stuck, true, __ATOMIC_RELAXED);
                return NULL;
            }
            sched_yield();
        }
    }
    return NULL;
}

/* Every ring is claimed once: none is lost between the two harts. */
static void test_race_doorbell_from_another_hart(void **state)
{
    (void)state;
    enable(v1, DB, true);
    priority(DB, 1);
    flush(v1);
    race_got = 0;
    race_stuck = false;
    fake_msg_take(v1->cpu);
    pthread_t t;
    assert_int_equal(pthread_create(&t, NULL, race_ringer, NULL), 0);
    bool exited = true; /* a trap exit flushes as a request does */
    double idle_since = now_s();
    while (__atomic_load_n(&race_got, __ATOMIC_RELAXED) < RACE_ROUNDS &&
           !__atomic_load_n(&race_stuck, __ATOMIC_RELAXED)) {
        if (!(fake_msg_take(v1->cpu) & (1u << CPU_MSG_VIRQ)) && !exited) {
            if (now_s() - idle_since > 3.0)
                __atomic_store_n(&race_stuck, true, __ATOMIC_RELAXED);
            sched_yield();
            continue;
        }
        idle_since = now_s();
        exited = false;
        if (!flush(v1))
            continue;
        uint32_t src = claim(v1); /* each MMIO is a trap: its exit flushes */
        exited = true;
        if (src == DB) {
            __atomic_fetch_add(&race_got, 1, __ATOMIC_RELEASE);
            complete(v1, DB);
        }
    }
    pthread_join(t, NULL);
    if (race_stuck)
        fail_msg("stuck after %u of %u doorbells", race_got, RACE_ROUNDS);
    assert_int_equal(race_got, RACE_ROUNDS);
    assert_false(flush(v1));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(test_physical_source_goes_where_it_is_enabled, setup),
        cmocka_unit_test_setup(test_source_for_an_offline_vcpu_waits_and_arrives_when_it_is_back,
                               setup),
        cmocka_unit_test_setup(test_claim_drops_every_siblings_line, setup),
        cmocka_unit_test_setup(test_changes_that_move_no_line_post_nothing, setup),
        cmocka_unit_test_setup(test_exit_with_nothing_new_touches_nothing, setup),
        cmocka_unit_test_setup(test_priority_and_threshold, setup),
        cmocka_unit_test_setup(test_reset_completes_what_was_claimed, setup),
        cmocka_unit_test_setup(test_stop_completes_and_silences, setup),
        cmocka_unit_test_setup(test_only_the_vms_sources_are_visible, setup),
        cmocka_unit_test_setup(test_claimed_source_waits_for_its_completion, setup),
        cmocka_unit_test_setup(test_m_mode_contexts_are_raz_wi, setup),
        cmocka_unit_test_setup(test_foreign_contexts_and_threshold_bits, setup),
        cmocka_unit_test_setup(test_race_doorbell_from_another_hart, setup),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
