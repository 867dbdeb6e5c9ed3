/* The GICv2 front end: the guest's distributor (trapped) and its CPU interface (the GICV frame in its place). */
#include "arch.h"
#include "platform.h"
#include "vgic.h"
#include "vgic_ops.h"
#include "vgic_regs.h"
#include "vm.h"

/* Distributor register map (IHI 0048B §4.1.2); the distributor is 4 KiB. */
#define GICD_SIZE 0x1000
#define GICD_CTLR 0x000
#define GICD_TYPER 0x004
#define GICD_IIDR 0x008
#define GICD_ITARGETSR 0x800
#define GICD_ITARGETSR_END 0xc00
#define GICD_SGIR 0xf00
#define GICD_CPENDSGIR 0xf10
#define GICD_SPENDSGIR 0xf20
#define GICD_SGI_REGS_END 0xf30
#define GICD_ICPIDR2 0xfe8
#define ICPIDR2_GICV2 0x2b /* ArchRev [7:4] = 2, as the GIC-400's */

#define GICD_CTLR_EN_GRP0 (1u << 0)
#define GICD_CTLR_EN_GRP1 (1u << 1)

/* The virtual CPU interface: GICV_* mirrors GICC_*, 8 KiB with GICV_DIR at
 * 0x1000 (§5.5 "GIC virtual CPU interface registers"). */
#define GICV_SIZE 0x2000

/* An LR holds the top 5 priority bits (§5.3.12): the guest's distributor
 * implements just those, so what it reads back is what the LR can hold. */
#define PRIO_MASK 0xf8

/* Implementer 0x43b (Arm, JEP106), ProductID 'B' for Baohu, so no guest
 * applies a real GIC-400's errata workarounds. */
#define VGIC_IIDR ((0x42u << 24) | 0x43bu)

#define INTID_LIMIT 1020

/* A GICv2 guest without Security Extensions sees every interrupt in Group 0
 * out of reset (§4.3.4 GICD_IGROUPR: reset 0) and, like Linux's GICv2
 * driver, enables only that group (GICD_CTLR.Enable, GICC_CTLR bit 0);
 * Group 0 is signalled as a virtual IRQ while GICV_CTLR.FIQEn is 0. */
const bool vgic_reset_group1 = false;

bool vgic_vm_map_cpuif(struct vm *vm)
{
    /* The guest's GICC accesses go straight to this pCPU's virtual CPU
     * interface, as device memory (§5.5): no trap on acknowledge or EOI. */
    return arch_vm_map(vm, ipa_init(platform.irqchip.gicc), pa_init(platform.irqchip.gicv),
                       GICV_SIZE, VM_MAP_DEVICE);
}

static uint32_t dist_typer(const struct vm *vm)
{
    uint32_t lines = VGIC_PRIVATE_IRQS + vm->arch.vgic.spi_count;
    uint32_t it_lines = (lines + 31) / 32 - 1; /* 32 * (N + 1) lines */
    uint32_t cpus = vm->vcpu_count ? vm->vcpu_count - 1 : 0;
    if (cpus > 7)
        cpus = 7;
    /* CPUNumber [7:5]; SecurityExtn [10] = 0. */
    return it_lines | (cpus << 5);
}

/*
 * GICD_ITARGETSR<n> (§4.3.12), byte-accessible: vCPU k is CPU interface k.
 * Bytes of INTIDs 0-31 are read-only and read as the accessing vCPU's own
 * bit. An SPI is delivered to one vCPU: a write naming several takes the
 * lowest of this VM's, one naming none of them is ignored.
 */
static void dist_itargetsr(struct vcpu *vcpu, uint32_t off, struct mmio_access *acc)
{
    struct vm *vm = vcpu->vm;
    if (acc->size != 1 && acc->size != 4)
        return; /* RAZ/WI */
    for (uint32_t j = 0; j < acc->size; j++) {
        irqid_t intid = off - GICD_ITARGETSR + j;
        uint8_t byte = (uint8_t)(acc->value >> (8 * j));
        struct vgic_irq_view w;
        if (intid < VGIC_PRIVATE_IRQS) {
            if (!acc->write && vcpu->id < 8)
                acc->value |= (uint64_t)(1u << vcpu->id) << (8 * j);
            continue;
        }
        if (!acc->write) {
            if (vgic_irq_view(vcpu, intid, &w))
                acc->value |= (uint64_t)(1u << w.target_vcpu) << (8 * j);
            continue;
        }
        for (uint32_t k = 0; k < vm->vcpu_count && k < 8; k++) {
            if (byte & (1u << k)) {
                vgic_irq_set_target(vm, intid, k);
                break;
            }
        }
    }
}

/*
 * GICD_SGIR (§4.3.15): TargetListFilter [25:24] 0 = CPUTargetList [23:16],
 * 1 = every CPU but the sender, 2 = the sender only; SGIINTID [3:0]. Only
 * this VM's vCPUs are ever named.
 */
