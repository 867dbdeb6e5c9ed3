/* Host tests of the vGIC's two-CPU paths (vgic.c + GICv3 front end): a test acts as pCPU 0 or 1, and the requests CPUs post each other are recorded. */
#define _POSIX_C_SOURCE 200809L /* clock_gettime */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>
#include <pthread.h>
#include <sched.h>
#include <time.h>
#include <cmocka.h>

#include "fake_vgic_lr.h"
#include "vgic.h"
#include "vgic_ops.h"
#include "vm.h"

#define GICD 0x08000000ull
#define IROUTER(n) (GICD + 0x6000 + 8 * (n))

/* SPIs 40, 41: passthrough; 45: an IPC doorbell. vCPU k runs on pCPU k. */
static const uint32_t dev_irqs[] = {40, 41};
static const struct vm_dev_region devs[] = {
    {.pa = 0x09000000, .ipa = 0x09000000, .size = 0x1000, .irqs = dev_irqs, .irqs_count = 2},
};
static const struct vm_ipc ipcs[] = {{.shmem_id = 0, .ipa = 0x50000000, .doorbell_irq = 45}};
static const struct vm_config cfg = {
    .name = "t",
    .cpus = 0x3,
    .devs = devs,
    .devs_count = 1,
    .ipcs = ipcs,
    .ipcs_count = 1,
};

static struct vm vm;
static struct vcpu *v0, *v1;

static void on_cpu(cpuid_t c)
{
    fake_current_cpu = c;
}

/* vCPU v's pCPU flushes on its way back into the guest. */
static void flush_on(struct vcpu *v)
{
    cpuid_t was = fake_current_cpu;
    on_cpu(v->cpu);
    vgic_flush(v);
    on_cpu(was);
}

/* CPU_MSG_VIRQ requests posted to pCPU `cpu` so far. */
static unsigned msgs_to(cpuid_t cpu)
{
    unsigned n = 0;
    for (unsigned i = 0; i < fake_msg_count && i < FAKE_LOG_LEN; i++)
        n += fake_msgs[i].target == cpu && fake_msgs[i].kind == CPU_MSG_VIRQ;
    return n;
}

/* Is `intid` in an LR of pCPU `cpu`? */
static int lr_on(cpuid_t cpu, irqid_t intid)
{
    cpuid_t was = fake_current_cpu;
    on_cpu(cpu);
    int i = fake_lr_find(intid);
    on_cpu(was);
    return i;
}

static bool deactivated(irqid_t intid)
{
    for (unsigned i = 0; i < fake_deactivated_count && i < FAKE_LOG_LEN; i++)
        if (fake_deactivated[i] == intid)
            return true;
    return false;
}

static uint64_t mmio(struct vcpu *v, uint64_t addr, unsigned size, bool write, uint64_t value)
{
    struct mmio_access acc = {.addr = ipa_init(addr), .size = size, .write = write, .value = value};
    assert_true(vgic_mmio_access(v, &acc));
    return acc.value;
}

static struct vgic_irq_view view(struct vcpu *bank, irqid_t intid)
{
    struct vgic_irq_view w;
    memset(&w, 0, sizeof(w));
    assert_true(vgic_irq_view(bank, intid, &w));
    return w;
}

static int setup(void **state)
{
    (void)state;
    memset(&vm, 0, sizeof(vm));
    fake_vgic_reset();
    vm.config = &cfg;
    vm.vcpu_count = 2;
    vm.state = VM_RUNNING;
    for (uint32_t k = 0; k < 2; k++) {
        vm.vcpus[k].vm = &vm;
        vm.vcpus[k].id = k;
        vm.vcpus[k].cpu = k;
        vm.vcpus[k].state = VCPU_ON;
    }
    v0 = &vm.vcpus[0];
    v1 = &vm.vcpus[1];
    vgic_vm_init(&vm);
    on_cpu(1);
    vgic_vcpu_reset(v1);
    on_cpu(0);
    vgic_vcpu_reset(v0);
    vgic_dist_set_enabled(&vm, false, true);
    for (irqid_t i = 40; i <= 45; i++)
        vgic_irq_set_enabled(v0, i, true);
    flush_on(v1);
    flush_on(v0);
    fake_msg_count = 0;
    fake_deactivated_count = 0;
    fake_route_calls = 0;
    fake_edge_calls = 0;
    fake_enable_calls = 0;
    return 0;
}

