/* The emulated APLIC each VM sees (S domain, MSI mode; RISC-V AIA spec §4), with its vCPUs' guest interrupt files mapped in. */
#include "aplic.h"
#include "arch.h"
#include "arch_regs.h"
#include "csr.h"
#include "platform.h"
#include "virqchip.h"
#include "vm.h"

struct trap_frame *vcpu_frame(void);
void aplic_target(irqid_t irq, cpuid_t cpu, uint32_t eiid);
void aplic_source_mode(irqid_t irq, uint32_t sm);

#define VAPLIC_SIZE 0x8000ull

/*
 * Register writes for the VM's own wired sources go through to the physical
 * APLIC, with each target translated from the guest's hart index (its vCPU
 * number) to that vCPU's hart and guest interrupt file: the MSI then lands
 * in the guest's file without Baohu. Sources that are only virtual (IPC
 * doorbells) are delivered by Baohu writing the guest's EIID into the file.
 * Everything else reads as zero and ignores writes.
 */
static bool bit(const uint32_t *map, uint32_t i)
{
    return (map[i / 32] >> (i % 32)) & 1;
}

static void bit_set(uint32_t *map, uint32_t i, bool v)
{
    if (v)
        map[i / 32] |= 1u << (i % 32);
    else
        map[i / 32] &= ~(1u << (i % 32));
}

/* Pages per hart in the S-level IMSIC: the S file and 2^k - 1 guest files (§3.6). */
static uint64_t imsic_hart_stride(void)
{
    uint64_t files = 1;
    while (files < 1ull + platform.irqchip.guest_files)
        files <<= 1;
    return files * IMSIC_FILE_SIZE;
}

static uint64_t guest_file_pa(const struct vcpu *v)
{
    return platform.irqchip.imsic + platform.cpu_affinity[v->cpu] * imsic_hart_stride() +
           IMSIC_GUEST_FILE * IMSIC_FILE_SIZE;
}

void virq_vm_init(struct vm *vm)
{
    struct virq_dist *d = &vm->arch.virq;
    const struct vm_config *c = vm->config;

    spin_lock(&d->lock);
    d->domaincfg = 0;
    for (uint32_t w = 0; w < VIRQ_WORDS; w++)
        d->owned[w] = d->pending[w] = d->active[w] = d->enabled[w] = 0;
    for (uint32_t s = 0; s < VIRQ_SOURCES; s++)
        d->cfg[s] = d->target[s] = 0;
    for (size_t i = 0; i < c->devs_count; i++)
        for (size_t j = 0; j < c->devs[i].irqs_count; j++)
            if (c->devs[i].irqs[j] > 0 && c->devs[i].irqs[j] < VIRQ_SOURCES)
                bit_set(d->owned, c->devs[i].irqs[j], true);
    for (size_t i = 0; i < c->ipcs_count; i++)
        if (c->ipcs[i].doorbell_irq > 0 && c->ipcs[i].doorbell_irq < VIRQ_SOURCES)
            bit_set(d->owned, c->ipcs[i].doorbell_irq, true);
    spin_unlock(&d->lock);
    for (uint32_t s = 1; s < VIRQ_SOURCES; s++)
        if (bit(d->owned, s) && irqchip_vm_owns(vm, s)) {
            irqchip_route(s, vm->vcpus[0].cpu, false);
            aplic_source_mode(s, 0);
        }
    /* vCPU k's interrupt file at the guest's S-level IMSIC page k: its own
     * MSIs and the IPIs its siblings write there need no trap. Mapping the
     * same page again on a reset changes nothing. */
    for (uint32_t k = 0; k < vm->vcpu_count; k++)
        arch_vm_map(vm, ipa_init(platform.irqchip.imsic + k * IMSIC_FILE_SIZE),
                    pa_init(guest_file_pa(&vm->vcpus[k])), IMSIC_FILE_SIZE, VM_MAP_DEVICE);
}

