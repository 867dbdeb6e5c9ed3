/* Host tests of the vAPLIC (src/arch/riscv64/vaplic.c): wired sources and doorbells follow target[i], wait for an offline target, come back from its file, are written only by their target's hart, survive being rung before the guest set them up; reset and stop. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>
#include <cmocka.h>

#include "aplic.h"
#include "fake_riscv_irq.h"
#include "virqchip.h"
#include "vm.h"

#define APLIC 0x0d000000ull
#define RTC 11u
#define DB 52u
#define SM_EDGE1 4u
#define SM_LEVEL1 6u

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

static uint32_t mmio(struct vcpu *v, uint32_t off, bool write, uint32_t value)
{
    struct mmio_access acc = {.addr = ipa_init(APLIC + off), .size = 4, .write = write,
                              .value = value};
    fake_cpu = v->cpu;
    assert_true(virq_mmio_access(v, &acc));
    return (uint32_t)acc.value;
}

/* Active in `sm`, to hart k with EIID = source id, enabled. */
static void source(uint32_t src, uint32_t sm, uint32_t k)
{
    mmio(v0, APLIC_SOURCECFG(src), true, sm);
    mmio(v0, APLIC_TARGET(src), true, k << APLIC_TARGET_HART_SHIFT | src);
    mmio(v0, APLIC_SETIENUM, true, src);
}

static void retarget(uint32_t src, uint32_t k)
{
    mmio(v0, APLIC_TARGET(src), true, k << APLIC_TARGET_HART_SHIFT | src);
}

static void online(struct vcpu *v, bool up)
{
    fake_cpu = v->cpu;
    if (up)
        virq_vcpu_online(v);
    else
        virq_vcpu_offline(v);
}

static bool msi_at(struct vcpu *v, uint32_t eiid)
{
    return (fake_file_eip[v->cpu] >> eiid) & 1;
}

/* v's hart on its way back into the guest (trap exit, after CPU_MSG_VIRQ). */
static void flush(struct vcpu *v)
{
    fake_cpu = v->cpu;
    virq_flush(v);
}

/* Every test: no hart ever wrote into another hart's guest file. */
static int teardown(void **state)
{
    (void)state;
    assert_int_equal(fake_msi_remote, 0);
    return 0;
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
    mmio(v0, APLIC_DOMAINCFG, true, APLIC_DOMAINCFG_IE);
    return 0;
}

static void test_wired_source_follows_its_target_and_waits_for_an_offline_one(void **state)
{
    (void)state;
    source(RTC, SM_LEVEL1, 0);
    assert_int_equal(fake_aplic_mode[RTC], SM_LEVEL1);
    assert_int_equal(fake_aplic_cpu[RTC], v0->cpu);
    assert_int_equal(fake_aplic_eiid[RTC], RTC);
    assert_true(fake_aplic_on[RTC]);
    /* Its target goes off: held at the APLIC, pending there (§4.7). */
    online(v0, false);
    assert_false(fake_aplic_on[RTC]);
    /* Retargeted to an online vCPU: on again, into that vCPU's file. */
    retarget(RTC, 1);
    assert_int_equal(fake_aplic_cpu[RTC], v1->cpu);
    assert_true(fake_aplic_on[RTC]);
    retarget(RTC, 0);
    assert_false(fake_aplic_on[RTC]);
    /* Its target is back. */
    online(v0, true);
    assert_true(fake_aplic_on[RTC]);
    /* The domain's IE gates it too (§4.5.1). */
    mmio(v0, APLIC_DOMAINCFG, true, 0);
    assert_false(fake_aplic_on[RTC]);
    mmio(v0, APLIC_DOMAINCFG, true, APLIC_DOMAINCFG_IE);
    assert_true(fake_aplic_on[RTC]);
    mmio(v0, APLIC_CLRIENUM, true, RTC);
    assert_false(fake_aplic_on[RTC]);
    assert_int_equal(mmio(v0, APLIC_SETIE, false, 0), 0);
}

