/* The emulated PLIC each VM sees at the platform PLIC's address: its own sources and its vCPUs' contexts (PLIC spec v1.0.0). */
#include "arch.h"
#include "cpu.h"
#include "platform.h"
#include "virq_sources.h"
#include "virqchip.h"
#include "vm.h"

/*
 * Delivery, so that an exit pays only for what changed:
 *  - A vCPU's external line (virq_cpu.line) is kept current, under the VM's
 *    lock, by whoever changes what it depends on, and only for the contexts
 *    the change can affect: a source becoming pending, claimed, completed or
 *    re-prioritised re-evaluates the contexts that enable it (a claim thus
 *    drops the line of every sibling that had only that source, spec §8); a
 *    context's enables or threshold re-evaluate that context alone.
 *  - A line that does not move posts nothing. One that moves sets the
 *    vCPU's `dirty`, and only dirty's 0->1 posts CPU_MSG_VIRQ, to another
 *    hart whose vCPU is online; its own hart and an offline vCPU apply it
 *    on their way into the guest. An exit with `dirty` clear reads one flag.
 *  - A physical source is enabled at exactly one physical context: the hart
 *    of a vCPU whose context enables it, an online one if there is one, else
 *    where it went before (vCPU 0's at first). Whichever hart takes it,
 *    Baohu claims it there and it becomes pending in the vPLIC
 *    (virq_hw_take): it waits for an offline vCPU, or goes to another
 *    context the guest enables it in. It stays claimed at the physical PLIC
 *    (whose gateway holds further requests, §5) until the guest completes
 *    it; that completion goes to the context the source is routed to then.
 *    A VM reset or stop completes whatever is still claimed.
 */

/* The guest's register map is the real one (PLIC spec §3); contexts are
 * numbered like QEMU virt's: 2k (M-mode, reads as zero) and 2k + 1 (S-mode)
 * for vCPU k. */
#define VPLIC_SIZE 0x4000000ull
#define VPLIC_PENDING 0x1000u
#define VPLIC_ENABLE 0x2000u
#define VPLIC_ENABLE_END 0x1f2000u
#define VPLIC_CONTEXT 0x200000u
#define VPLIC_PRIO_MASK 7u /* 3 priority bits, as QEMU's */

/* CPUs to post CPU_MSG_VIRQ to, collected under the lock, posted after it. */
struct kicks {
    uint32_t cpus;
};

static void kicks_send(const struct kicks *k)
{
    for (cpuid_t c = 0; c < PLATFORM_MAX_CPUS; c++)
        if (k->cpus & (1u << c))
            cpu_msg_send(c, CPU_MSG_VIRQ);
}

/* The highest-priority pending, enabled, unclaimed source of vCPU k's
 * context above its threshold (PLIC spec §7, ties to the lowest id). */
static uint32_t vplic_best(const struct virq_dist *d, uint32_t k)
{
    uint32_t best = 0, best_prio = d->plic.threshold[k];

    for (uint32_t w = 0; w < VIRQ_WORDS; w++) {
        uint32_t cand = d->pending[w] & ~d->plic.active[w] & d->plic.ctx_enable[k][w];
        while (cand) {
            uint32_t src = 32 * w + lowest_bit(cand);
            cand &= cand - 1;
            if (d->plic.prio[src] > best_prio) {
                best = src;
                best_prio = d->plic.prio[src];
            }
        }
    }
    return best;
}

/* The vCPUs whose S context enables `src`. */
static uint32_t enabled_in(const struct vm *vm, uint32_t src)
{
    uint32_t m = 0;
    for (uint32_t k = 0; k < vm->vcpu_count; k++)
        if (bit(vm->arch.virq.plic.ctx_enable[k], src))
            m |= 1u << k;
    return m;
}

/* Re-evaluate vCPU k's line; if it moved, the vCPU is told (once until it
 * looks). Caller holds the lock. */
static void line_eval(struct vm *vm, uint32_t k, struct kicks *kicks)
{
    struct virq_dist *d = &vm->arch.virq;
    struct vcpu *v = &vm->vcpus[k];
    uint32_t line = vplic_best(d, k) != 0;

    if (line == __atomic_load_n(&v->arch.virq.line, __ATOMIC_RELAXED))
        return;
    __atomic_store_n(&v->arch.virq.line, line, __ATOMIC_RELAXED);
    if (__atomic_exchange_n(&v->arch.virq.dirty, 1, __ATOMIC_ACQ_REL))
        return;
    if ((d->online >> k & 1) && v->cpu != arch_cpu_id())
        kicks->cpus |= 1u << v->cpu;
}

