/* Host tests of cross-vCPU delivery in the vGIC (vgic.c + GICv3 front end): coalescing, remote LRs, RWP, lost interrupts, single-LR maintenance. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>
#include <cmocka.h>

#include "fake_vgic_lr.h"
#include "vgic.h"
#include "vgic_ops.h"
#include "vm.h"

#define GICD 0x08000000ull
#define GICR 0x080A0000ull
#define SGI_FRAME 0x10000ull
#define RD(k) (GICR + (uint64_t)(k) * 0x20000)

static const uint32_t dev_irqs[] = {40, 41};
static const struct vm_dev_region devs[] = {
    {.pa = 0x09000000, .ipa = 0x09000000, .size = 0x1000, .irqs = dev_irqs, .irqs_count = 2},
};
/* SPI 45: an IPC doorbell, no physical interrupt behind it. */
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

/* The exit path of vCPU k: its pCPU flushes before re-entering the guest. */
static void flush_on(struct vcpu *v)
{
    cpuid_t was = fake_current_cpu;
    on_cpu(v->cpu);
    vgic_flush(v);
    on_cpu(was);
}

static uint64_t mmio(struct vcpu *v, uint64_t addr, unsigned size, bool write, uint64_t value)
{
    struct mmio_access acc = {.addr = ipa_init(addr), .size = size, .write = write, .value = value};
    assert_true(vgic_mmio_access(v, &acc));
    return acc.value;
}

static int setup(void **state)
{
    (void)state;
    memset(&vm, 0, sizeof(vm));
    fake_vgic_reset();
    vm.config = &cfg;
    vm.vcpu_count = 2;
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
    for (irqid_t i = 40; i <= 45; i += 1)
        vgic_irq_set_enabled(v0, i, true);
    flush_on(v1);
    flush_on(v0);
    fake_msg_count = 0;
    fake_deactivated_count = 0;
    fake_edge_calls = 0;
    fake_lr_accesses = 0;
    return 0;
}

/* ---- Cost follows change ---- */

static void test_idle_flush_touches_no_list_register(void **state)
{
    (void)state;
    vgic_flush(v0);
    vgic_flush(v0);
    assert_int_equal(fake_lr_accesses, 0);
    /* With an interrupt the guest is still handling: still nothing. */
    vgic_irq_set_pending(v0, 3, true);
    vgic_flush(v0);
    fake_guest_ack(fake_lr_find(3));
    fake_lr_accesses = 0;
    vgic_flush(v0);
    vgic_flush(v0);
    assert_int_equal(fake_lr_accesses, 0);
    /* Once it is done the next flush frees the LR. */
    fake_guest_eoi(fake_lr_find(3));
    vgic_flush(v0);
    assert_int_equal(fake_lr_used(), 0);
    assert_true(fake_lr_accesses > 0);
}

/* ---- Signalling that cannot be flooded ---- */

static void test_sgi_storm_at_a_stalled_vcpu_posts_once(void **state)
{
    (void)state;
    /* vCPU 1 runs with interrupts masked and never takes its IPI. */
    for (int i = 0; i < 10000; i++)
        vgic_sgi_write(v0, (2ull << 24) | 0x2);
    assert_int_equal(fake_msg_count, 1);
    assert_int_equal(fake_msgs[0].target, 1);
    assert_int_equal(fake_msgs[0].kind, CPU_MSG_VIRQ);
    /* Once it flushes, the SGI is in its LR, once. */
    flush_on(v1);
    on_cpu(1);
    assert_int_equal(fake_lr_used(), 1);
    on_cpu(0);
    /* Pending in its LR: more SGIs are merged there, one post to wake it. */
    for (int i = 0; i < 10000; i++)
        vgic_sgi_write(v0, (2ull << 24) | 0x2);
    assert_int_equal(fake_msg_count, 2);
}