/* Select the guest file for VS-mode (hstatus.VGEIN, priv. §9.2.1) and empty
 * it through vsiselect / vsireg (AIA §3.8): nothing of a previous run fires. */
void virq_vcpu_reset(struct vcpu *v)
{
    struct trap_frame *f = vcpu_frame();
    uint64_t vgein = (uint64_t)IMSIC_GUEST_FILE << HSTATUS_VGEIN_SHIFT;

    (void)v;
    f->hstatus = (f->hstatus & ~HSTATUS_VGEIN_MASK) | vgein;
    csr_write(hstatus, (csr_read(hstatus) & ~HSTATUS_VGEIN_MASK) | vgein);
    csr_write(CSR_VSISELECT, IMSIC_EIDELIVERY);
    csr_write(CSR_VSIREG, 0);
    csr_write(CSR_VSISELECT, IMSIC_EITHRESHOLD);
    csr_write(CSR_VSIREG, 0);
    /* RV64: only the even-numbered eip/eie registers exist (§3.8.4). */
    for (uint32_t r = 0; r < 8; r += 2) {
        csr_write(CSR_VSISELECT, IMSIC_EIP0 + r);
        csr_write(CSR_VSIREG, 0);
        csr_write(CSR_VSISELECT, IMSIC_EIE0 + r);
        csr_write(CSR_VSIREG, 0);
    }
}

/* A virtual source (doorbell) fires: an MSI written by Baohu into the
 * target vCPU's guest file, as the APLIC would (§4.9.3). An inactive source
 * (sourcecfg.SM = 0) has read-only zero pending and enable bits (§4.5.2). */
static void vaplic_deliver(struct vm *vm, uint32_t src)
{
    struct virq_dist *d = &vm->arch.virq;
    uint32_t hart = d->target[src] >> APLIC_TARGET_HART_SHIFT;
    struct vcpu *t = vm_vcpu(vm, hart);

    if (d->cfg[src] == 0) {
        bit_set(d->pending, src, false);
        return;
    }
    if (!(d->domaincfg & APLIC_DOMAINCFG_IE) || !bit(d->enabled, src) || !t)
        return;
    bit_set(d->pending, src, false);
    *(volatile uint32_t *)(uintptr_t)guest_file_pa(t) = d->target[src] & APLIC_TARGET_EIID_MASK;
}

void virq_inject(struct vcpu *v, irqid_t irq)
{
    (void)v;
    (void)irq; /* wired sources reach the guest file directly; a kick needs nothing */
}

void virq_raise(struct vm *vm, irqid_t irq)
{
    struct virq_dist *d = &vm->arch.virq;

    if (irq == 0 || irq >= VIRQ_SOURCES || !bit(d->owned, irq))
        return;
    spin_lock(&d->lock);
    bit_set(d->pending, irq, true);
    vaplic_deliver(vm, irq);
    spin_unlock(&d->lock);
}

bool virq_owns_ipa(const struct vm *vm, uint64_t gpa)
{
    (void)vm;
    return gpa >= platform.irqchip.aplic && gpa - platform.irqchip.aplic < VAPLIC_SIZE;
}

static volatile uint32_t *paplic(uint32_t off)
{
    return (volatile uint32_t *)(uintptr_t)(platform.irqchip.aplic + off);
}

/* setienum / clrienum / setipnum of one of the VM's sources. */
static void vaplic_num(struct vm *vm, uint32_t reg, uint32_t src)
{
    struct virq_dist *d = &vm->arch.virq;
    bool hw = irqchip_vm_owns(vm, src);

    if (src == 0 || src >= VIRQ_SOURCES || !bit(d->owned, src))
        return;
    if (reg == APLIC_SETIENUM || reg == APLIC_CLRIENUM)
        bit_set(d->enabled, src, reg == APLIC_SETIENUM);
    if (hw) {
        *paplic(reg) = src;
        return;
    }
    if (reg == APLIC_SETIPNUM)
        bit_set(d->pending, src, true);
    if (bit(d->pending, src))
        vaplic_deliver(vm, src);
}