static void lines_eval(struct vm *vm, uint32_t vcpus, struct kicks *kicks)
{
    while (vcpus) {
        line_eval(vm, lowest_bit(vcpus), kicks);
        vcpus &= vcpus - 1;
    }
}

/* Physical source `src` to the hart of: the vCPU it goes to now if that one
 * is among the best candidates, else the first online vCPU that enables it,
 * else the first that enables it; if none does, where it went (vCPU 0 at
 * first). Caller holds the lock; live is set before the first route. */
static void vplic_route(struct vm *vm, uint32_t src)
{
    struct virq_dist *d = &vm->arch.virq;
    uint32_t en = enabled_in(vm, src);
    uint32_t want = (en & d->online) ? en & d->online : en;
    uint32_t k = d->plic.route[src];

    if (!d->live)
        return; /* stopped: its sources stay off (virq_vm_stop) */
    if (want && (k == VIRQ_NO_VCPU || !(want >> k & 1)))
        k = lowest_bit(want);
    if (k == VIRQ_NO_VCPU)
        k = 0;
    if (k == d->plic.route[src])
        return;
    d->plic.route[src] = (uint8_t)k;
    irqchip_route(src, vm->vcpus[k].cpu, true);
}

/* Re-route the physical sources among `cand` (one word of source bits). */
static void routes_update(struct vm *vm, uint32_t w, uint32_t cand)
{
    cand &= vm->arch.virq.hw[w];
    while (cand) {
        vplic_route(vm, 32 * w + lowest_bit(cand));
        cand &= cand - 1;
    }
}

/* Source `src` has a request (a physical claim or a doorbell). A source
 * already pending keeps one: nothing changes, nothing is posted. Caller
 * holds the lock. */
static void vplic_pend(struct vm *vm, uint32_t src, struct kicks *kicks)
{
    struct virq_dist *d = &vm->arch.virq;

    if (bit(d->pending, src))
        return;
    bit_set(d->pending, src, true);
    if (!bit(d->plic.active, src))
        lines_eval(vm, enabled_in(vm, src), kicks);
}

void virq_vm_init(struct vm *vm)
{
    struct virq_dist *d = &vm->arch.virq;

    spin_lock(&d->lock);
    /* A reset: what the last run still held at the physical PLIC is given
     * back first, at the context it is routed to. */
    for (uint32_t w = 0; w < VIRQ_WORDS; w++)
        for (uint32_t m = d->plic.hw_claimed[w]; m; m &= m - 1)
            irqchip_complete(32 * w + lowest_bit(m));
    for (uint32_t w = 0; w < VIRQ_WORDS; w++) {
        d->owned[w] = d->hw[w] = d->pending[w] = d->plic.active[w] = d->plic.hw_claimed[w] = 0;
        for (uint32_t k = 0; k < PLATFORM_MAX_CPUS; k++)
            d->plic.ctx_enable[k][w] = 0;
    }
    for (uint32_t s = 0; s < VIRQ_SOURCES; s++) {
        d->plic.prio[s] = 0;
        d->plic.route[s] = VIRQ_NO_VCPU;
    }
    for (uint32_t k = 0; k < PLATFORM_MAX_CPUS; k++)
        d->plic.threshold[k] = 0;
    d->online = 0;
    for (uint32_t k = 0; k < vm->vcpu_count; k++) {
        __atomic_store_n(&vm->vcpus[k].arch.virq.line, 0, __ATOMIC_RELAXED);
        __atomic_store_n(&vm->vcpus[k].arch.virq.dirty, 1, __ATOMIC_RELEASE);
    }
    /* Its devices' interrupts, IPC doorbells and virtual UART interrupt:
     * doorbells and the UART's are raised by Baohu (virq_raise). */
    virq_sources_build(vm);
    d->live = true;
    for (uint32_t w = 0; w < VIRQ_WORDS; w++)
        routes_update(vm, w, ~0u);
    spin_unlock(&d->lock);
}

void virq_vm_stop(struct vm *vm)
{
    struct virq_dist *d = &vm->arch.virq;

    spin_lock(&d->lock);
    d->live = false;
    for (uint32_t w = 0; w < VIRQ_WORDS; w++) {
        for (uint32_t m = d->hw[w]; m; m &= m - 1) {
            uint32_t s = 32 * w + lowest_bit(m);
            if (bit(d->plic.hw_claimed, s))
                irqchip_complete(s);
            irqchip_route(s, 0, false);
            d->plic.route[s] = VIRQ_NO_VCPU;
        }
        d->pending[w] = d->plic.active[w] = d->plic.hw_claimed[w] = 0;
    }
    for (uint32_t k = 0; k < vm->vcpu_count; k++)
        __atomic_store_n(&vm->vcpus[k].arch.virq.line, 0, __ATOMIC_RELAXED);
    spin_unlock(&d->lock);
}