static void test_pending_register_storm_posts_at_most_once(void **state)
{
    (void)state;
    vgic_irq_set_target(&vm, 40, 1);
    vgic_irq_set_target(&vm, 41, 1);
    flush_on(v1);
    fake_msg_count = 0;
    /* A GICD_ISPENDR1 write with every bit set, again and again: one post. */
    for (int i = 0; i < 1000; i++)
        mmio(v0, GICD + 0x204, 4, true, 0xffffffff);
    assert_int_equal(fake_msg_count, 1);
    /* ISENABLER storm of already enabled interrupts: nothing at all. */
    for (int i = 0; i < 1000; i++)
        mmio(v0, GICD + 0x104, 4, true, 0xffffffff);
    assert_int_equal(fake_msg_count, 1);
    flush_on(v1);
    on_cpu(1);
    assert_int_not_equal(fake_lr_find(40), -1);
    assert_int_not_equal(fake_lr_find(41), -1);
}

static void test_doorbell_goes_where_the_guest_routed_it(void **state)
{
    (void)state;
    mmio(v0, GICD + 0x6000 + 8 * 45, 8, true, 1);
    vgic_raise(&vm, 45);
    vgic_raise(&vm, 45); /* already pending: coalesced */
    assert_int_equal(fake_msg_count, 1);
    assert_int_equal(fake_msgs[0].target, 1);
    vgic_flush(v0);
    assert_int_equal(fake_lr_find(45), -1);
    flush_on(v1);
    on_cpu(1);
    assert_int_not_equal(fake_lr_find(45), -1);
    assert_false(fake_lrs[fake_lr_find(45)].hw);
}

/* ---- No interrupt lost ---- */

static void test_spi_for_an_off_vcpu_waits_and_follows_its_route(void **state)
{
    (void)state;
    /* vCPU 0 powers off: its pCPU still takes SPI 40 (routed there). */
    v0->state = VCPU_OFF;
    vgic_vcpu_reset(v0);
    vgic_inject_hw(v0, 40);
    assert_int_equal(fake_deactivated_count, 0); /* the device's instance is kept */
    struct vgic_irq_view w;
    assert_true(vgic_irq_view(v0, 40, &w));
    assert_true(w.pending);
    /* The guest on vCPU 1 routes it to itself: it arrives there, HW-linked. */
    on_cpu(1);
    mmio(v1, GICD + 0x6000 + 8 * 40, 8, true, 1);
    vgic_flush(v1);
    int lr = fake_lr_find(40);
    assert_int_not_equal(lr, -1);
    assert_true(fake_lrs[lr].hw);
    assert_int_equal(fake_lrs[lr].hw_intid, 40);
    assert_int_equal(fake_routed_cpu, 1);
}

static void test_cpu_off_keeps_a_pending_spi(void **state)
{
    (void)state;
    vgic_inject_hw(v0, 40);
    vgic_flush(v0);
    assert_int_not_equal(fake_lr_find(40), -1);
    /* CPU_OFF before the guest took it: it goes back to the distributor. */
    v0->state = VCPU_OFF;
    vgic_vcpu_reset(v0);
    assert_int_equal(fake_deactivated_count, 0);
    struct vgic_irq_view w;
    assert_true(vgic_irq_view(v1, 40, &w));
    assert_true(w.pending);
    vgic_irq_set_target(&vm, 40, 1);
    flush_on(v1);
    on_cpu(1);
    int lr = fake_lr_find(40);
    assert_int_not_equal(lr, -1);
    assert_true(fake_lrs[lr].hw);
}

