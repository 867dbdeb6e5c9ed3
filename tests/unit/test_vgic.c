/* Host tests of the vGIC state machine (vgic.c) and its GICv3 front end (vgic_v3.c) over fake list registers. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>
#include <cmocka.h>

#include "fake_vgic_lr.h"
#include "vgic.h"
#include "vgic_ops.h"
#include "vm.h"


static const uint32_t dev_irqs[] = {40, 41};
static const struct vm_dev_region devs[] = {
    {.pa = 0x09000000, .ipa = 0x09000000, .size = 0x1000, .irqs = dev_irqs, .irqs_count = 2},
};
static const struct vm_config cfg = {
    .name = "t",
    .cpus = 0x3,
    .devs = devs,
    .devs_count = 1,
};

static struct vm vm;
static struct vcpu *v0, *v1;

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
    }
    v0 = &vm.vcpus[0];
    v1 = &vm.vcpus[1];
    vgic_vm_init(&vm);
    /* Each vCPU is reset and enters on its own pCPU. */
    fake_current_cpu = 1;
    vgic_vcpu_reset(v1);
    fake_current_cpu = 0;
    vgic_vcpu_reset(v0);
    vgic_dist_set_enabled(&vm, false, true);
    /* vgic_vm_init disabled and routed the VM's SPIs: start counting afresh. */
    assert_int_equal(fake_enable_calls, 2);
    assert_int_equal(fake_route_calls, 2);
    assert_int_equal(fake_routed_cpu, 0);
    /* vCPU 1 took the kick for the distributor enable: it flushes. */
    fake_current_cpu = 1;
    vgic_flush(v1);
    fake_current_cpu = 0;
    vgic_flush(v0);
    fake_msg_count = 0;
    fake_enable_calls = 0;
    fake_route_calls = 0;
    fake_deactivated_count = 0;
    return 0;
}

static void guest_completes_all(void)
{
    for (int i = 0; i < FAKE_LR_MAX; i++) {
        fake_lrs[i].pending = false;
        fake_lrs[i].active = false;
    }
}

static void test_inject_into_empty_lr(void **state)
{
    (void)state;
    vgic_irq_set_priority(v0, 1, 0x80);
    vgic_irq_set_pending(v0, 1, true);
    vgic_flush(v0);
    int lr = fake_lr_find(1);
    assert_int_not_equal(lr, -1);
    assert_true(fake_lrs[lr].pending);
    assert_false(fake_lrs[lr].active);
    assert_false(fake_lrs[lr].hw);
    assert_true(fake_lrs[lr].group1);
    assert_int_equal(fake_lrs[lr].priority, 0x80);
    assert_int_equal(fake_lr_used(), 1);
    assert_false(fake_underflow);
    assert_int_equal(fake_msg_count, 0);

    /* The guest acknowledges, then completes it: the LR is freed. */
    fake_lrs[lr].pending = false;
    fake_lrs[lr].active = true;
    vgic_flush(v0);
    assert_int_equal(fake_lr_find(1), lr);
    fake_lrs[lr].active = false;
    vgic_flush(v0);
    assert_int_equal(fake_lr_used(), 0);
    struct vgic_irq_view w;
    assert_true(vgic_irq_view(v0, 1, &w));
    assert_false(w.pending);
    assert_false(w.active);
}

static void test_more_pending_than_lrs(void **state)
{
    (void)state;
    /* SGI i gets priority 0x10 * (7 - i): SGI 6 is the most urgent. */
    for (irqid_t i = 1; i <= 6; i++) {
        vgic_irq_set_priority(v0, i, (uint8_t)(0x10 * (7 - i)));
        vgic_irq_set_pending(v0, i, true);
    }
    vgic_flush(v0);
    assert_int_equal(fake_lr_used(), 4);
    for (irqid_t i = 3; i <= 6; i++)
        assert_int_not_equal(fake_lr_find(i), -1);
    assert_int_equal(fake_lr_find(1), -1);
    assert_int_equal(fake_lr_find(2), -1);
    assert_true(fake_underflow);

    guest_completes_all();
    vgic_flush(v0);
    assert_int_equal(fake_lr_used(), 2);
    assert_int_not_equal(fake_lr_find(1), -1);
    assert_int_not_equal(fake_lr_find(2), -1);
    assert_false(fake_underflow);

    guest_completes_all();
    vgic_maintenance(v0);
    assert_int_equal(fake_lr_used(), 0);
}