/* CPU 1 makes an SPI pending again while it sits, active, in an LR of
 * vCPU 0 on CPU 0: CPU 0 is told, and its next flush adds the pending bit. */
static void test_pend_reaches_a_remote_lr_holder(void **state)
{
    (void)state;
    vgic_irq_set_pending(v0, 45, true); /* on CPU 0, for vCPU 0: straight into an LR */
    int lr = fake_lr_find(45);
    assert_int_not_equal(lr, -1);
    fake_guest_ack(lr);
    flush_on(v0);
    fake_msg_count = 0;

    on_cpu(1);
    vgic_irq_set_pending(v1, 45, true); /* vCPU 1's GICD_ISPENDR write */
    assert_int_equal(lr_on(1, 45), -1);  /* never into CPU 1's own LRs */
    assert_int_equal(msgs_to(0), 1);
    assert_int_equal(msgs_to(1), 0);
    assert_true(view(v1, 45).pending);
    on_cpu(0);
    vgic_flush(v0);
    assert_int_equal(fake_lr_find(45), lr);
    assert_true(fake_lrs[lr].pending);
    assert_true(fake_lrs[lr].active);
    /* Once the guest is done with the first instance it gets the second. */
    fake_lrs[lr].active = false;
    vgic_flush(v0);
    assert_true(fake_lrs[lr].pending);
}

/* The same for an SGI: vCPU 1 sends SGI 2 to vCPU 0 while vCPU 0's LR still
 * holds the last one; CPU 0 is told and merges it at its flush. */
static void test_sgi_from_cpu1_to_a_vcpu_on_cpu0(void **state)
{
    (void)state;
    on_cpu(1);
    vgic_sgi_write(v1, (2ull << 24) | 0x1); /* TargetList: vCPU 0 */
    assert_int_equal(msgs_to(0), 1);
    assert_int_equal(lr_on(1, 2), -1);
    assert_int_equal(lr_on(0, 2), -1); /* nothing wrote CPU 0's LRs from CPU 1 */
    on_cpu(0);
    vgic_flush(v0);
    int lr = fake_lr_find(2);
    assert_int_not_equal(lr, -1);
    fake_guest_ack(lr);
    vgic_flush(v0);
    fake_msg_count = 0;
    on_cpu(1);
    vgic_sgi_write(v1, (2ull << 24) | 0x1);
    assert_int_equal(msgs_to(0), 1);
    on_cpu(0);
    vgic_flush(v0);
    assert_true(fake_lrs[lr].pending);
    assert_true(fake_lrs[lr].active);
}

/* ICC_SGI1R: RS picks the range of 16 vCPUs the target list names. */
static void test_sgi1r_range_selector(void **state)
{
    (void)state;
    /* RS = 1, TargetList bit 1: vCPU 17, which this VM lacks. */
    vgic_sgi_write(v0, (1ull << 44) | (3ull << 24) | 0x2);
    assert_false(view(v1, 3).pending);
    assert_int_equal(fake_msg_count, 0);
    /* RS = 15 the same. */
    vgic_sgi_write(v0, (15ull << 44) | (3ull << 24) | 0x3);
    assert_false(view(v1, 3).pending);
    assert_false(view(v0, 3).pending);
    /* RS = 0: vCPU 1. */
    vgic_sgi_write(v0, (3ull << 24) | 0x2);
    assert_true(view(v1, 3).pending);
    assert_int_equal(msgs_to(1), 1);
}

/* Aff1, Aff2 or Aff3 set: the target list names PEs of another cluster. */
static void test_sgi1r_affinity(void **state)
{
    (void)state;
    const uint64_t aff[] = {1ull << 16, 1ull << 32, 1ull << 48, 0x80ull << 16, 0x80ull << 32};
    for (size_t i = 0; i < sizeof(aff) / sizeof(aff[0]); i++)
        vgic_sgi_write(v0, aff[i] | (4ull << 24) | 0x3);
    assert_false(view(v0, 4).pending);
    assert_false(view(v1, 4).pending);
    assert_int_equal(fake_msg_count, 0);
}

