/* The GICv3 front end: the guest's distributor and redistributor registers, and its SGI register writes. */
#include "platform.h"
#include "vgic.h"
#include "vgic_ops.h"
#include "vgic_regs.h"
#include "vm.h"

/* Register map (GICv3 architecture specification, IHI 0069, chapter 12:
 * "The GIC Distributor register map", "The GIC Redistributor register map"). */
#define GICD_SIZE 0x10000
#define GICD_CTLR 0x0000
#define GICD_TYPER 0x0004
#define GICD_IIDR 0x0008
#define GICD_IROUTER 0x6000
#define GICD_IROUTER_END 0x7fe0

#define GICR_FRAME_SIZE 0x20000
#define GICR_SGI_OFFSET 0x10000
#define GICR_CTLR 0x0000
#define GICR_IIDR 0x0004
#define GICR_TYPER 0x0008
#define GICR_WAKER 0x0014

#define REG_PIDR2 0xffe8
#define PIDR2_GICV3 0x3b /* ArchRev [7:4] = 3 */

#define GICD_CTLR_EN_GRP0 (1u << 0)
#define GICD_CTLR_EN_GRP1 (1u << 1)
#define GICD_CTLR_ARE (1u << 4)
#define GICD_CTLR_DS (1u << 6)
#define GICD_CTLR_RWP (1u << 31)
#define GICR_CTLR_RWP (1u << 3)

#define GICR_WAKER_PROCESSOR_SLEEP (1u << 1)
#define GICR_WAKER_CHILDREN_ASLEEP (1u << 2)

/* Implementer 0x43b (JEP106 of Arm, the GIC architecture's owner), ProductID
 * 'B' for Baohu so no guest applies a real GIC's errata workarounds. */
#define VGIC_IIDR ((0x42u << 24) | 0x43bu)

#define INTID_LIMIT 1020

/* GICR_WAKER.ProcessorSleep of each vCPU's redistributor is the vCPU's
 * (vgic_cpu.rd_sleep), so that a VM reset clears it with the rest of the
 * vCPU's interrupt state: a file-wide array indexed by pCPU kept the last
 * run's value (found by tests/fuzz/fuzz_vgic_v3.c). Starts awake: a guest
 * that never wakes it up loses nothing, one that does ends its wait loop
 * at once. */

static uint32_t dist_typer(const struct vm *vm)
{
    uint32_t lines = VGIC_PRIVATE_IRQS + vm->arch.vgic.spi_count;
    uint32_t it_lines = (lines + 31) / 32 - 1; /* 32 * (N + 1) INTIDs */
    uint32_t cpus = vm->vcpu_count ? vm->vcpu_count - 1 : 0;
    if (cpus > 7)
        cpus = 7;
    /* IDbits [23:19] = 9: 10 INTID bits, no LPIs. No1N [25]: no 1-of-N SPI
     * routing. SecurityExtn [10] = 0: one security state. */
    return it_lines | (cpus << 5) | (9u << 19) | (1u << 25);
}

/* GICD_IROUTER<n>: Aff3 [39:32], IRM [31], Aff2..Aff0 [23:0]. The guest's
 * PE with Aff0 = k (other fields 0) is vCPU k; 64-bit or 32-bit halves. */
static void dist_irouter(struct vcpu *vcpu, uint32_t off, struct mmio_access *acc)
{
    struct vm *vm = vcpu->vm;
    irqid_t intid = (off - GICD_IROUTER) / 8;
    bool high = off & 4;
    struct vgic_irq_view w;
    if (intid < VGIC_PRIVATE_IRQS || (acc->size != 8 && acc->size != 4) ||
        !vgic_irq_view(vcpu, intid, &w))
        return; /* RAZ/WI */
    if (!acc->write) {
        if (!high)
            acc->value = w.target_vcpu; /* Aff3 (high half) reads 0 */
        return;
    }
    if (high)
        return; /* Aff3 is always 0 here */
    uint64_t v = acc->value;
    /* A route naming no vCPU of this VM is ignored: keep the last valid one.
     * Only Aff3..Aff1 decide that: bits [63:40] are RES0, ignored on a
     * write (IHI 0069 §12.9.22; a write with one set was dropped before,
     * found by tests/fuzz/fuzz_vgic_v3.c's model), and IRM is not kept. */
    if ((v & 0xffff00ull) == 0 && (acc->size == 4 || ((v >> 32) & 0xff) == 0) &&
        (v & 0xff) < vm->vcpu_count)
        vgic_irq_set_target(vm, intid, (uint32_t)(v & 0xff));
}