static void test_eviction_by_higher_priority(void **state)
{
    (void)state;
    for (irqid_t i = 1; i <= 4; i++) {
        vgic_irq_set_priority(v0, i, (uint8_t)(0x80 + i));
        vgic_irq_set_pending(v0, i, true);
    }
    vgic_flush(v0);
    assert_int_equal(fake_lr_used(), 4);
    assert_false(fake_underflow);

    vgic_irq_set_priority(v0, 5, 0x10);
    vgic_irq_set_pending(v0, 5, true);
    vgic_flush(v0);
    assert_int_not_equal(fake_lr_find(5), -1);
    /* The lowest-priority entry (SGI 4, 0x84) went back to software. */
    assert_int_equal(fake_lr_find(4), -1);
    for (irqid_t i = 1; i <= 3; i++)
        assert_int_not_equal(fake_lr_find(i), -1);
    struct vgic_irq_view w;
    assert_true(vgic_irq_view(v0, 4, &w));
    assert_true(w.pending);
    assert_true(fake_underflow);

    /* Equal priority never evicts: the worst LR entry is SGI 3 at 0x83. */
    vgic_irq_set_priority(v0, 6, 0x83);
    vgic_irq_set_pending(v0, 6, true);
    vgic_flush(v0);
    assert_int_equal(fake_lr_find(6), -1);
    assert_int_not_equal(fake_lr_find(3), -1);
}

static void test_active_entries_are_not_evicted(void **state)
{
    (void)state;
    for (irqid_t i = 1; i <= 4; i++) {
        vgic_irq_set_priority(v0, i, 0x80);
        vgic_irq_set_pending(v0, i, true);
    }
    vgic_flush(v0);
    for (int i = 0; i < FAKE_LR_MAX; i++) {
        fake_lrs[i].pending = false;
        fake_lrs[i].active = true; /* the guest is handling all four */
    }
    vgic_irq_set_priority(v0, 5, 0x00);
    vgic_irq_set_pending(v0, 5, true);
    vgic_flush(v0);
    assert_int_equal(fake_lr_find(5), -1);
    assert_int_equal(fake_lr_used(), 4);
    assert_true(fake_underflow);
}

static void test_disabled_never_reach_lr(void **state)
{
    (void)state;
    /* PPIs start disabled. */
    vgic_irq_set_pending(v0, 20, true);
    vgic_flush(v0);
    assert_int_equal(fake_lr_find(20), -1);
    assert_false(fake_underflow); /* nothing deliverable waits */
    vgic_irq_set_enabled(v0, 20, true);
    vgic_flush(v0);
    assert_int_not_equal(fake_lr_find(20), -1);

    /* Disabling a pending-only entry takes it back out of the LR. */
    vgic_irq_set_enabled(v0, 20, false);
    vgic_flush(v0);
    assert_int_equal(fake_lr_find(20), -1);

    /* Distributor group disabled: even an enabled SGI waits. */
    vgic_dist_set_enabled(&vm, false, false);
    vgic_irq_set_pending(v0, 2, true);
    vgic_flush(v0);
    assert_int_equal(fake_lr_used(), 0);
    vgic_dist_set_enabled(&vm, false, true);
    vgic_flush(v0);
    assert_int_not_equal(fake_lr_find(2), -1);

    /* A Group 0 interrupt needs EnableGrp0. */
    vgic_irq_set_group(v0, 3, false);
    vgic_irq_set_pending(v0, 3, true);
    vgic_flush(v0);
    assert_int_equal(fake_lr_find(3), -1);
}

static void test_unowned_spi_ignored(void **state)
{
    (void)state;
    struct vgic_irq_view w;
    assert_false(vgic_irq_view(v0, 50, &w));
    vgic_irq_set_enabled(v0, 50, true);
    vgic_irq_set_pending(v0, 50, true);
    vgic_flush(v0);
    assert_int_equal(fake_lr_used(), 0);
    assert_int_equal(fake_enable_calls, 0); /* never touches the physical GIC */
    assert_int_equal(fake_msg_count, 0);

    /* A physical one that is not the VM's is not left active. */
    vgic_inject_hw(v0, 50);
    assert_int_equal(fake_deactivated_count, 1);
    assert_int_equal(fake_deactivated[0], 50);
    assert_int_equal(fake_lr_used(), 0);

    /* SPI 39 is below the highest owned one but not owned either. */
    assert_false(vgic_irq_view(v0, 39, &w));
}