/* IRM = 1: every PE but the sender, whatever the target list says. */
static void test_sgi1r_irm(void **state)
{
    (void)state;
    vgic_sgi_write(v0, (1ull << 40) | (5ull << 24));
    assert_true(view(v1, 5).pending);
    assert_false(view(v0, 5).pending);
    assert_int_equal(msgs_to(1), 1);
    on_cpu(1);
    vgic_sgi_write(v1, (1ull << 40) | (6ull << 24) | 0x2);
    assert_true(view(v0, 6).pending);
    assert_false(view(v1, 6).pending);
}

/* A target list bit beyond the VM's vCPUs reaches nobody (and no memory). */
static void test_sgi_send_bounded_by_vcpu_count(void **state)
{
    (void)state;
    struct vcpu spare;
    memcpy(&spare, &vm.vcpus[2], sizeof(spare));
    vgic_sgi_send(v0, 0x4 | 0x8 | (1u << 31), 1, 0);
    assert_memory_equal(&spare, &vm.vcpus[2], sizeof(spare));
    assert_int_equal(fake_msg_count, 0);
    vgic_sgi_send(v0, 0x2, 16, 0); /* no SGI 16 */
    assert_int_equal(fake_msg_count, 0);
}

/* GICD_IROUTER: only Aff0 = k with Aff1-3 zero names vCPU k; anything else
 * is ignored and the last valid route stays. */
static void test_irouter_affinity_checks(void **state)
{
    (void)state;
    const uint64_t bad[] = {(1ull << 8) | 1, (1ull << 16) | 1, (0x80ull << 16) | 1,
                            (1ull << 32) | 1, 2, 0xff};
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        mmio(v0, IROUTER(41), 8, true, bad[i]);
        assert_int_equal(view(v0, 41).target_vcpu, 0);
        assert_int_equal(mmio(v0, IROUTER(41), 8, false, 0), 0);
    }
    assert_int_equal(fake_route_calls, 0);
    /* 32-bit halves: the low one routes, the high one (Aff3) is ignored. */
    mmio(v0, IROUTER(41), 4, true, (1ull << 16) | 1);
    assert_int_equal(view(v0, 41).target_vcpu, 0);
    mmio(v0, IROUTER(41), 4, true, 1);
    assert_int_equal(view(v0, 41).target_vcpu, 1);
    assert_int_equal(fake_route_calls, 1);
    assert_int_equal(fake_routed_cpu, 1);
    mmio(v0, IROUTER(41) + 4, 4, true, 1);
    assert_int_equal(view(v0, 41).target_vcpu, 1);
    assert_int_equal(mmio(v0, IROUTER(41) + 4, 4, false, 0), 0);
    /* The route API itself refuses a vCPU the VM lacks. */
    vgic_irq_set_target(&vm, 41, 2);
    vgic_irq_set_target(&vm, 41, 200);
    assert_int_equal(view(v0, 41).target_vcpu, 1);
    assert_int_equal(fake_route_calls, 1);
    vgic_irq_set_target(&vm, 41, 0);
    assert_int_equal(fake_routed_cpu, 0);
}

/* Equal priorities: the lowest INTID takes the LR first. */
static void test_priority_tie_goes_to_the_lowest_intid(void **state)
{
    (void)state;
    /* Pended from CPU 1 (no fast path), so the flush on CPU 0 chooses. */
    on_cpu(1);
    for (irqid_t i = 7; i >= 1; i--) {
        vgic_irq_set_priority(v0, i, 0xa0);
        vgic_irq_set_pending(v0, i, true);
    }
    on_cpu(0);
    vgic_flush(v0);
    for (irqid_t i = 1; i <= 4; i++)
        assert_int_not_equal(fake_lr_find(i), -1);
    for (irqid_t i = 5; i <= 7; i++)
        assert_int_equal(fake_lr_find(i), -1);
    /* A more urgent one still takes over one of them. */
    vgic_irq_set_priority(v0, 6, 0x10);
    vgic_flush(v0);
    assert_int_not_equal(fake_lr_find(6), -1);
    unsigned held = 0;
    for (irqid_t i = 1; i <= 4; i++)
        held += fake_lr_find(i) != -1;
    assert_int_equal(held, 3);
}

