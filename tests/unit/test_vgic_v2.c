/* Host tests of the GICv2 front end (vgic_v2.c) over the shared state machine and fake list registers. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>
#include <cmocka.h>

#include "arch.h"
#include "fake_vgic_lr.h"
#include "vgic.h"
#include "vgic_ops.h"
#include "vm.h"

#define GICD 0x08000000ull

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

/* arch.h: the stage-2 mapping vgic_vm_map_cpuif asks for. */
static struct {
    uint64_t ipa, pa, size;
    enum vm_map_kind kind;
    unsigned calls;
} mapped;

bool arch_vm_map(struct vm *m, ipa_t ipa, paddr_t pa, uint64_t size, enum vm_map_kind kind)
{
    (void)m;
    mapped.ipa = ipa_addr(ipa);
    mapped.pa = pa_addr(pa);
    mapped.size = size;
    mapped.kind = kind;
    mapped.calls++;
    return true;
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
    memset(&mapped, 0, sizeof(mapped));
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
    /* As a GICv2 guest (Linux) does: GICD_CTLR.Enable, Group 0 only. */
    mmio(v0, GICD, 4, true, 1);
    /* vCPU 1 took the kick for the distributor enable: it flushes. */
    fake_current_cpu = 1;
    vgic_flush(v1);
    fake_current_cpu = 0;
    vgic_flush(v0);
    fake_msg_count = 0;
    fake_route_calls = 0;
    return 0;
}

static void test_cpu_interface_is_mapped_not_trapped(void **state)
{
    (void)state;
    assert_true(vgic_vm_map_cpuif(&vm));
    assert_int_equal(mapped.calls, 1);
    assert_int_equal(mapped.ipa, 0x08010000); /* the guest's GICC ... */
    assert_int_equal(mapped.pa, 0x08040000);  /* ... is the GICV frame */
    assert_int_equal(mapped.size, 0x2000);    /* GICV_DIR included */
    assert_int_equal(mapped.kind, VM_MAP_DEVICE);
    /* Only the 4 KiB distributor traps. */
    assert_true(vgic_owns_ipa(&vm, ipa_init(GICD + 0xffc)));
    assert_false(vgic_owns_ipa(&vm, ipa_init(GICD + 0x1000)));
    assert_false(vgic_owns_ipa(&vm, ipa_init(0x08010000)));
}

static void test_identification_and_groups(void **state)
{
    (void)state;
    uint32_t typer = (uint32_t)mmio(v0, GICD + 0x4, 4, false, 0);
    assert_int_equal(typer & 0x1f, 1);     /* SPIs up to 41: 64 lines */
    assert_int_equal((typer >> 5) & 7, 1); /* 2 CPU interfaces */
    assert_int_equal(typer & (1u << 10), 0); /* no Security Extensions */
    assert_int_equal(mmio(v0, GICD + 0xfe8, 4, false, 0) & 0xf0, 0x20); /* ArchRev 2 */
    assert_int_equal(mmio(v0, GICD, 4, false, 0), 1);

    /* Out of reset everything is Group 0, which is what GICD_CTLR bit 0
     * enabled: an SGI reaches an LR as a Group 0 interrupt. */
    assert_int_equal(mmio(v0, GICD + 0x80, 4, false, 0), 0);
    assert_int_equal(mmio(v0, GICD + 0x84, 4, false, 0), 0);
    vgic_irq_set_pending(v0, 1, true);
    vgic_flush(v0);
    int lr = fake_lr_find(1);
    assert_int_not_equal(lr, -1);
    assert_false(fake_lrs[lr].group1);

    /* Byte access to a word-only register, and 64-bit accesses, fault. */
    struct mmio_access bad = {.addr = ipa_init(GICD + 0x100), .size = 8};
    assert_false(vgic_mmio_access(v0, &bad));
    bad.addr = ipa_init(GICD + 0x102);
    bad.size = 4;
    assert_false(vgic_mmio_access(v0, &bad));
}