static void test_owned_spi_hw_and_routing(void **state)
{
    (void)state;
    vgic_irq_set_enabled(v0, 40, true);
    assert_int_equal(fake_enabled_irq, 40);
    assert_true(fake_enabled_on);

    vgic_inject_hw(v0, 40);
    vgic_flush(v0);
    int lr = fake_lr_find(40);
    assert_int_not_equal(lr, -1);
    assert_true(fake_lrs[lr].hw);
    assert_int_equal(fake_lrs[lr].hw_intid, 40);

    /* Guest deactivation (hardware did the physical one): LR freed. */
    fake_lrs[lr].pending = false;
    vgic_flush(v0);
    assert_int_equal(fake_lr_used(), 0);
    assert_int_equal(fake_deactivated_count, 0);

    /* Routed to vCPU 1: mirrored physically, delivered only there. */
    vgic_irq_set_target(&vm, 41, 1);
    assert_int_equal(fake_routed_irq, 41);
    assert_int_equal(fake_routed_cpu, 1);
    vgic_irq_set_enabled(v0, 41, true);
    fake_msg_count = 0;
    vgic_irq_set_pending(v0, 41, true);
    vgic_flush(v0);
    assert_int_equal(fake_lr_find(41), -1);
    assert_int_equal(fake_msg_count, 1);
    assert_int_equal(fake_msgs[0].target, 1);
    assert_int_equal(fake_msgs[0].kind, CPU_MSG_VIRQ);
    fake_current_cpu = 1;
    vgic_flush(v1);
    assert_int_not_equal(fake_lr_find(41), -1);
}

/* Found by fuzz_vgic_v3: an SPI the guest made active (GICD_ISACTIVER)
 * while out of an LR, then fired physically. An HW LR cannot be pending and
 * active, so the physical one is given back at once and the LR is a
 * software one; the guest's deactivation then deactivates nothing physical,
 * and Baohu never deactivates it a second time. */
static void test_physical_spi_while_guest_set_it_active(void **state)
{
    (void)state;
    vgic_irq_set_enabled(v0, 40, true);
    vgic_dist_set_enabled(&vm, false, false); /* nothing goes into an LR */
    vgic_irq_set_active(v0, 40, true);
    vgic_flush(v0);
    assert_int_equal(fake_lr_find(40), -1);
    vgic_inject_hw(v0, 40);
    assert_int_equal(fake_deactivated_count, 1);
    assert_int_equal(fake_deactivated[0], 40);
    vgic_dist_set_enabled(&vm, false, true);
    vgic_flush(v0);
    int lr = fake_lr_find(40);
    assert_int_not_equal(lr, -1);
    assert_true(fake_lrs[lr].pending);
    assert_true(fake_lrs[lr].active);
    assert_false(fake_lrs[lr].hw);
    fake_lrs[lr].active = false; /* the guest deactivates the active instance */
    vgic_flush(v0);
    fake_lrs[lr].pending = false; /* and takes and completes the pending one */
    vgic_flush(v0);
    assert_int_equal(fake_deactivated_count, 1);
}

static void test_remote_inject(void **state)
{
    (void)state;
    /* An SGI for vCPU 1 is recorded here and vCPU 1's pCPU told once. */
    vgic_sgi_send(v0, 1u << 1, 3, 0);
    assert_int_equal(fake_msg_count, 1);
    assert_int_equal(fake_msgs[0].target, 1);
    assert_int_equal(fake_msgs[0].kind, CPU_MSG_VIRQ);
    vgic_flush(v0);
    assert_int_equal(fake_lr_used(), 0);
    fake_current_cpu = 1;
    vgic_flush(v1);
    assert_int_not_equal(fake_lr_find(3), -1);
    fake_current_cpu = 0;

    /* To itself: no message, in the LR at the flush on the way out. */
    vgic_sgi_send(v0, 1u << 0, 3, 0);
    vgic_flush(v0);
    assert_int_equal(fake_msg_count, 1);
    assert_int_not_equal(fake_lr_find(3), -1);
}