/* An entry the guest is handling (active, and pending again) is never
 * evicted, however low its priority. */
static void test_active_and_pending_entries_stay(void **state)
{
    (void)state;
    for (irqid_t i = 1; i <= 4; i++) {
        vgic_irq_set_priority(v0, i, 0xf0);
        vgic_irq_set_pending(v0, i, true);
    }
    vgic_flush(v0);
    for (irqid_t i = 1; i <= 4; i++)
        fake_guest_ack(fake_lr_find(i));
    vgic_flush(v0);
    for (irqid_t i = 1; i <= 4; i++)
        vgic_irq_set_pending(v0, i, true);
    vgic_flush(v0);
    for (irqid_t i = 1; i <= 4; i++) {
        int lr = fake_lr_find(i);
        assert_true(fake_lrs[lr].pending && fake_lrs[lr].active);
    }
    vgic_irq_set_priority(v0, 9, 0x00);
    vgic_irq_set_pending(v0, 9, true);
    vgic_flush(v0);
    assert_int_equal(fake_lr_find(9), -1);
    for (irqid_t i = 1; i <= 4; i++)
        assert_int_not_equal(fake_lr_find(i), -1);
    assert_true(fake_underflow);
}

/* Enabling the distributor tells every vCPU with interrupts waiting for it. */
static void test_distributor_enable_kicks_the_remote_vcpu(void **state)
{
    (void)state;
    vgic_dist_set_enabled(&vm, false, false);
    vgic_irq_set_target(&vm, 45, 1);
    vgic_irq_set_pending(v0, 45, true);
    flush_on(v1);
    flush_on(v0);
    assert_int_equal(lr_on(1, 45), -1);
    fake_msg_count = 0;
    vgic_dist_set_enabled(&vm, false, true); /* vCPU 0's GICD_CTLR write, on CPU 0 */
    assert_int_equal(msgs_to(1), 1);
    flush_on(v1);
    assert_int_not_equal(lr_on(1, 45), -1);
}

/* Group 1 interrupts wait while EnableGrp1 is clear, SGIs and PPIs included. */
static void test_group_enable_gates_delivery(void **state)
{
    (void)state;
    vgic_dist_set_enabled(&vm, true, false);
    vgic_irq_set_pending(v0, 2, true);
    vgic_irq_set_pending(v0, 45, true);
    vgic_flush(v0);
    assert_int_equal(fake_lr_used(), 0);
    vgic_dist_set_enabled(&vm, false, true);
    vgic_flush(v0);
    assert_int_not_equal(fake_lr_find(2), -1);
    assert_int_not_equal(fake_lr_find(45), -1);
    /* Group 0 interrupts are gated by EnableGrp0 alike. */
    vgic_irq_set_group(v0, 3, false);
    vgic_irq_set_pending(v0, 3, true);
    vgic_flush(v0);
    assert_int_equal(fake_lr_find(3), -1);
    vgic_dist_set_enabled(&vm, true, true);
    vgic_flush(v0);
    assert_int_not_equal(fake_lr_find(3), -1);
}

/* An SPI retargeted while pending in vCPU 0's LR leaves it for vCPU 1's. */
static void test_retarget_moves_a_pending_spi(void **state)
{
    (void)state;
    vgic_irq_set_pending(v0, 45, true);
    assert_int_not_equal(fake_lr_find(45), -1);
    fake_msg_count = 0;
    on_cpu(1);
    mmio(v1, IROUTER(45), 8, true, 1);
    assert_int_equal(msgs_to(0), 1); /* the holder gives it back */
    on_cpu(0);
    vgic_flush(v0);
    assert_int_equal(fake_lr_find(45), -1);
    assert_int_equal(msgs_to(1), 1); /* and the new target is told */
    flush_on(v1);
    assert_int_not_equal(lr_on(1, 45), -1);
    /* vCPU 0 never takes it while it is vCPU 1's. */
    vgic_flush(v0);
    assert_int_equal(fake_lr_find(45), -1);
}