static bool dist_access(struct vcpu *vcpu, uint32_t off, struct mmio_access *acc)
{
    struct vm *vm = vcpu->vm;
    if (off >= GICD_IROUTER && off < GICD_IROUTER_END) {
        dist_irouter(vcpu, off, acc);
        return true;
    }
    /* With affinity routing the distributor's INTID 0-31 registers are
     * RAZ/WI: SGIs and PPIs live in the redistributors. */
    if (vgic_regs_access(vcpu, off, acc, VGIC_PRIVATE_IRQS, INTID_LIMIT, 0xff))
        return true;
    if (acc->size != 4)
        return true; /* RAZ/WI */
    switch (off) {
    case GICD_CTLR:
        /* One security state (DS=1 view): EnableGrp0, EnableGrp1; ARE is
         * RAO/WI. RWP (§12.9.4) reads 1 until a disable has reached every
         * list register that held an affected interrupt. */
        if (acc->write)
            vgic_dist_set_enabled(vm, acc->value & GICD_CTLR_EN_GRP0,
                                  acc->value & GICD_CTLR_EN_GRP1);
        else
            acc->value = (vm->arch.vgic.enabled_grp0 ? GICD_CTLR_EN_GRP0 : 0) |
                         (vm->arch.vgic.enabled_grp1 ? GICD_CTLR_EN_GRP1 : 0) | GICD_CTLR_ARE |
                         GICD_CTLR_DS | (vgic_rwp(vm, NULL) ? GICD_CTLR_RWP : 0);
        break;
    case GICD_TYPER:
        if (!acc->write)
            acc->value = dist_typer(vm);
        break;
    case GICD_IIDR:
        if (!acc->write)
            acc->value = VGIC_IIDR;
        break;
    case REG_PIDR2:
        if (!acc->write)
            acc->value = PIDR2_GICV3;
        break;
    default:
        break; /* everything else (TYPER2, STATUSR, IGRPMODR, SGIR, ...) RAZ/WI */
    }
    return true;
}

/* RD_base frame of vCPU `k`'s redistributor. */
static bool rd_access(struct vm *vm, uint32_t k, uint32_t off, struct mmio_access *acc)
{
    /* GICR_TYPER: Affinity_Value [63:32] = 0.0.0.k, Processor_Number
     * [23:8] = k, Last [4] on the VM's last redistributor; no LPIs. */
    uint64_t typer = ((uint64_t)k << 32) | ((uint64_t)k << 8) |
                     (k + 1 == vm->vcpu_count ? 1ull << 4 : 0);
    if (off == GICR_TYPER || off == GICR_TYPER + 4) {
        if (!acc->write) {
            if (acc->size == 8 && off == GICR_TYPER)
                acc->value = typer;
            else if (acc->size == 4)
                acc->value = (uint32_t)(typer >> (off == GICR_TYPER ? 0 : 32));
        }
        return true;
    }
    if (acc->size != 4)
        return true; /* RAZ/WI */
    bool *sleep = &vm->vcpus[k].arch.vgic.rd_sleep;
    switch (off) {
    case GICR_IIDR:
        if (!acc->write)
            acc->value = VGIC_IIDR;
        break;
    case GICR_WAKER:
        /* ChildrenAsleep follows ProcessorSleep at once: the guest's
         * wake-up (and sleep) wait loops end on their first read. */
        if (acc->write)
            *sleep = acc->value & GICR_WAKER_PROCESSOR_SLEEP;
        else
            acc->value = *sleep ? GICR_WAKER_PROCESSOR_SLEEP | GICR_WAKER_CHILDREN_ASLEEP : 0;
        break;
    case GICR_CTLR:
        /* No LPIs (EnableLPIs RAZ/WI); RWP (§12.11.2) for a disable of one
         * of this redistributor's SGIs/PPIs still on its way to an LR. */
        if (!acc->write)
            acc->value = vgic_rwp(vm, &vm->vcpus[k]) ? GICR_CTLR_RWP : 0;
        break;
    case REG_PIDR2:
        if (!acc->write)
            acc->value = PIDR2_GICV3;
        break;
    default:
        break; /* PROPBASER, PENDBASER, ...: RAZ/WI */
    }
    return true;
}