static void test_doorbell_for_an_offline_target_waits(void **state)
{
    (void)state;
    source(DB, SM_EDGE1, 1);
    online(v1, false);
    fake_cpu = 0;
    virq_raise(&vm, DB);
    assert_int_equal(fake_msi_count, 0);
    assert_int_equal(mmio(v0, APLIC_SETIP + 4 * (DB / 32), false, 0), 1u << (DB % 32));
    online(v1, true);
    assert_int_equal(fake_msi_count, 1);
    assert_true(msi_at(v1, DB));
    /* Or it goes out when the guest retargets it to an online vCPU. */
    online(v1, false);
    fake_file_eip[v1->cpu] = 0;
    virq_raise(&vm, DB);
    assert_int_equal(fake_msi_count, 1);
    retarget(DB, 0);
    assert_int_equal(fake_msi_count, 2);
    assert_true(msi_at(v0, DB));
}

/* A doorbell raised on another hart is not written into the target's file
 * from there (QEMU before 9.2 can lose it against the guest's own accesses
 * to its file): it is queued, CPU_MSG_VIRQ is posted once, and the target's
 * hart writes it on its way back into the guest. */
static void test_doorbell_from_another_hart_is_written_by_the_targets_hart(void **state)
{
    (void)state;
    source(DB, SM_EDGE1, 0);
    fake_msg_count = 0;
    fake_cpu = 3;
    virq_raise(&vm, DB);
    assert_int_equal(fake_msi_count, 0);
    assert_int_equal(fake_msgs_to(v0->cpu), 1);
    assert_int_equal(fake_msg_count, 1);
    /* Forwarded (§4.9.3): no longer pending in the vAPLIC. */
    assert_int_equal(mmio(v1, APLIC_SETIP + 4 * (DB / 32), false, 0), 0);
    /* Raised again before the target looked: one request covers both. */
    fake_cpu = 2;
    virq_raise(&vm, DB);
    assert_int_equal(fake_msg_count, 1);
    /* Another vCPU's exit writes nothing into v0's file. */
    flush(v1);
    assert_int_equal(fake_msi_count, 0);
    flush(v0);
    assert_true(msi_at(v0, DB));
    assert_int_equal(fake_msi_count, 1);
    /* Nothing new: the next exit writes nothing. */
    flush(v0);
    assert_int_equal(fake_msi_count, 1);
    /* After the target's look, a new raise posts again. */
    fake_file_eip[v0->cpu] = 0;
    fake_cpu = 3;
    virq_raise(&vm, DB);
    assert_int_equal(fake_msgs_to(v0->cpu), 2);
    flush(v0);
    assert_int_equal(fake_msi_count, 2);
    /* vCPU 1 enabling a doorbell that targets vCPU 0 queues it too. */
    mmio(v0, APLIC_CLRIENUM, true, DB);
    fake_file_eip[v0->cpu] = 0;
    fake_cpu = 3;
    virq_raise(&vm, DB);
    assert_int_equal(fake_msi_count, 2);
    mmio(v1, APLIC_SETIENUM, true, DB);
    assert_int_equal(fake_msi_count, 2);
    assert_int_equal(fake_msgs_to(v0->cpu), 3);
    flush(v0);
    assert_int_equal(fake_msi_count, 3);
    assert_true(msi_at(v0, DB));
}

/* Queued for a vCPU that then goes off: given back like an MSI its file
 * did not take, and sent when it is back. */
static void test_doorbell_queued_for_a_vcpu_going_offline_waits_for_it(void **state)
{
    (void)state;
    source(DB, SM_EDGE1, 1);
    fake_cpu = 3;
    virq_raise(&vm, DB);
    assert_int_equal(fake_msi_count, 0);
    online(v1, false); /* on v1's hart: the queue goes in, then back out */
    assert_false(msi_at(v1, DB));
    assert_int_equal(mmio(v0, APLIC_SETIP + 4 * (DB / 32), false, 0), 1u << (DB % 32));
    unsigned sent = fake_msi_count;
    online(v1, true);
    assert_int_equal(fake_msi_count, sent + 1);
    assert_true(msi_at(v1, DB));
}