/* Disables that must reach a remote LR: RWP reads 1 until its flush. */
static void test_rwp_until_the_remote_flush(void **state)
{
    (void)state;
    vgic_irq_set_target(&vm, 45, 1);
    vgic_irq_set_pending(v0, 45, true);
    flush_on(v1);
    assert_int_not_equal(lr_on(1, 45), -1);
    /* GICD_CTLR disable on CPU 0. */
    vgic_dist_set_enabled(&vm, false, false);
    assert_true(vgic_rwp(&vm, NULL));
    assert_int_not_equal(mmio(v0, GICD, 4, false, 0) & (1u << 31), 0);
    flush_on(v1);
    assert_false(vgic_rwp(&vm, NULL));
    assert_int_equal(lr_on(1, 45), -1);
    /* GICD_ICENABLER of an interrupt in a remote LR. */
    vgic_dist_set_enabled(&vm, false, true);
    flush_on(v1);
    assert_int_not_equal(lr_on(1, 45), -1);
    vgic_irq_set_enabled(v0, 45, false);
    assert_true(vgic_rwp(&vm, NULL));
    assert_true(vgic_rwp(&vm, v1));
    flush_on(v1);
    assert_false(vgic_rwp(&vm, NULL));
    assert_int_equal(lr_on(1, 45), -1);
}

/* A physical interrupt for an SPI the VM does not own is given back. */
static void test_unowned_hw_interrupt_is_deactivated(void **state)
{
    (void)state;
    vgic_inject_hw(v0, 50);
    assert_true(deactivated(50));
    vgic_inject_hw(v0, 1000);
    assert_true(deactivated(1000));
    assert_int_equal(fake_lr_used(), 0);
}

/* A VM (re)start leaves its passthrough SPIs level-triggered at the GIC,
 * disabled, and routed to vCPU 0's pCPU. */
static void test_vm_init_programs_the_physical_spis(void **state)
{
    (void)state;
    fake_edge_on = true;
    fake_enabled_on = true;
    vgic_vm_init(&vm);
    assert_int_equal(fake_edge_calls, 2);
    assert_false(fake_edge_on);
    assert_int_equal(fake_enable_calls, 4); /* given back, then disabled */
    assert_false(fake_enabled_on);
    assert_int_equal(fake_routed_cpu, 0);
}

/* ---- the redistributors, seen from both pCPUs */

#define GICR 0x080A0000ull
#define RD(k) (GICR + (uint64_t)(k) * 0x20000)
#define SGI_FRAME 0x10000ull

static void test_redistributor_identity_and_window(void **state)
{
    (void)state;
    /* TYPER: Affinity 0.0.0.k, Processor_Number k, Last on the VM's last one. */
    assert_int_equal(mmio(v0, RD(0) + 0x8, 8, false, 0), 0);
    assert_int_equal(mmio(v0, RD(1) + 0x8, 8, false, 0), (1ull << 32) | (1u << 8) | (1u << 4));
    assert_int_equal(mmio(v1, RD(1) + 0x8, 4, false, 0), (1u << 8) | (1u << 4));
    assert_int_equal(mmio(v1, RD(1) + 0xc, 4, false, 0), 1);
    /* The window holds the VM's redistributors only. */
    assert_true(vgic_owns_ipa(&vm, ipa_init(RD(1) + 0x1fffc)));
    assert_false(vgic_owns_ipa(&vm, ipa_init(RD(2))));
    struct mmio_access acc = {.addr = ipa_init(RD(2) + 0x8), .size = 8};
    assert_false(vgic_mmio_access(v0, &acc));
    acc = (struct mmio_access){.addr = ipa_init(RD(0) + 0x14), .size = 2};
    assert_false(vgic_mmio_access(v0, &acc));
    acc = (struct mmio_access){.addr = ipa_init(RD(0) + 0x16), .size = 4};
    assert_false(vgic_mmio_access(v0, &acc));
}