bool vgic_owns_ipa(struct vm *vm, ipa_t ipa)
{
    uint64_t a = ipa_addr(ipa);
    uint64_t gicd = platform.irqchip.gicd, gicr = platform.irqchip.gicr;
    return (a >= gicd && a - gicd < GICD_SIZE) ||
           (a >= gicr && a - gicr < (uint64_t)vm->vcpu_count * GICR_FRAME_SIZE);
}

bool vgic_mmio_access(struct vcpu *vcpu, struct mmio_access *acc)
{
    struct vm *vm = vcpu->vm;
    uint64_t a = ipa_addr(acc->addr);
    uint64_t gicd = platform.irqchip.gicd, gicr = platform.irqchip.gicr;
    if ((acc->size != 1 && acc->size != 4 && acc->size != 8) || (a & (acc->size - 1)))
        return false;
    if (!acc->write)
        acc->value = 0;
    else if (acc->size < 8)
        acc->value &= (1ull << (8 * acc->size)) - 1;

    if (a >= gicd && a - gicd < GICD_SIZE)
        return dist_access(vcpu, (uint32_t)(a - gicd), acc);
    if (a < gicr || a - gicr >= (uint64_t)vm->vcpu_count * GICR_FRAME_SIZE)
        return false; /* beyond the VM's redistributors: not its window */
    uint32_t k = (uint32_t)((a - gicr) / GICR_FRAME_SIZE);
    uint32_t off = (uint32_t)((a - gicr) % GICR_FRAME_SIZE);
    if (off < GICR_SGI_OFFSET)
        return rd_access(vm, k, off, acc);
    off -= GICR_SGI_OFFSET;
    /* SGI frame: only INTIDs 0-31 of each register exist; the rest of the
     * frame is RAZ/WI. */
    vgic_regs_access(&vm->vcpus[k], off, acc, 0, VGIC_PRIVATE_IRQS, 0xff);
    return true;
}

/*
 * ICC_SGI1R_EL1 (and ICC_ASGI1R_EL1 / ICC_SGI0R_EL1, same layout):
 * TargetList [15:0], Aff1 [23:16], INTID [27:24], Aff2 [39:32], IRM [40],
 * RS [47:44], Aff3 [55:48]. vCPU k's affinity is 0.0.0.k, so it is bit
 * (k mod 16) of TargetList with RS = k / 16. Only this VM's vCPUs are
 * ever named.
 */
void vgic_sgi_write(struct vcpu *vcpu, uint64_t value)
{
    struct vm *vm = vcpu->vm;
    irqid_t intid = (irqid_t)((value >> 24) & 0xf);
    uint32_t all = vm->vcpu_count >= 32 ? ~0u : (1u << vm->vcpu_count) - 1;
    if ((value >> 40) & 1) {
        /* IRM: every PE but the sender. */
        vgic_sgi_send(vcpu, all & ~(1u << vcpu->id), intid, 0);
        return;
    }
    uint64_t aff321 = value & ((0xffull << 16) | (0xffull << 32) | (0xffull << 48));
    if (aff321)
        return; /* names no vCPU of this VM */
    uint32_t rs = (uint32_t)((value >> 44) & 0xf);
    if (rs * 16 >= 32)
        return;
    uint32_t targets = (uint32_t)(value & 0xffff) << (rs * 16);
    /* With affinity routing an SGI carries no source (GICv3 §12.11.x). */
    vgic_sgi_send(vcpu, targets & all, intid, 0);
}

/* GICv3 guests (Linux included) run Group 1 interrupts as IRQs and may never
 * program GICD_IGROUPR. */
const bool vgic_reset_group1 = true;

/* The GICv3 CPU interface is system registers (ICH_* virtualise them): nothing to map. */
bool vgic_vm_map_cpuif(struct vm *vm)
{
    (void)vm;
    return true;
}