static void test_priority_keeps_the_lr_bits(void **state)
{
    (void)state;
    /* An LR holds 5 priority bits: the distributor implements those. */
    mmio(v0, GICD + 0x400 + 5, 1, true, 0x67);
    assert_int_equal(mmio(v0, GICD + 0x404, 4, false, 0), 0x60u << 8);
    /* Banked: vCPU 1's SGI 5 is another interrupt. */
    assert_int_equal(mmio(v1, GICD + 0x404, 4, false, 0), 0);
    mmio(v0, GICD + 0x400 + 40, 4, true, 0xfff1);
    assert_int_equal(mmio(v0, GICD + 0x400 + 40, 4, false, 0), 0xf8f0);
}

static void test_itargetsr(void **state)
{
    (void)state;
    /* INTIDs 0-31: read-only, each byte the reader's own CPU interface. */
    assert_int_equal(mmio(v0, GICD + 0x800, 4, false, 0), 0x01010101);
    assert_int_equal(mmio(v1, GICD + 0x81c, 4, false, 0), 0x02020202);
    mmio(v0, GICD + 0x800, 4, true, 0x02020202);
    assert_int_equal(mmio(v0, GICD + 0x800, 4, false, 0), 0x01010101);

    /* SPI 41 to vCPU 1: mirrored on the physical GIC. */
    assert_int_equal(mmio(v0, GICD + 0x800 + 41, 1, false, 0), 0x01);
    mmio(v0, GICD + 0x800 + 41, 1, true, 0x02);
    assert_int_equal(fake_route_calls, 1);
    assert_int_equal(fake_routed_irq, 41);
    assert_int_equal(fake_routed_cpu, 1);
    assert_int_equal(mmio(v0, GICD + 0x800 + 41, 1, false, 0), 0x02);
    /* CPU interfaces 2 and 3 are not this VM's: ignored. */
    mmio(v0, GICD + 0x800 + 41, 1, true, 0x0c);
    assert_int_equal(mmio(v0, GICD + 0x800 + 41, 1, false, 0), 0x02);
    /* Several targets: the lowest of the VM's. Unowned SPIs read 0. */
    mmio(v0, GICD + 0x828, 4, true, 0x03030303);
    assert_int_equal(mmio(v0, GICD + 0x828, 4, false, 0), 0x0101);
    assert_int_equal(fake_routed_cpu, 0);
}

static void test_sgir_filters(void **state)
{
    (void)state;
    /* TargetListFilter 0, CPUTargetList {0, 1, 5}: 5 is nobody's here. */
    mmio(v0, GICD + 0xf00, 4, true, (0x23u << 16) | 2);
    vgic_flush(v0);
    assert_int_not_equal(fake_lr_find(2), -1);
    assert_int_equal(fake_msg_count, 1);
    assert_int_equal(fake_msgs[0].target, 1);
    assert_int_equal(fake_msgs[0].kind, CPU_MSG_VIRQ);
    fake_current_cpu = 1;
    vgic_flush(v1);
    assert_int_not_equal(fake_lr_find(2), -1);
    fake_current_cpu = 0;

    /* Filter 1: everyone but the sender. */
    mmio(v0, GICD + 0xf00, 4, true, (1u << 24) | 4);
    vgic_flush(v0);
    assert_int_equal(fake_lr_find(4), -1);
    assert_int_equal(fake_msg_count, 2);
    assert_int_equal(fake_msgs[1].target, 1);
    fake_current_cpu = 1;
    vgic_flush(v1);
    assert_int_not_equal(fake_lr_find(4), -1);
    fake_current_cpu = 0;

    /* Filter 2: the sender only (the list is ignored). */
    mmio(v0, GICD + 0xf00, 4, true, (2u << 24) | (0x02u << 16) | 6);
    vgic_flush(v0);
    assert_int_not_equal(fake_lr_find(6), -1);
    assert_int_equal(fake_msg_count, 2);

    /* Filter 3 is reserved: nothing happens. */
    mmio(v0, GICD + 0xf00, 4, true, (3u << 24) | 7);
    vgic_flush(v0);
    assert_int_equal(fake_lr_find(7), -1);
    assert_int_equal(fake_msg_count, 2);
}

static void guest_completes_all(void)
{
    for (int i = 0; i < FAKE_LR_MAX; i++) {
        fake_lrs[i].pending = false;
        fake_lrs[i].active = false;
    }
}

/* The guest's burst: eight self-SGIs with distinct priorities through
 * GICD_SGIR, twice as many as the GIC-400's four list registers. */