/* GICR_WAKER is each redistributor's own. */
static void test_waker_per_redistributor(void **state)
{
    (void)state;
    mmio(v0, RD(0) + 0x14, 4, true, 2); /* ProcessorSleep */
    assert_int_equal(mmio(v0, RD(0) + 0x14, 4, false, 0), 6);
    assert_int_equal(mmio(v0, RD(1) + 0x14, 4, false, 0), 0);
    mmio(v0, RD(0) + 0x14, 4, true, 0);
    assert_int_equal(mmio(v0, RD(0) + 0x14, 4, false, 0), 0);
    mmio(v1, RD(1) + 0x14, 4, true, 2);
    assert_int_equal(mmio(v1, RD(1) + 0x14, 4, false, 0), 6);
    assert_int_equal(mmio(v1, RD(0) + 0x14, 4, false, 0), 0);
    mmio(v1, RD(1) + 0x14, 4, true, 0);
    assert_int_equal(mmio(v1, RD(1) + 0x14, 4, false, 0), 0);
}

/* vCPU 0 (pCPU 0) disables an SGI held in vCPU 1's LR on pCPU 1 through
 * vCPU 1's redistributor: that redistributor's RWP reads 1 until pCPU 1's
 * flush, the other's never. */
static void test_remote_redistributor_disable_and_pend(void **state)
{
    (void)state;
    on_cpu(1);
    vgic_irq_set_pending(v1, 2, true);
    assert_int_not_equal(fake_lr_find(2), -1);
    on_cpu(0);
    fake_msg_count = 0;
    mmio(v0, RD(1) + SGI_FRAME + 0x180, 4, true, 1u << 2); /* ICENABLER0 */
    assert_int_equal(msgs_to(1), 1);
    assert_int_equal(mmio(v0, RD(1), 4, false, 0) & (1u << 3), 1u << 3);
    assert_int_equal(mmio(v0, RD(0), 4, false, 0) & (1u << 3), 0);
    flush_on(v1);
    assert_int_equal(mmio(v0, RD(1), 4, false, 0) & (1u << 3), 0);
    assert_int_equal(lr_on(1, 2), -1);
    assert_int_equal(mmio(v0, RD(1) + SGI_FRAME + 0x100, 4, false, 0) & (1u << 2), 0);
    assert_int_equal(mmio(v0, RD(0) + SGI_FRAME + 0x100, 4, false, 0) & (1u << 2), 1u << 2);
    /* Pending an SGI of vCPU 1 through its GICR_ISPENDR0, from pCPU 0. */
    fake_msg_count = 0;
    mmio(v0, RD(1) + SGI_FRAME + 0x200, 4, true, 1u << 5);
    assert_int_equal(msgs_to(1), 1);
    assert_int_equal(lr_on(0, 5), -1);
    assert_true(view(v1, 5).pending);
    assert_false(view(v0, 5).pending);
    flush_on(v1);
    assert_int_not_equal(lr_on(1, 5), -1);
}

/* ---- a race on real threads: pCPU 1 sends, pCPU 0 acts only when told */

#define RACE_ROUNDS 400
static unsigned race_got_spi, race_got_sgi; /* taken by vCPU 0's guest */
static bool race_stuck;

static double now_s(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + t.tv_nsec / 1e9;
}

/* Wait for *counter >= want; gives up (and says so) after 3 s without it. */
static bool race_wait(unsigned *counter, unsigned want)
{
    double until = now_s() + 3.0;
    while (__atomic_load_n(counter, __ATOMIC_ACQUIRE) < want) {
        if (__atomic_load_n(&race_stuck, __ATOMIC_RELAXED) || now_s() > until) {
            __atomic_store_n(&race_stuck, true, __ATOMIC_RELAXED);
            return false;
        }
        sched_yield();
    }
    return true;
}

/* vCPU 1 on pCPU 1: each round an ISPENDR write for SPI 45 (routed to
 * vCPU 0) and an SGI 3 to vCPU 0, then it waits for vCPU 0 to take both. */
static void *race_sender(void *arg)
{
    (void)arg;
    on_cpu(1);
    for (unsigned r = 1; r <= RACE_ROUNDS; r++) {
        vgic_irq_set_pending(v1, 45, true);
        vgic_sgi_write(v1, (3ull << 24) | 0x1);
        if (!race_wait(&race_got_spi, r) || !race_wait(&race_got_sgi, r))
            break;
    }
    return NULL;
}

