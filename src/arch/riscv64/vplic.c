/* The emulated PLIC each VM sees at the platform PLIC's address: its own sources and its vCPUs' contexts (PLIC spec v1.0.0). */
#include "arch.h"
#include "cpu.h"
#include "csr.h"
#include "platform.h"
#include "virqchip.h"
#include "vm.h"

/* The guest's register map is the real one (PLIC spec §3); contexts are
 * numbered like QEMU virt's: 2k (M-mode, reads as zero) and 2k + 1 (S-mode)
 * for vCPU k. */
#define VPLIC_SIZE 0x4000000ull
#define VPLIC_PENDING 0x1000u
#define VPLIC_ENABLE 0x2000u
#define VPLIC_ENABLE_END 0x1f2000u
#define VPLIC_CONTEXT 0x200000u
#define VPLIC_PRIO_MASK 7u /* 3 priority bits, as QEMU's */

static bool bit(const uint32_t *map, uint32_t i)
{
    return (map[i / 32] >> (i % 32)) & 1;
}

/* Lowest set bit of a non-zero word, without libgcc's __ctzdi2 (no Zbb). */
static uint32_t lowest_bit(uint32_t x)
{
    uint32_t n = 0;
    while (!(x & 1)) {
        x >>= 1;
        n++;
    }
    return n;
}

static void bit_set(uint32_t *map, uint32_t i, bool v)
{
    if (v)
        map[i / 32] |= 1u << (i % 32);
    else
        map[i / 32] &= ~(1u << (i % 32));
}

/* The highest-priority pending, enabled, unclaimed source of vCPU k's
 * context above its threshold (PLIC spec §7, ties to the lowest id). */
static uint32_t vplic_best(const struct virq_dist *d, uint32_t k)
{
    uint32_t best = 0, best_prio = d->threshold[k];

    for (uint32_t w = 0; w < VIRQ_WORDS; w++) {
        uint32_t cand = d->pending[w] & ~d->active[w] & d->ctx_enable[k][w];
        while (cand) {
            uint32_t src = 32 * w + lowest_bit(cand);
            cand &= cand - 1;
            if (d->prio[src] > best_prio) {
                best = src;
                best_prio = d->prio[src];
            }
        }
    }
    return best;
}

/* After a change: every other vCPU whose line would change re-evaluates
 * it on its own hart (hvip is per hart); the caller's own is set on exit. */
static void vplic_update(struct vm *vm, struct vcpu *self)
{
    for (uint32_t k = 0; k < vm->vcpu_count; k++) {
        struct vcpu *t = &vm->vcpus[k];
        if (t == self || t->state != VCPU_ON)
            continue;
        bool eip = __atomic_load_n(&t->arch.virq.eip, __ATOMIC_RELAXED);
        if ((vplic_best(&vm->arch.virq, k) != 0) != eip)
            cpu_msg_send(t->cpu, CPU_MSG_VIRQ);
    }
}

void virq_vm_init(struct vm *vm)
{
    struct virq_dist *d = &vm->arch.virq;
    const struct vm_config *c = vm->config;

    spin_lock(&d->lock);
    for (uint32_t w = 0; w < VIRQ_WORDS; w++) {
        d->owned[w] = d->pending[w] = d->active[w] = d->enabled[w] = 0;
        for (uint32_t k = 0; k < PLATFORM_MAX_CPUS; k++)
            d->ctx_enable[k][w] = 0;
    }
    for (uint32_t s = 0; s < VIRQ_SOURCES; s++)
        d->prio[s] = 0;
    for (uint32_t k = 0; k < PLATFORM_MAX_CPUS; k++)
        d->threshold[k] = 0;
    for (size_t i = 0; i < c->devs_count; i++)
        for (size_t j = 0; j < c->devs[i].irqs_count; j++)
            if (c->devs[i].irqs[j] > 0 && c->devs[i].irqs[j] < VIRQ_SOURCES)
                bit_set(d->owned, c->devs[i].irqs[j], true);
    /* IPC doorbells are sources of the VM too, raised by Baohu (virq_raise). */
    for (size_t i = 0; i < c->ipcs_count; i++)
        if (c->ipcs[i].doorbell_irq > 0 && c->ipcs[i].doorbell_irq < VIRQ_SOURCES)
            bit_set(d->owned, c->ipcs[i].doorbell_irq, true);
    spin_unlock(&d->lock);
    /* Physically, each source goes to the VM's first hart and stays claimed
     * there until the guest completes it. */
    for (uint32_t s = 1; s < VIRQ_SOURCES; s++)
        if (bit(d->owned, s) && irqchip_vm_owns(vm, s)) {
            irqchip_route(s, vm->vcpus[0].cpu, false);
            irqchip_route(s, vm->vcpus[0].cpu, true);
        }
}

void virq_vcpu_reset(struct vcpu *v)
{
    v->arch.virq.eip = false;
    csr_clear(hvip, 1u << IRQ_VSEI);
}

void virq_inject(struct vcpu *v, irqid_t irq)
{
    struct virq_dist *d = &v->vm->arch.virq;

    if (irq == VIRQ_KICK || irq == 0 || irq >= VIRQ_SOURCES)
        return; /* a kick: virq_flush on the way out does the work */
    spin_lock(&d->lock);
    bit_set(d->pending, irq, true);
    spin_unlock(&d->lock);
    vplic_update(v->vm, v);
}