static void dist_sgir(struct vcpu *vcpu, uint32_t value)
{
    struct vm *vm = vcpu->vm;
    irqid_t intid = value & 0xf;
    uint32_t filter = (value >> 24) & 3, list = (value >> 16) & 0xff;
    uint32_t all = (1u << (vm->vcpu_count < 8 ? vm->vcpu_count : 8)) - 1;
    uint32_t targets = filter == 0 ? list : filter == 1 ? all & ~(1u << vcpu->id)
                     : filter == 2 ? 1u << vcpu->id : 0;
    /* The receiver's GICC_IAR reports the sender's CPU number (§4.4.4). */
    vgic_sgi_send(vcpu, targets & all, intid, vcpu->id);
}

/*
 * GICD_CPENDSGIR<n> / GICD_SPENDSGIR<n> (§4.3.16, §4.3.17): one byte per SGI
 * of the accessing CPU interface, bit k = pending from CPU k. Byte or word
 * accesses. Bits of CPU interfaces the VM does not have are RAZ/WI, as for
 * GICD_ITARGETSR (§4.3.12): a guest must not make an SGI pending from a CPU
 * that does not exist (its GICC_IAR would name a sender nobody can answer;
 * found by the hostile guest and by tests/fuzz/fuzz_vgic_v2.c).
 */
static void dist_sgi_sources(struct vcpu *vcpu, uint32_t off, struct mmio_access *acc)
{
    bool set = off >= GICD_SPENDSGIR;
    irqid_t first = (off - (set ? GICD_SPENDSGIR : GICD_CPENDSGIR));
    uint32_t count = vcpu->vm->vcpu_count;
    uint8_t cpus = (uint8_t)((1u << (count < 8 ? count : 8)) - 1);
    for (uint32_t j = 0; j < acc->size; j++) {
        irqid_t intid = first + j;
        if (acc->write)
            vgic_sgi_set_sources(vcpu, intid, (uint8_t)(acc->value >> (8 * j)) & cpus, set);
        else
            acc->value |= (uint64_t)vgic_sgi_sources(vcpu, intid) << (8 * j);
    }
}

static bool dist_access(struct vcpu *vcpu, uint32_t off, struct mmio_access *acc)
{
    struct vm *vm = vcpu->vm;
    if (off >= GICD_ITARGETSR && off < GICD_ITARGETSR_END) {
        dist_itargetsr(vcpu, off, acc);
        return true;
    }
    if (off >= GICD_CPENDSGIR && off < GICD_SGI_REGS_END) {
        dist_sgi_sources(vcpu, off, acc);
        return true;
    }
    /* No affinity routing: INTIDs 0-31 are the accessing vCPU's banked ones. */
    if (vgic_regs_access(vcpu, off, acc, 0, INTID_LIMIT, PRIO_MASK))
        return true;
    if (acc->size != 4)
        return true; /* RAZ/WI */
    switch (off) {
    case GICD_CTLR:
        if (acc->write)
            vgic_dist_set_enabled(vm, acc->value & GICD_CTLR_EN_GRP0,
                                  acc->value & GICD_CTLR_EN_GRP1);
        else
            acc->value = (vm->arch.vgic.enabled_grp0 ? GICD_CTLR_EN_GRP0 : 0) |
                         (vm->arch.vgic.enabled_grp1 ? GICD_CTLR_EN_GRP1 : 0);
        break;
    case GICD_TYPER:
        if (!acc->write)
            acc->value = dist_typer(vm);
        break;
    case GICD_IIDR:
        if (!acc->write)
            acc->value = VGIC_IIDR;
        break;
    case GICD_SGIR:
        if (acc->write)
            dist_sgir(vcpu, (uint32_t)acc->value);
        break;
    case GICD_ICPIDR2:
        if (!acc->write)
            acc->value = ICPIDR2_GICV2;
        break;
    default:
        /* NSACR, ...: RAZ/WI. */
        break;
    }
    return true;
}

bool vgic_owns_ipa(struct vm *vm, ipa_t ipa)
{
    (void)vm;
    uint64_t a = ipa_addr(ipa), gicd = platform.irqchip.gicd;
    return a >= gicd && a - gicd < GICD_SIZE;
}

bool vgic_mmio_access(struct vcpu *vcpu, struct mmio_access *acc)
{
    uint64_t a = ipa_addr(acc->addr), gicd = platform.irqchip.gicd;
    /* Byte and word accesses only (§4.1.4); naturally aligned. */
    if ((acc->size != 1 && acc->size != 4) || (a & (acc->size - 1)))
        return false;
    if (a < gicd || a - gicd >= GICD_SIZE)
        return false;
    if (!acc->write)
        acc->value = 0;
    else
        acc->value &= (1ull << (8 * acc->size)) - 1;
    return dist_access(vcpu, (uint32_t)(a - gicd), acc);
}

/* GICv2 has no system-register CPU interface, so no ICC_SGI*R write can
 * trap: SGIs are sent through GICD_SGIR. */
void vgic_sgi_write(struct vcpu *vcpu, uint64_t value)
{
    (void)vcpu;
    (void)value;
}