static void test_reinject_while_active(void **state)
{
    (void)state;
    vgic_irq_set_pending(v0, 7, true);
    vgic_flush(v0);
    int lr = fake_lr_find(7);
    fake_lrs[lr].pending = false;
    fake_lrs[lr].active = true;
    vgic_irq_set_pending(v0, 7, true); /* edge while the guest handles the previous one */
    vgic_flush(v0);     /* on the way back into the guest */
    assert_true(fake_lrs[lr].pending);
    assert_true(fake_lrs[lr].active);
    fake_lrs[lr].active = false; /* EOI: the pending one remains */
    vgic_flush(v0);
    assert_int_equal(fake_lr_find(7), lr);
    assert_true(fake_lrs[lr].pending);
}

static void test_sgi_write(void **state)
{
    (void)state;
    /* TargetList = {vCPU 0, vCPU 1, vCPU 5 (does not exist)}, INTID 2. */
    vgic_sgi_write(v0, (2ull << 24) | 0x23);
    vgic_flush(v0);
    assert_int_not_equal(fake_lr_find(2), -1);
    assert_int_equal(fake_msg_count, 1);
    assert_int_equal(fake_msgs[0].target, 1);
    fake_current_cpu = 1;
    vgic_flush(v1);
    assert_int_not_equal(fake_lr_find(2), -1);
    fake_current_cpu = 0;

    /* Aff1 != 0 names no vCPU of the VM. */
    vgic_sgi_write(v0, (4ull << 24) | (1ull << 16) | 0x3);
    assert_int_equal(fake_msg_count, 1);

    /* IRM: everyone but the sender. */
    vgic_sgi_write(v0, (5ull << 24) | (1ull << 40));
    assert_int_equal(fake_msg_count, 2);
    assert_int_equal(fake_msgs[1].target, 1);
    vgic_flush(v0);
    assert_int_equal(fake_lr_find(5), -1);
    fake_current_cpu = 1;
    vgic_flush(v1);
    assert_int_not_equal(fake_lr_find(5), -1);
}

static uint64_t mmio(struct vcpu *v, uint64_t addr, unsigned size, bool write, uint64_t value)
{
    struct mmio_access acc = {.addr = ipa_init(addr), .size = size, .write = write, .value = value};
    assert_true(vgic_mmio_access(v, &acc));
    return acc.value;
}