/* pCPU 0: flushes vCPU 0 only when a request arrives (its IPI), then its
 * guest acknowledges and completes whatever its LRs hold. */
static void race_receiver(void)
{
    on_cpu(0);
    double idle_since = now_s();
    while (__atomic_load_n(&race_got_spi, __ATOMIC_RELAXED) < RACE_ROUNDS ||
           __atomic_load_n(&race_got_sgi, __ATOMIC_RELAXED) < RACE_ROUNDS) {
        if (__atomic_load_n(&race_stuck, __ATOMIC_RELAXED))
            return;
        if (!(fake_msg_take(0) & (1u << CPU_MSG_VIRQ))) {
            if (now_s() - idle_since > 3.0) {
                __atomic_store_n(&race_stuck, true, __ATOMIC_RELAXED);
                return;
            }
            sched_yield();
            continue;
        }
        idle_since = now_s();
        vgic_flush(v0);
        for (int i = 0; i < FAKE_LR_MAX; i++) {
            struct vgic_lr *lr = &fake_lrs[i];
            if (!lr->pending)
                continue;
            lr->pending = false; /* acknowledged and completed at once */
            lr->active = false;
            __atomic_fetch_add(lr->intid == 45 ? &race_got_spi : &race_got_sgi, 1, __ATOMIC_RELEASE);
        }
        /* Its next exit syncs the LRs it completed. */
        vgic_flush(v0);
    }
}

/* No request is lost and nothing is taken twice while two pCPUs work on
 * the same VM's state at once. */
static void test_race_two_pcpus(void **state)
{
    (void)state;
    race_got_spi = race_got_sgi = 0;
    race_stuck = false;
    fake_msg_take(0);
    fake_msg_take(1);
    pthread_t t;
    assert_int_equal(pthread_create(&t, NULL, race_sender, NULL), 0);
    race_receiver();
    pthread_join(t, NULL);
    on_cpu(0);
    if (race_stuck)
        fail_msg("stuck after %u SPIs and %u SGIs of %u", race_got_spi, race_got_sgi, RACE_ROUNDS);
    assert_int_equal(race_got_spi, RACE_ROUNDS);
    assert_int_equal(race_got_sgi, RACE_ROUNDS);
    assert_false(view(v0, 45).pending);
    assert_false(view(v0, 3).pending);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(test_pend_reaches_a_remote_lr_holder, setup),
        cmocka_unit_test_setup(test_sgi_from_cpu1_to_a_vcpu_on_cpu0, setup),
        cmocka_unit_test_setup(test_sgi1r_range_selector, setup),
        cmocka_unit_test_setup(test_sgi1r_affinity, setup),
        cmocka_unit_test_setup(test_sgi1r_irm, setup),
        cmocka_unit_test_setup(test_sgi_send_bounded_by_vcpu_count, setup),
        cmocka_unit_test_setup(test_irouter_affinity_checks, setup),
        cmocka_unit_test_setup(test_priority_tie_goes_to_the_lowest_intid, setup),
        cmocka_unit_test_setup(test_active_and_pending_entries_stay, setup),
        cmocka_unit_test_setup(test_distributor_enable_kicks_the_remote_vcpu, setup),
        cmocka_unit_test_setup(test_group_enable_gates_delivery, setup),
        cmocka_unit_test_setup(test_retarget_moves_a_pending_spi, setup),
        cmocka_unit_test_setup(test_rwp_until_the_remote_flush, setup),
        cmocka_unit_test_setup(test_unowned_hw_interrupt_is_deactivated, setup),
        cmocka_unit_test_setup(test_vm_init_programs_the_physical_spis, setup),
        cmocka_unit_test_setup(test_redistributor_identity_and_window, setup),
        cmocka_unit_test_setup(test_waker_per_redistributor, setup),
        cmocka_unit_test_setup(test_remote_redistributor_disable_and_pend, setup),
        cmocka_unit_test_setup(test_race_two_pcpus, setup),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