static void test_burst_overflows_the_list_registers(void **state)
{
    (void)state;
    static const uint8_t prio[8] = {0x80, 0x20, 0x60, 0x40, 0xa0, 0x30, 0x70, 0x50};
    for (irqid_t i = 0; i < 8; i++)
        mmio(v0, GICD + 0x400 + 8 + i, 1, true, prio[i]);
    for (irqid_t i = 0; i < 8; i++)
        mmio(v0, GICD + 0xf00, 4, true, (2u << 24) | (8 + i));
    assert_int_equal(mmio(v0, GICD + 0x200, 4, false, 0), 0xff00);

    vgic_flush(v0);
    /* The four most urgent (0x20, 0x30, 0x40, 0x50: SGIs 9, 13, 11, 15). */
    assert_int_equal(fake_lr_used(), 4);
    for (irqid_t i = 0; i < 8; i++)
        assert_int_equal(fake_lr_find(8 + i) != -1, prio[i] <= 0x50);
    assert_true(fake_underflow);

    guest_completes_all();
    vgic_maintenance(v0);
    assert_int_equal(fake_lr_used(), 4);
    for (irqid_t i = 0; i < 8; i++)
        assert_int_equal(fake_lr_find(8 + i) != -1, prio[i] > 0x50);
    assert_false(fake_underflow);

    guest_completes_all();
    vgic_flush(v0);
    assert_int_equal(fake_lr_used(), 0);
    assert_int_equal(mmio(v0, GICD + 0x200, 4, false, 0), 0);
}

/* SGIs keep one pending bit per source CPU and the LR reports the source
 * (IHI 0048B §4.3.15-4.3.17, GICH_LR.CPUID). */
static void test_sgi_sources(void **state)
{
    (void)state;
    /* vCPU 1 sends SGI 3 to vCPU 0. */
    fake_current_cpu = 1;
    mmio(v1, GICD + 0xf00, 4, true, (0x01u << 16) | 3);
    fake_current_cpu = 0;
    vgic_flush(v0);
    int lr = fake_lr_find(3);
    assert_int_not_equal(lr, -1);
    assert_int_equal(fake_lrs[lr].source, 1);
    assert_false(fake_lrs[lr].eoi);
    /* vCPU 0 sends itself the same SGI: a second source waits behind the
     * first, which now asks for maintenance on its deactivation. */
    mmio(v0, GICD + 0xf00, 4, true, (2u << 24) | 3);
    vgic_flush(v0);
    assert_int_equal(fake_lr_used(), 1);
    assert_true(fake_lrs[lr].eoi);
    assert_int_equal(mmio(v0, GICD + 0xf20, 4, false, 0), 0x03u << 24);
    /* CPENDSGIR drops the source-0 instance. */
    mmio(v0, GICD + 0xf10 + 3, 1, true, 0x01);
    assert_int_equal(mmio(v0, GICD + 0xf20 + 3, 1, false, 0), 0x02);
    vgic_flush(v0);
    assert_false(fake_lrs[lr].eoi);
    /* SPENDSGIR adds source 0 again; the guest takes and completes source 1. */
    mmio(v0, GICD + 0xf20 + 3, 1, true, 0x01);
    vgic_flush(v0);
    fake_lrs[lr].pending = false;
    fake_lrs[lr].active = false;
    vgic_maintenance(v0);
    lr = fake_lr_find(3);
    assert_int_not_equal(lr, -1);
    assert_int_equal(fake_lrs[lr].source, 0);
    assert_int_equal(mmio(v0, GICD + 0xf20, 4, false, 0), 0x01u << 24);
    /* CPENDSGIR of the instance in the LR takes it out. */
    mmio(v0, GICD + 0xf10 + 3, 1, true, 0x01);
    vgic_flush(v0);
    assert_int_equal(fake_lr_find(3), -1);
    assert_int_equal(mmio(v0, GICD + 0xf20, 4, false, 0), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(test_cpu_interface_is_mapped_not_trapped, setup),
        cmocka_unit_test_setup(test_identification_and_groups, setup),
        cmocka_unit_test_setup(test_priority_keeps_the_lr_bits, setup),
        cmocka_unit_test_setup(test_itargetsr, setup),
        cmocka_unit_test_setup(test_sgir_filters, setup),
        cmocka_unit_test_setup(test_burst_overflows_the_list_registers, setup),
        cmocka_unit_test_setup(test_sgi_sources, setup),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