/* What reached the file of a vCPU that goes off, and was not taken, is
 * pending again: sent once it can be. */
static void test_offline_gives_back_what_its_file_did_not_take(void **state)
{
    (void)state;
    source(DB, SM_EDGE1, 0);
    source(RTC, SM_LEVEL1, 0);
    fake_cpu = 3;
    virq_raise(&vm, DB);
    flush(v0);
    assert_true(msi_at(v0, DB));
    fake_file_eip[v0->cpu] |= 1ull << RTC; /* the APLIC's MSI for RTC */
    online(v0, false);
    assert_false(msi_at(v0, DB));
    assert_false(msi_at(v0, RTC));
    assert_true(fake_aplic_pending[RTC]);
    assert_false(fake_aplic_on[RTC]);
    unsigned sent = fake_msi_count;
    online(v0, true);
    assert_int_equal(fake_msi_count, sent + 1);
    assert_true(msi_at(v0, DB));
    assert_true(fake_aplic_on[RTC]);
}

static void test_inactive_sources_and_other_vms_sources(void **state)
{
    (void)state;
    /* Inactive (SM = 0): enable and pending are read-only zeros (§4.5.2). */
    mmio(v0, APLIC_SETIENUM, true, DB);
    fake_cpu = 0;
    virq_raise(&vm, DB);
    assert_int_equal(mmio(v0, APLIC_SETIE + 4, false, 0), 0);
    assert_int_equal(mmio(v0, APLIC_SETIP + 4, false, 0), 0);
    assert_int_equal(fake_msi_count, 0);
    /* Not the VM's: reads as zero, writes change nothing physical. */
    mmio(v0, APLIC_SOURCECFG(10), true, SM_LEVEL1);
    assert_int_equal(mmio(v0, APLIC_SOURCECFG(10), false, 0), 0);
    assert_int_equal(fake_aplic_mode[10], 0);
    mmio(v0, APLIC_SETIENUM, true, 10);
    assert_false(fake_aplic_on[10]);
    /* Going inactive clears enable and pending. */
    source(DB, SM_EDGE1, 1);
    online(v1, false);
    virq_raise(&vm, DB);
    mmio(v0, APLIC_SOURCECFG(DB), true, 0);
    online(v1, true);
    assert_int_equal(fake_msi_count, 0);
}

/* What ipc_notify does: the receiver's events word goes 0->1, then the
 * doorbell is raised (once, until the guest takes its events). */
static void notify(void)
{
    fake_cpu = 3; /* the sender's CPU, not the target's */
    if (__atomic_fetch_or(&vm.ipc_events[0], 1u, __ATOMIC_ACQ_REL) == 0)
        virq_raise(&vm, DB);
}

/* A doorbell rung before the guest has set its source up (the sender's VM
 * ran first) must not be lost: it is raised only once per 0->1 of the
 * events word, so no second one comes until the guest takes its events.
 * Inactive, the source's pending bit reads zero (§4.5.2); made active, the
 * doorbell wire is still high (events untaken), so the source becomes
 * pending (§4.5.2: a sourcecfg write may set it when the rectified input is
 * high) and goes out once enabled, in an enabled domain (§4.5.1, §4.7). */