static void test_vm_reset_gives_back_every_spi(void **state)
{
    (void)state;
    /* SPI 40 acknowledged by the guest on vCPU 0, SPI 41 waiting for vCPU 1. */
    vgic_inject_hw(v0, 40);
    vgic_flush(v0);
    fake_guest_ack(fake_lr_find(40));
    vgic_irq_set_target(&vm, 41, 1);
    vgic_irq_set_enabled(v0, 41, false);
    vgic_inject_hw(v0, 41);
    vm.state = VM_RESETTING;
    vgic_vcpu_reset(v0);
    on_cpu(1);
    vgic_vcpu_reset(v1);
    on_cpu(0);
    vgic_vm_init(&vm);
    bool got40 = false, got41 = false;
    for (unsigned i = 0; i < fake_deactivated_count && i < FAKE_LOG_LEN; i++) {
        got40 |= fake_deactivated[i] == 40;
        got41 |= fake_deactivated[i] == 41;
    }
    assert_true(got40);
    assert_true(got41);
}

/* ---- Spec gaps ---- */

static void test_icfgr_is_mirrored_for_passthrough_spis(void **state)
{
    (void)state;
    /* GICD_ICFGR2 covers INTIDs 32-47: SPI 40 is field 8, edge = bit 17. */
    mmio(v0, GICD + 0xc08, 4, true, 2u << 16);
    assert_int_equal(fake_edge_calls, 1);
    assert_int_equal(fake_edge_irq, 40);
    assert_true(fake_edge_on);
    assert_int_equal(mmio(v0, GICD + 0xc08, 4, false, 0) & (3u << 16), 2u << 16);
    /* The doorbell (SPI 45) has no physical side. */
    mmio(v0, GICD + 0xc08, 4, true, (2u << 16) | (2u << 26));
    assert_int_equal(fake_edge_calls, 1);
    mmio(v0, GICD + 0xc08, 4, true, 0);
    assert_int_equal(fake_edge_calls, 2);
    assert_false(fake_edge_on);
}

static void test_disable_of_a_remote_lr_is_synchronous_with_rwp(void **state)
{
    (void)state;
    vgic_irq_set_target(&vm, 41, 1);
    vgic_inject_hw(v0, 41);
    flush_on(v1);
    on_cpu(1);
    assert_int_not_equal(fake_lr_find(41), -1);
    on_cpu(0);
    fake_msg_count = 0;
    assert_int_equal(mmio(v0, GICD, 4, false, 0) >> 31, 0);
    /* vCPU 0 masks it (GICD_ICENABLER1 bit 9). */
    mmio(v0, GICD + 0x184, 4, true, 1u << 9);
    assert_int_equal(fake_msg_count, 1);
    assert_int_equal(fake_msgs[0].target, 1);
    assert_int_equal(mmio(v0, GICD, 4, false, 0) >> 31, 1); /* RWP */
    flush_on(v1);
    assert_int_equal(mmio(v0, GICD, 4, false, 0) >> 31, 0);
    on_cpu(1);
    assert_int_equal(fake_lr_find(41), -1);
    on_cpu(0);
    /* Still pending, and delivered once enabled again. */
    mmio(v0, GICD + 0x104, 4, true, 1u << 9);
    flush_on(v1);
    on_cpu(1);
    assert_int_not_equal(fake_lr_find(41), -1);
}

static void test_state_writes_reach_a_remote_lr(void **state)
{
    (void)state;
    vgic_irq_set_target(&vm, 41, 1);
    vgic_irq_set_pending(v0, 41, true);
    flush_on(v1);
    /* ICPENDR from vCPU 0: vCPU 1's LR drops it. */
    mmio(v0, GICD + 0x284, 4, true, 1u << 9);
    assert_int_equal(mmio(v0, GICD + 0x204, 4, false, 0) & (1u << 9), 0);
    flush_on(v1);
    on_cpu(1);
    assert_int_equal(fake_lr_find(41), -1);
    on_cpu(0);

    /* ISACTIVER / ICACTIVER of an interrupt the guest there acknowledged. */
    vgic_irq_set_pending(v0, 41, true);
    flush_on(v1);
    on_cpu(1);
    int lr = fake_lr_find(41);
    fake_guest_ack(lr);
    on_cpu(0);
    mmio(v0, GICD + 0x384, 4, true, 1u << 9); /* ICACTIVER */
    flush_on(v1);
    on_cpu(1);
    assert_int_equal(fake_lr_find(41), -1);
    on_cpu(0);
    vgic_irq_set_pending(v0, 41, true);
    flush_on(v1);
    mmio(v0, GICD + 0x304, 4, true, 1u << 9); /* ISACTIVER */
    flush_on(v1);
    on_cpu(1);
    lr = fake_lr_find(41);
    assert_int_not_equal(lr, -1);
    assert_true(fake_lrs[lr].active);
    assert_true(fake_lrs[lr].pending);
}