/* The vCPU's hart has just cleared hvip: present the line again on entry,
 * and route its sources to it if it is now the best place for them. */
void virq_vcpu_online(struct vcpu *v)
{
    struct virq_dist *d = &v->vm->arch.virq;

    spin_lock(&d->lock);
    d->online |= 1u << v->id;
    v->arch.virq.eip = false;
    __atomic_store_n(&v->arch.virq.dirty, 1, __ATOMIC_RELEASE);
    for (uint32_t w = 0; w < VIRQ_WORDS; w++)
        routes_update(v->vm, w, d->plic.ctx_enable[v->id][w]);
    spin_unlock(&d->lock);
}

/* Its sources go to an online sibling that enables them, if there is one;
 * what arrives for it meanwhile waits in the vPLIC. */
void virq_vcpu_offline(struct vcpu *v)
{
    struct virq_dist *d = &v->vm->arch.virq;

    spin_lock(&d->lock);
    d->online &= ~(1u << v->id);
    v->arch.virq.eip = false;
    for (uint32_t w = 0; w < VIRQ_WORDS; w++)
        routes_update(v->vm, w, d->plic.ctx_enable[v->id][w]);
    spin_unlock(&d->lock);
}

bool virq_hw_take(struct vm *vm, irqid_t irq)
{
    struct virq_dist *d = &vm->arch.virq;
    struct kicks kicks = {0};

    if (irq == 0 || irq >= VIRQ_SOURCES)
        return false;
    spin_lock(&d->lock);
    bool taken = d->live && bit(d->hw, irq);
    if (taken && !bit(d->plic.hw_claimed, irq)) {
        bit_set(d->plic.hw_claimed, irq, true);
        vplic_pend(vm, irq, &kicks);
    }
    spin_unlock(&d->lock);
    kicks_send(&kicks);
    return taken;
}

/* From any CPU. Always under the lock: a raise that finds the source
 * pending merges with that request, and the lock orders the caller's
 * record of it (e.g. IPC events) before the claim that takes the request. */
void virq_raise(struct vm *vm, irqid_t irq)
{
    struct virq_dist *d = &vm->arch.virq;
    struct kicks kicks = {0};

    if (irq == 0 || irq >= VIRQ_SOURCES)
        return;
    spin_lock(&d->lock);
    if (bit(d->owned, irq) && !bit(d->hw, irq))
        vplic_pend(vm, irq, &kicks);
    spin_unlock(&d->lock);
    kicks_send(&kicks);
}

bool virq_owns_ipa(const struct vm *vm, uint64_t gpa)
{
    (void)vm;
    return gpa >= platform.irqchip.plic && gpa - platform.irqchip.plic < VPLIC_SIZE;
}

/* A claim clears the source's pending bit (spec §8): every context that
 * enables it looks again, so a sibling whose line it held drops it. */
static uint32_t vplic_claim(struct vm *vm, uint32_t k, struct kicks *kicks)
{
    struct virq_dist *d = &vm->arch.virq;
    uint32_t src = vplic_best(d, k);

    if (src) {
        bit_set(d->pending, src, false);
        bit_set(d->plic.active, src, true);
        lines_eval(vm, enabled_in(vm, src), kicks);
    }
    return src;
}

/* Completion of a source the context has enabled and that is claimed
 * (spec §9: any other is ignored). A passthrough source is completed at the
 * physical PLIC too, and may fire again; a doorbell raised meanwhile is
 * pending again at once. */
static void vplic_complete(struct vm *vm, uint32_t k, uint32_t src, struct kicks *kicks)
{
    struct virq_dist *d = &vm->arch.virq;

    if (src == 0 || src >= VIRQ_SOURCES || !bit(d->plic.active, src) || !bit(d->plic.ctx_enable[k], src))
        return;
    bit_set(d->plic.active, src, false);
    if (bit(d->plic.hw_claimed, src)) {
        bit_set(d->plic.hw_claimed, src, false);
        irqchip_complete(src);
    }
    if (bit(d->pending, src))
        lines_eval(vm, enabled_in(vm, src), kicks);
}

/* Context registers: threshold at +0, claim/complete at +4. Returns false
 * for an offset that is no register. */