static void test_doorbell_rung_before_the_guest_set_its_source_up_arrives(void **state)
{
    (void)state;
    mmio(v0, APLIC_DOMAINCFG, true, 0);
    notify();
    notify(); /* no second raise: the events word is already non-zero */
    assert_int_equal(mmio(v0, APLIC_SETIP + 4 * (DB / 32), false, 0), 0);
    assert_int_equal(fake_msi_count, 0);
    /* The guest's order: sourcecfg, target, domaincfg.IE last. */
    mmio(v0, APLIC_SOURCECFG(DB), true, SM_EDGE1);
    assert_int_equal(mmio(v0, APLIC_SETIP + 4 * (DB / 32), false, 0), 1u << (DB % 32));
    retarget(DB, 0);
    mmio(v0, APLIC_SETIENUM, true, DB);
    assert_int_equal(fake_msi_count, 0); /* the domain is still off */
    mmio(v0, APLIC_DOMAINCFG, true, APLIC_DOMAINCFG_IE);
    assert_int_equal(fake_msi_count, 1);
    assert_true(msi_at(v0, DB));
    assert_int_equal(mmio(v0, APLIC_SETIP + 4 * (DB / 32), false, 0), 0);
    /* Taken events re-arm it: the next notify rings again. */
    fake_file_eip[v0->cpu] = 0;
    (void)__atomic_exchange_n(&vm.ipc_events[0], 0, __ATOMIC_ACQ_REL);
    notify();
    flush(v0);
    assert_int_equal(fake_msi_count, 2);
    assert_true(msi_at(v0, DB));
}

/* Events the guest took while the source was inactive leave the wire low:
 * activating the source then sends nothing; and only activation samples
 * the wire: a sourcecfg write to an already active source adds nothing. */
static void test_doorbell_wire_low_or_already_active_sends_nothing_on_activation(void **state)
{
    (void)state;
    notify();
    (void)__atomic_exchange_n(&vm.ipc_events[0], 0, __ATOMIC_ACQ_REL);
    source(DB, SM_EDGE1, 0);
    assert_int_equal(fake_msi_count, 0);
    notify();
    flush(v0);
    assert_int_equal(fake_msi_count, 1);
    fake_file_eip[v0->cpu] = 0;
    mmio(v0, APLIC_SOURCECFG(DB), true, SM_EDGE1);
    assert_int_equal(fake_msi_count, 1);
    /* Made inactive, its pending bit is cleared; made active again with
     * the events still untaken, it rings once more. */
    mmio(v0, APLIC_SOURCECFG(DB), true, 0);
    source(DB, SM_EDGE1, 0);
    assert_int_equal(fake_msi_count, 2);
    assert_true(msi_at(v0, DB));
}

static void test_reset_and_stop_silence_the_wired_sources(void **state)
{
    (void)state;
    source(RTC, SM_LEVEL1, 1);
    assert_true(fake_aplic_on[RTC]);
    online(v0, false);
    online(v1, false);
    virq_vm_init(&vm);
    assert_false(fake_aplic_on[RTC]);
    assert_int_equal(fake_aplic_mode[RTC], 0);
    assert_int_equal(mmio(v0, APLIC_SOURCECFG(RTC), false, 0), 0);
    online(v0, true);
    online(v1, true);
    mmio(v0, APLIC_DOMAINCFG, true, APLIC_DOMAINCFG_IE);
    source(RTC, SM_LEVEL1, 1);
    source(DB, SM_EDGE1, 0);
    assert_true(fake_aplic_on[RTC]);
    virq_vm_stop(&vm);
    assert_false(fake_aplic_on[RTC]);
    assert_int_equal(fake_aplic_mode[RTC], 0);
    /* A stopped VM's doorbell goes nowhere. */
    fake_cpu = 0;
    virq_raise(&vm, DB);
    assert_int_equal(fake_msi_count, 0);
}

/* Every test starts from setup() and ends with teardown()'s check. */
#define TEST(name) cmocka_unit_test_setup_teardown(name, setup, teardown)