static bool vaplic_access(struct vcpu *v, uint32_t off, struct mmio_access *acc)
{
    struct vm *vm = v->vm;
    struct virq_dist *d = &vm->arch.virq;
    uint32_t val = (uint32_t)acc->value;

    if (off == APLIC_DOMAINCFG) {
        if (acc->write)
            d->domaincfg = val & APLIC_DOMAINCFG_IE;
        else
            acc->value = APLIC_DOMAINCFG_RO1 | APLIC_DOMAINCFG_DM | d->domaincfg;
    } else if (off >= APLIC_SOURCECFG(1) && off < APLIC_MSIADDRCFG) {
        uint32_t src = (off - APLIC_SOURCECFG(1)) / 4 + 1;
        bool mine = src < VIRQ_SOURCES && bit(d->owned, src);
        /* No child domains: the D bit is not kept, SM is (§4.5.2). */
        if (acc->write && mine) {
            d->cfg[src] = val & APLIC_SOURCECFG_SM_MASK;
            if (irqchip_vm_owns(vm, src))
                aplic_source_mode(src, d->cfg[src]);
        } else if (!acc->write) {
            acc->value = mine ? d->cfg[src] : 0;
        }
    } else if (off == APLIC_SETIENUM || off == APLIC_CLRIENUM || off == APLIC_SETIPNUM ||
               off == APLIC_SETIPNUM_LE) {
        if (acc->write)
            vaplic_num(vm, off == APLIC_SETIPNUM_LE ? APLIC_SETIPNUM : off, val);
        else
            acc->value = 0;
    } else if (off >= APLIC_SETIE && off < APLIC_SETIE + 4 * VIRQ_WORDS) {
        uint32_t w = (off - APLIC_SETIE) / 4;
        if (acc->write) {
            for (uint32_t b = 0; b < 32; b++)
                if (val >> b & 1)
                    vaplic_num(vm, APLIC_SETIENUM, 32 * w + b);
        } else {
            acc->value = d->enabled[w] & d->owned[w];
        }
    } else if (off >= APLIC_TARGET(1) && off < APLIC_TARGET(1) + 4 * 1023) {
        uint32_t src = (off - APLIC_TARGET(1)) / 4 + 1;
        bool mine = src < VIRQ_SOURCES && bit(d->owned, src);
        if (acc->write && mine) {
            uint32_t k = val >> APLIC_TARGET_HART_SHIFT;
            struct vcpu *t = vm_vcpu(vm, k) ? vm_vcpu(vm, k) : &vm->vcpus[0];
            d->target[src] = ((uint32_t)t->id << APLIC_TARGET_HART_SHIFT) |
                             (val & APLIC_TARGET_EIID_MASK);
            if (irqchip_vm_owns(vm, src))
                aplic_target(src, t->cpu, val & APLIC_TARGET_EIID_MASK);
        } else if (!acc->write) {
            acc->value = mine ? d->target[src] : 0;
        }
    } else if (off >= VAPLIC_SIZE) {
        return false;
    } else if (!acc->write) {
        acc->value = 0; /* pending/genmsi/msiaddrcfg views: reads as zero */
    }
    return true;
}

bool virq_mmio_access(struct vcpu *v, struct mmio_access *acc)
{
    struct virq_dist *d = &v->vm->arch.virq;
    uint32_t off = (uint32_t)(ipa_addr(acc->addr) - platform.irqchip.aplic);

    if (acc->size != 4 || (off & 3))
        return false; /* APLIC registers are 32-bit words (§4.5) */
    spin_lock(&d->lock);
    bool ok = vaplic_access(v, off, acc);
    spin_unlock(&d->lock);
    return ok;
}

/* The guest file drives VSEIP itself through hstatus.VGEIN. */
void virq_flush(struct vcpu *v)
{
    (void)v;
}