static bool vplic_context(struct vcpu *v, uint32_t off, struct mmio_access *acc,
                          struct kicks *kicks)
{
    struct virq_dist *d = &v->vm->arch.virq;
    uint32_t ctx = (off - VPLIC_CONTEXT) / 0x1000, reg = (off - VPLIC_CONTEXT) % 0x1000;
    uint32_t k = ctx / 2;
    bool s_mode = ctx % 2 == 1 && k < v->vm->vcpu_count;

    if (reg != 0 && reg != 4)
        return false;
    if (!s_mode) {
        acc->value = 0;
        return true;
    }
    if (reg == 0 && acc->write) {
        uint32_t t = (uint32_t)acc->value & VPLIC_PRIO_MASK;
        if (t != d->plic.threshold[k]) {
            d->plic.threshold[k] = t;
            line_eval(v->vm, k, kicks);
        }
    } else if (reg == 0) {
        acc->value = d->plic.threshold[k];
    } else if (acc->write) {
        vplic_complete(v->vm, k, (uint32_t)acc->value, kicks);
    } else {
        acc->value = vplic_claim(v->vm, k, kicks);
    }
    return true;
}

static void vplic_priority(struct vm *vm, uint32_t src, uint8_t prio, struct kicks *kicks)
{
    struct virq_dist *d = &vm->arch.virq;

    if (prio == d->plic.prio[src])
        return;
    d->plic.prio[src] = prio;
    if (bit(d->pending, src) && !bit(d->plic.active, src))
        lines_eval(vm, enabled_in(vm, src), kicks);
}

static void vplic_enables(struct vm *vm, uint32_t k, uint32_t w, uint32_t val,
                          struct kicks *kicks)
{
    struct virq_dist *d = &vm->arch.virq;
    uint32_t changed = d->plic.ctx_enable[k][w] ^ val;

    if (!changed)
        return;
    d->plic.ctx_enable[k][w] = val;
    line_eval(vm, k, kicks);
    routes_update(vm, w, changed);
}

bool virq_mmio_access(struct vcpu *v, struct mmio_access *acc)
{
    struct virq_dist *d = &v->vm->arch.virq;
    uint32_t off = (uint32_t)(ipa_addr(acc->addr) - platform.irqchip.plic);
    struct kicks kicks = {0};
    bool ok = true;

    if (acc->size != 4 || (off & 3))
        return false; /* PLIC registers are 32-bit words (§3) */
    spin_lock(&d->lock);
    if (off < VPLIC_PENDING) {
        uint32_t src = off / 4;
        bool mine = src < VIRQ_SOURCES && bit(d->owned, src);
        if (acc->write && mine)
            vplic_priority(v->vm, src, (uint8_t)(acc->value & VPLIC_PRIO_MASK), &kicks);
        else if (!acc->write)
            acc->value = mine ? d->plic.prio[src] : 0;
    } else if (off < VPLIC_ENABLE) {
        /* Pending bits are read-only here (set by the gateways, §5). */
        uint32_t w = (off - VPLIC_PENDING) / 4;
        if (!acc->write)
            acc->value = w < VIRQ_WORDS ? d->pending[w] & d->owned[w] : 0;
    } else if (off < VPLIC_ENABLE_END) {
        uint32_t ctx = (off - VPLIC_ENABLE) / 0x80, w = (off - VPLIC_ENABLE) % 0x80 / 4;
        uint32_t k = ctx / 2;
        bool s_mode = ctx % 2 == 1 && k < v->vm->vcpu_count && w < VIRQ_WORDS;
        if (acc->write && s_mode)
            vplic_enables(v->vm, k, w, (uint32_t)acc->value & d->owned[w], &kicks);
        else if (!acc->write)
            acc->value = s_mode ? d->plic.ctx_enable[k][w] : 0;
    } else if (off >= VPLIC_CONTEXT) {
        ok = vplic_context(v, off, acc, &kicks);
    } else {
        ok = false;
    }
    spin_unlock(&d->lock);
    kicks_send(&kicks);
    return ok;
}

/* Nothing changed: one load. Else the line as it is now; a change after
 * the exchange sets `dirty` again and is seen next time. */
void virq_flush(struct vcpu *v)
{
    struct virq_cpu *c = &v->arch.virq;

    if (!__atomic_load_n(&c->dirty, __ATOMIC_RELAXED) ||
        !__atomic_exchange_n(&c->dirty, 0, __ATOMIC_ACQUIRE))
        return;
    bool line = __atomic_load_n(&c->line, __ATOMIC_RELAXED) != 0;
    if (line != c->eip) {
        c->eip = line;
        virq_line_set(line);
    }
}