/* A target naming a hart the VM lacks goes to vCPU 0 (the guest reads that back). */
static void test_target_beyond_the_vms_harts(void **state)
{
    (void)state;
    source(DB, SM_EDGE1, 1);
    mmio(v0, APLIC_TARGET(DB), true, 5u << APLIC_TARGET_HART_SHIFT | 7);
    assert_int_equal(mmio(v0, APLIC_TARGET(DB), false, 0), 0u << APLIC_TARGET_HART_SHIFT | 7);
    mmio(v0, APLIC_TARGET(RTC), true, 0);
    mmio(v0, APLIC_SOURCECFG(RTC), true, SM_LEVEL1);
    mmio(v0, APLIC_TARGET(RTC), true, 3u << APLIC_TARGET_HART_SHIFT | 9);
    assert_int_equal(mmio(v0, APLIC_TARGET(RTC), false, 0), 9);
    assert_int_equal(fake_aplic_cpu[RTC], v0->cpu);
    fake_cpu = v0->cpu;
    virq_raise(&vm, DB);
    assert_true(msi_at(v0, 7));
    assert_false(msi_at(v1, 7));
}

/* EIID 0 is no identity (AIA §3.1): a doorbell targeting it sends nothing. */
static void test_eiid_zero_sends_nothing(void **state)
{
    (void)state;
    mmio(v0, APLIC_SOURCECFG(DB), true, SM_EDGE1);
    mmio(v0, APLIC_TARGET(DB), true, 0);
    mmio(v0, APLIC_SETIENUM, true, DB);
    fake_cpu = v0->cpu;
    virq_raise(&vm, DB);
    assert_int_equal(fake_msi_count, 0);
    assert_int_equal(fake_file_eip[v0->cpu], 0);
    /* ...nor queued for another hart. */
    mmio(v0, APLIC_TARGET(DB), true, 1u << APLIC_TARGET_HART_SHIFT);
    virq_raise(&vm, DB);
    flush(v1);
    assert_int_equal(fake_msi_count, 0);
}

/* A wired source the guest enables without writing its target goes where
 * its target reads (vCPU 0, §4.5.16): at first boot not where the APLIC's
 * reset pointed it (hart 0, another VM's), after a reset not to the hart
 * the last run chose. */
static void test_wired_source_targets_vcpu0_until_written_and_after_a_reset(void **state)
{
    (void)state;
    assert_int_equal(fake_aplic_cpu[RTC], v0->cpu);
    mmio(v0, APLIC_SOURCECFG(RTC), true, SM_LEVEL1);
    mmio(v0, APLIC_SETIENUM, true, RTC);
    assert_int_equal(mmio(v0, APLIC_TARGET(RTC), false, 0), 0);
    assert_int_equal(fake_aplic_cpu[RTC], v0->cpu);
    retarget(RTC, 1);
    assert_int_equal(fake_aplic_cpu[RTC], v1->cpu);
    online(v0, false);
    online(v1, false);
    virq_vm_init(&vm);
    online(v0, true);
    online(v1, true);
    mmio(v0, APLIC_DOMAINCFG, true, APLIC_DOMAINCFG_IE);
    mmio(v0, APLIC_SOURCECFG(RTC), true, SM_LEVEL1);
    mmio(v0, APLIC_SETIENUM, true, RTC);
    assert_true(fake_aplic_on[RTC]);
    assert_int_equal(mmio(v0, APLIC_TARGET(RTC), false, 0), 0);
    assert_int_equal(fake_aplic_cpu[RTC], v0->cpu);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        TEST(test_wired_source_follows_its_target_and_waits_for_an_offline_one),
        TEST(test_doorbell_for_an_offline_target_waits),
        TEST(test_doorbell_from_another_hart_is_written_by_the_targets_hart),
        TEST(test_doorbell_queued_for_a_vcpu_going_offline_waits_for_it),
        TEST(test_offline_gives_back_what_its_file_did_not_take),
        TEST(test_inactive_sources_and_other_vms_sources),
        TEST(test_doorbell_rung_before_the_guest_set_its_source_up_arrives),
        TEST(test_doorbell_wire_low_or_already_active_sends_nothing_on_activation),
        TEST(test_reset_and_stop_silence_the_wired_sources),
        TEST(test_target_beyond_the_vms_harts),
        TEST(test_eiid_zero_sends_nothing),
        TEST(test_wired_source_targets_vcpu0_until_written_and_after_a_reset),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