static void test_ppi_state_changes_only_on_its_own_pcpu(void **state)
{
    (void)state;
    /* vCPU 1's virtual timer fired (HW-linked) but it has PPI 27 disabled. */
    on_cpu(1);
    vgic_inject_hw(v1, 27);
    vgic_flush(v1);
    assert_int_equal(fake_lr_find(27), -1);
    on_cpu(0);
    /* vCPU 0 clears it in vCPU 1's redistributor (GICR_ICPENDR0). */
    mmio(v0, RD(1) + SGI_FRAME + 0x280, 4, true, 1u << 27);
    assert_int_equal(fake_deactivated_count, 0); /* not on pCPU 0 */
    assert_int_equal(fake_msg_count, 1);
    assert_int_equal(fake_msgs[0].target, 1);
    flush_on(v1);
    assert_int_equal(fake_deactivated_count, 1);
    assert_int_equal(fake_deactivated[0], 27);
    assert_int_equal(fake_deactivated_on[0], 1);
    struct vgic_irq_view w;
    assert_true(vgic_irq_view(v1, 27, &w));
    assert_false(w.pending);
}

static void test_single_list_register_maintenance(void **state)
{
    (void)state;
    fake_lr_count = 1;
    vgic_vcpu_reset(v0);
    vgic_irq_set_pending(v0, 1, true);
    vgic_irq_set_pending(v0, 2, true);
    vgic_flush(v0);
    assert_int_equal(fake_lr_find(1), 0);
    /* NPIE: maintenance once the guest has taken the pending one. */
    assert_int_equal(fake_maintenance[0], VGIC_MAINT_NO_PENDING);
    fake_guest_ack(0);
    vgic_maintenance(v0);
    /* Active now: the LR asks for maintenance on its deactivation instead. */
    assert_int_equal(fake_maintenance[0], 0);
    assert_true(fake_lrs[0].eoi);
    assert_true(fake_lrs[0].active);
    fake_guest_eoi(0);
    vgic_maintenance(v0);
    assert_int_equal(fake_lr_find(2), 0);
    assert_int_equal(fake_maintenance[0], 0); /* nothing else waits */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(test_idle_flush_touches_no_list_register, setup),
        cmocka_unit_test_setup(test_sgi_storm_at_a_stalled_vcpu_posts_once, setup),
        cmocka_unit_test_setup(test_pending_register_storm_posts_at_most_once, setup),
        cmocka_unit_test_setup(test_doorbell_goes_where_the_guest_routed_it, setup),
        cmocka_unit_test_setup(test_spi_for_an_off_vcpu_waits_and_follows_its_route, setup),
        cmocka_unit_test_setup(test_cpu_off_keeps_a_pending_spi, setup),
        cmocka_unit_test_setup(test_vm_reset_gives_back_every_spi, setup),
        cmocka_unit_test_setup(test_icfgr_is_mirrored_for_passthrough_spis, setup),
        cmocka_unit_test_setup(test_disable_of_a_remote_lr_is_synchronous_with_rwp, setup),
        cmocka_unit_test_setup(test_state_writes_reach_a_remote_lr, setup),
        cmocka_unit_test_setup(test_ppi_state_changes_only_on_its_own_pcpu, setup),
        cmocka_unit_test_setup(test_single_list_register_maintenance, setup),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