static void test_mmio_front_end(void **state)
{
    (void)state;
    const uint64_t d = 0x08000000, r = 0x080A0000;
    assert_true(vgic_owns_ipa(&vm, ipa_init(d + 0x100)));
    assert_true(vgic_owns_ipa(&vm, ipa_init(r + 0x3ffff)));
    assert_false(vgic_owns_ipa(&vm, ipa_init(r + 0x40000))); /* a third redistributor */

    uint32_t typer = (uint32_t)mmio(v0, d + 0x4, 4, false, 0);
    assert_int_equal(typer & 0x1f, 1);        /* SPIs up to 41: 64 INTIDs */
    assert_int_equal((typer >> 5) & 7, 1);    /* 2 CPUs */
    assert_int_equal((typer >> 19) & 0x1f, 9); /* 10 ID bits */
    assert_int_equal(mmio(v0, d + 0xffe8, 4, false, 0) & 0xf0, 0x30);
    assert_int_equal(mmio(v0, d, 4, false, 0) & 0x52, 0x52); /* Grp1, ARE, DS */

    /* ISENABLER1 = SPIs 32-63: only 40 and 41 are the VM's. */
    mmio(v0, d + 0x104, 4, true, 0xffffffff);
    assert_int_equal(mmio(v0, d + 0x104, 4, false, 0), (1u << 8) | (1u << 9));
    assert_int_equal(mmio(v0, d + 0x100, 4, false, 0), 0); /* private: RAZ at GICD */

    /* IPRIORITYR byte and word access. */
    mmio(v0, d + 0x400 + 40, 1, true, 0x60);
    assert_int_equal(mmio(v0, d + 0x400 + 40, 4, false, 0), 0x60);
    mmio(v0, d + 0x400 + 36, 4, true, 0x11223344); /* 36-39 unowned: ignored */
    assert_int_equal(mmio(v0, d + 0x400 + 36, 4, false, 0), 0);

    /* IROUTER of SPI 41 to vCPU 1, 64-bit, then read back by halves. */
    mmio(v0, d + 0x6000 + 8 * 41, 8, true, 1);
    assert_int_equal(fake_routed_cpu, 1);
    assert_int_equal(mmio(v0, d + 0x6000 + 8 * 41, 4, false, 0), 1);
    assert_int_equal(mmio(v0, d + 0x6000 + 8 * 41 + 4, 4, false, 0), 0);

    /* Redistributors: TYPER of vCPU 1 is the last, Affinity 1, Processor_Number 1. */
    uint64_t rt0 = mmio(v0, r + 0x8, 8, false, 0);
    uint64_t rt1 = mmio(v0, r + 0x20000 + 0x8, 8, false, 0);
    assert_int_equal(rt0 & 0x10, 0);
    assert_int_equal(rt1 & 0x10, 0x10);
    assert_int_equal(rt1 >> 32, 1);
    assert_int_equal((rt1 >> 8) & 0xffff, 1);
    assert_int_equal(mmio(v0, r + 0xc + 0x20000, 4, false, 0), 1);

    /* Waker: the wake-up loop ends. */
    mmio(v0, r + 0x14, 4, true, 0);
    assert_int_equal(mmio(v0, r + 0x14, 4, false, 0) & 4, 0);
    mmio(v0, r + 0x14, 4, true, 2);
    assert_int_equal(mmio(v0, r + 0x14, 4, false, 0) & 6, 6);
    mmio(v0, r + 0x14, 4, true, 0);

    /* SGI frame: enable PPI 20 and set it pending through the registers. */
    mmio(v0, r + 0x10000 + 0x100, 4, true, 1u << 20);
    assert_int_equal(mmio(v0, r + 0x10000 + 0x100, 4, false, 0) & (1u << 20), 1u << 20);
    mmio(v0, r + 0x10000 + 0x200, 4, true, 1u << 20);
    vgic_flush(v0);
    assert_int_not_equal(fake_lr_find(20), -1);
    assert_int_equal(mmio(v0, r + 0x10000 + 0x200, 4, false, 0) & (1u << 20), 1u << 20);
    /* ICPENDR takes it back out of the LR (reads as done at once). */
    mmio(v0, r + 0x10000 + 0x280, 4, true, 1u << 20);
    assert_int_equal(mmio(v0, r + 0x10000 + 0x200, 4, false, 0) & (1u << 20), 0);
    vgic_flush(v0);
    assert_int_equal(fake_lr_find(20), -1);
    /* ICFGR0 (SGIs) reads as edge. */
    assert_int_equal(mmio(v0, r + 0x10000 + 0xc00, 4, false, 0), 0xaaaaaaaau);

    /* Outside every emulated window, or misaligned. */
    struct mmio_access bad = {.addr = ipa_init(r + 0x40000), .size = 4};
    assert_false(vgic_mmio_access(v0, &bad));
    bad.addr = ipa_init(d + 0x102);
    assert_false(vgic_mmio_access(v0, &bad));
}

static void test_vm_reset_gives_back_hw(void **state)
{
    (void)state;
    vgic_irq_set_enabled(v0, 27, true);
    vgic_inject_hw(v0, 27);
    vgic_flush(v0);
    assert_int_not_equal(fake_lr_find(27), -1);
    vgic_vcpu_reset(v0);
    assert_int_equal(fake_lr_used(), 0);
    assert_int_equal(fake_deactivated_count, 1);
    assert_int_equal(fake_deactivated[0], 27);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(test_inject_into_empty_lr, setup),
        cmocka_unit_test_setup(test_more_pending_than_lrs, setup),
        cmocka_unit_test_setup(test_eviction_by_higher_priority, setup),
        cmocka_unit_test_setup(test_active_entries_are_not_evicted, setup),
        cmocka_unit_test_setup(test_disabled_never_reach_lr, setup),
        cmocka_unit_test_setup(test_unowned_spi_ignored, setup),
        cmocka_unit_test_setup(test_owned_spi_hw_and_routing, setup),
        cmocka_unit_test_setup(test_physical_spi_while_guest_set_it_active, setup),
        cmocka_unit_test_setup(test_remote_inject, setup),
        cmocka_unit_test_setup(test_reinject_while_active, setup),
        cmocka_unit_test_setup(test_sgi_write, setup),
        cmocka_unit_test_setup(test_mmio_front_end, setup),
        cmocka_unit_test_setup(test_vm_reset_gives_back_hw, setup),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