/* From any CPU: the vCPU of this CPU, if it is one of the VM's, is kicked
 * like the others (a message to oneself is taken on the way out). */
void virq_raise(struct vm *vm, irqid_t irq)
{
    struct virq_dist *d = &vm->arch.virq;

    if (irq == 0 || irq >= VIRQ_SOURCES)
        return;
    spin_lock(&d->lock);
    bit_set(d->pending, irq, true);
    spin_unlock(&d->lock);
    vplic_update(vm, NULL);
}

bool virq_owns_ipa(const struct vm *vm, uint64_t gpa)
{
    (void)vm;
    return gpa >= platform.irqchip.plic && gpa - platform.irqchip.plic < VPLIC_SIZE;
}

static uint32_t vplic_claim(struct virq_dist *d, uint32_t k)
{
    uint32_t src = vplic_best(d, k);
    if (src) {
        bit_set(d->pending, src, false);
        bit_set(d->active, src, true);
    }
    return src;
}

/* Completion of a source the context has enabled and that is claimed
 * (PLIC spec §9); passthrough sources are completed physically too. A
 * doorbell is no physical source: its id may be another VM's device, whose
 * claim this completion must not end. */
static void vplic_complete(struct vm *vm, uint32_t k, uint32_t src)
{
    struct virq_dist *d = &vm->arch.virq;

    if (src == 0 || src >= VIRQ_SOURCES || !bit(d->active, src) || !bit(d->ctx_enable[k], src))
        return;
    bit_set(d->active, src, false);
    if (irqchip_vm_owns(vm, src))
        irqchip_complete(src);
}

/* Context registers: threshold at +0, claim/complete at +4. Returns false
 * for an offset that is no register. */
static bool vplic_context(struct vcpu *v, struct virq_dist *d, uint32_t off, struct mmio_access *acc)
{
    uint32_t ctx = (off - VPLIC_CONTEXT) / 0x1000, reg = (off - VPLIC_CONTEXT) % 0x1000;
    uint32_t k = ctx / 2;
    bool s_mode = ctx % 2 == 1 && k < v->vm->vcpu_count;

    if (reg != 0 && reg != 4)
        return false;
    if (!s_mode) {
        acc->value = 0;
        return true;
    }
    if (reg == 0) {
        if (acc->write)
            d->threshold[k] = (uint32_t)acc->value & VPLIC_PRIO_MASK;
        else
            acc->value = d->threshold[k];
    } else if (acc->write) {
        vplic_complete(v->vm, k, (uint32_t)acc->value);
    } else {
        acc->value = vplic_claim(d, k);
    }
    return true;
}

bool virq_mmio_access(struct vcpu *v, struct mmio_access *acc)
{
    struct virq_dist *d = &v->vm->arch.virq;
    uint32_t off = (uint32_t)(ipa_addr(acc->addr) - platform.irqchip.plic);
    bool ok = true;

    if (acc->size != 4 || (off & 3))
        return false; /* PLIC registers are 32-bit words (§3) */
    spin_lock(&d->lock);
    if (off < VPLIC_PENDING) {
        uint32_t src = off / 4;
        bool mine = src < VIRQ_SOURCES && bit(d->owned, src);
        if (acc->write && mine)
            d->prio[src] = (uint8_t)(acc->value & VPLIC_PRIO_MASK);
        else if (!acc->write)
            acc->value = mine ? d->prio[src] : 0;
    } else if (off < VPLIC_ENABLE) {
        uint32_t w = (off - VPLIC_PENDING) / 4;
        if (!acc->write)
            acc->value = w < VIRQ_WORDS ? d->pending[w] & d->owned[w] : 0;
    } else if (off < VPLIC_ENABLE_END) {
        uint32_t ctx = (off - VPLIC_ENABLE) / 0x80, w = (off - VPLIC_ENABLE) % 0x80 / 4;
        uint32_t k = ctx / 2;
        bool s_mode = ctx % 2 == 1 && k < v->vm->vcpu_count && w < VIRQ_WORDS;
        if (acc->write && s_mode)
            d->ctx_enable[k][w] = (uint32_t)acc->value & d->owned[w];
        else if (!acc->write)
            acc->value = s_mode ? d->ctx_enable[k][w] : 0;
    } else if (off >= VPLIC_CONTEXT) {
        ok = vplic_context(v, d, off, acc);
    } else {
        ok = false;
    }
    spin_unlock(&d->lock);
    if (ok && acc->write)
        vplic_update(v->vm, v);
    return ok;
}

void virq_flush(struct vcpu *v)
{
    struct virq_dist *d = &v->vm->arch.virq;

    /* eip is stored under the lock: a raise from another CPU (virq_raise)
     * then either is seen here or sees the new eip and kicks this vCPU. */
    spin_lock(&d->lock);
    bool eip = vplic_best(d, v->id) != 0;
    __atomic_store_n(&v->arch.virq.eip, eip, __ATOMIC_RELAXED);
    spin_unlock(&d->lock);
    if (eip)
        csr_set(hvip, 1u << IRQ_VSEI);
    else
        csr_clear(hvip, 1u << IRQ_VSEI);
}
