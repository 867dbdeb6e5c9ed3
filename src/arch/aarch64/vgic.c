/* The virtual GIC's interrupt state machine: pending state, priorities and list-register scheduling. */
#include "arch.h"
#include "cpu.h"
#include "gic.h"
#include "vgic.h"
#include "vgic_lr.h"
#include "vgic_ops.h"
#include "vm.h"
#include "vm_irqs.h"

/*
 * Who owns what:
 *  - Every virq (SPIs, and private ones so that another vCPU's redistributor
 *    can be programmed) changes only under vm->arch.vgic.lock.
 *  - List registers are read and written only on their own pCPU, and only
 *    by vgic_flush and vgic_vcpu_reset. While an interrupt sits in an LR the
 *    LR is the truth for its pending/active state; virq.pending/active
 *    mirror it as of the last flush. Any change to such an interrupt, from
 *    any CPU, is recorded in virq.req (or sgi_sources) and the holder
 *    applies it at its next flush; a holder on another pCPU is told with
 *    CPU_MSG_VIRQ. So is a private interrupt of another pCPU with a physical
 *    one behind it: only its own pCPU may deactivate a banked PPI.
 *  - Each vCPU keeps `waiting`, a bitmap of the interrupts pending for it
 *    and not in an LR (invariant: bit set iff pending, lr == VGIC_NO_LR and
 *    the vCPU is where it is delivered; virq.waiting_on names that vCPU).
 *    A flush scans that bitmap and the LRs in use, nothing else, and only
 *    when `dirty` says something changed or an LR was completed.
 *  - hw_intid != 0 means: the physical interrupt of that INTID was
 *    acknowledged by Baohu, is still active at the GIC, and the guest's
 *    deactivation of the virtual one (HW=1 LR) will deactivate it.
 *  - SGIs keep one pending bit per source vCPU (GICv2 reports the source;
 *    GICv3 uses source 0 only): sgi_sources holds those not in an LR.
 */

/* CPUs to post CPU_MSG_VIRQ to, collected under the lock and posted after it. */
struct kicks {
    uint32_t cpus;
};

static inline void kicks_send(const struct kicks *k)
{
    for (uint32_t m = k->cpus; m; m &= m - 1)
        cpu_msg_send((cpuid_t)__builtin_ctz(m), CPU_MSG_VIRQ);
}

static bool on_this_cpu(const struct vcpu *v)
{
    return v->cpu == arch_cpu_id();
}

static bool is_sgi(const struct virq *v)
{
    return v->intid < VGIC_SGIS;
}

static bool is_private(const struct virq *v)
{
    return v->intid < VGIC_PRIVATE_IRQS;
}

/* The interrupt `intid` as seen by `bank`, or NULL if the VM does not own it. */
static struct virq *virq_of(struct vcpu *bank, irqid_t intid)
{
    if (intid < VGIC_PRIVATE_IRQS)
        return &bank->arch.vgic.priv[intid];
    struct vgic_dist *d = &bank->vm->arch.vgic;
    if (intid - VGIC_PRIVATE_IRQS >= d->spi_count)
        return NULL;
    struct virq *v = &d->spi[intid - VGIC_PRIVATE_IRQS];
    return v->owned ? v : NULL;
}

/* The vCPU an interrupt is delivered to: its bank, or an SPI's target. */
static struct vcpu *dest_of(struct vcpu *bank, const struct virq *v)
{
    if (is_private(v))
        return bank;
    return &bank->vm->vcpus[v->target_vcpu];
}

/* The vCPU whose LR holds `v`, or NULL. An SPI retargeted while in an LR
 * stays with the old vCPU until that LR drains. */
static struct vcpu *holder_of(struct vcpu *bank, const struct virq *v)
{
    if (v->lr == VGIC_NO_LR)
        return NULL;
    return is_private(v) ? bank : &bank->vm->vcpus[v->holder];
}

/* May `v` be signalled to `vcpu` now? Its group enabled at the distributor
 * (GICD_CTLR.EnableGrp0/1 gate every interrupt of the group, SGIs and PPIs
 * included), itself enabled, and for an SPI: routed to this vCPU. */
static bool deliverable(const struct vcpu *vcpu, const struct virq *v)
{
    const struct vgic_dist *d = &vcpu->vm->arch.vgic;
    if (!(v->group1 ? d->enabled_grp1 : d->enabled_grp0) || !v->enabled)
        return false;
    return is_private(v) || v->target_vcpu == vcpu->id;
}

/* `vcpu` must look at its interrupts before it next runs. Posting is
 * coalesced here too: a vCPU already marked has been told (or is this CPU's
 * own and flushes on its way out). */
static void vcpu_dirty(struct vcpu *vcpu, struct kicks *k)
{
    struct vgic_cpu *c = &vcpu->arch.vgic;
    if (__atomic_load_n(&c->dirty, __ATOMIC_RELAXED))
        return;
    __atomic_store_n(&c->dirty, true, __ATOMIC_RELEASE);
    if (!on_this_cpu(vcpu))
        k->cpus |= 1u << vcpu->cpu;
}

/* Restore the `waiting` invariant for `v` after its pending state, LR or
 * destination changed; the vCPU it now waits on is told. */
static void waiting_update(struct vcpu *bank, struct virq *v, struct kicks *k)
{
    bool waits = v->pending && v->lr == VGIC_NO_LR;
    if (!waits && v->waiting_on == VGIC_NO_VCPU)
        return;
    struct vm *vm = bank->vm;
    struct vcpu *dest = dest_of(bank, v);
    uint8_t want = waits ? (uint8_t)dest->id : VGIC_NO_VCPU;
    if (want == v->waiting_on)
        return;
    uint32_t word = v->intid / 32, bit = 1u << (v->intid % 32);
    if (v->waiting_on != VGIC_NO_VCPU) {
        struct vgic_cpu *old = &vm->vcpus[v->waiting_on].arch.vgic;
        old->waiting[word] &= ~bit;
        old->waiting_count--;
    }
    v->waiting_on = want;
    if (want != VGIC_NO_VCPU) {
        dest->arch.vgic.waiting[word] |= bit;
        dest->arch.vgic.waiting_count++;
        vcpu_dirty(dest, k);
    }
}

static uint8_t lowest_bit(uint8_t m)
{
    return (uint8_t)__builtin_ctz(m);
}

/* The LR contents that represent `v` now. */
static struct vgic_lr lr_of(const struct virq *v)
{
    struct vgic_lr lr = {
        .intid = v->intid,
        .hw_intid = v->hw_intid,
        .priority = v->priority,
        .pending = v->pending,
        .active = v->active,
        .hw = v->hw_intid != 0,
        .group1 = v->group1,
    };
    if (is_sgi(v)) {
        lr.source = v->lr_source;
        /* Other sources wait behind this one: hear when it is done. */
        lr.eoi = v->sgi_sources != 0;
    }
    return lr;
}

static void lr_write(struct vcpu *vcpu, uint32_t idx, const struct vgic_lr *lr)
{
    vgic_lr_write(idx, lr);
    vcpu->arch.vgic.stats.lr_writes++;
}

static inline void lr_put(struct vcpu *vcpu, uint32_t idx, struct virq *v, struct kicks *k)
{
    struct vgic_cpu *c = &vcpu->arch.vgic;
    c->stats.delivered++;
    vcpu->irqs_injected++;
    if (is_sgi(v) && v->sgi_sources) {
        v->lr_source = lowest_bit(v->sgi_sources);
        v->sgi_sources &= (uint8_t)~(1u << v->lr_source);
    }
    v->lr = (uint8_t)idx;
    v->holder = (uint8_t)vcpu->id;
    c->lr_intid[idx] = v->intid;
    c->lr_used |= 1u << idx;
    struct vgic_lr lr = lr_of(v);
    lr_write(vcpu, idx, &lr);
    if (v->waiting_on != VGIC_NO_VCPU)
        waiting_update(vcpu, v, k);
}

/* Take `v` out of LR `idx`; it stays pending in software if it was. */
static void lr_release(struct vcpu *vcpu, uint32_t idx, struct virq *v, struct kicks *k)
{
    struct vgic_cpu *c = &vcpu->arch.vgic;
    vgic_lr_clear(idx);
    c->lr_used &= ~(1u << idx);
    v->lr = VGIC_NO_LR;
    if (is_sgi(v) && v->pending) {
        /* The LR's instance goes back to its source's bit. */
        v->sgi_sources |= (uint8_t)(1u << v->lr_source);
    }
    if (is_sgi(v))
        v->pending = v->sgi_sources != 0;
    waiting_update(vcpu, v, k);
}

/* Apply requests to the software state of `v` (in an LR: as just read from
 * it). Runs on the pCPU that owns that state. */
static void req_apply(struct virq *v)
{
    uint8_t req = v->req;
    v->req = 0;
    if (req & VIRQ_REQ_PEND) {
        irqid_t hw = v->hw_pending;
        v->hw_pending = 0;
        if (v->hw_intid && (v->pending || v->active)) {
            /* Its physical interrupt is still live in the guest: it cannot
             * have fired again, and an HW entry cannot be pending and active
             * at once, so there is nothing to add. */
            if (hw && hw != v->hw_intid)
                gic_deactivate(hw);
        } else if (hw && v->active) {
            /* Active without a link: the LR can take only the pending bit,
             * so give the physical interrupt back (a level line fires again). */
            gic_deactivate(hw);
            v->pending = true;
        } else {
            v->pending = true;
            if (hw)
                v->hw_intid = hw;
        }
    }
    if ((req & VIRQ_REQ_UNPEND) && v->pending) {
        if (v->hw_intid && !v->active) {
            /* The guest can no longer deactivate it: Baohu does. */
            gic_deactivate(v->hw_intid);
            v->hw_intid = 0;
        }
        v->pending = false;
    }
    if (req & VIRQ_REQ_ACTIVATE && !v->active) {
        if (v->hw_intid && v->pending) {
            gic_deactivate(v->hw_intid); /* HW entries cannot be pending and active */
            v->hw_intid = 0;
        }
        v->active = true;
    }
    if ((req & VIRQ_REQ_DEACTIVATE) && v->active) {
        if (v->hw_intid) {
            gic_deactivate(v->hw_intid);
            v->hw_intid = 0;
        }
        v->active = false;
    }
    if (!v->pending && !v->active && v->hw_intid) {
        gic_deactivate(v->hw_intid); /* nothing left to link it to */
        v->hw_intid = 0;
    }
}

/* Take into `v` the state the guest left in its LR (`lr`, as read), then
 * what others asked for meanwhile. */
static void lr_fold(struct virq *v, const struct vgic_lr *lr)
{
    v->pending = lr->pending;
    v->active = lr->active;
    if (!lr->pending && !lr->active)
        v->hw_intid = 0; /* deactivated, and with HW=1 the physical one with it */
    if (v->req)
        req_apply(v);
}

/* Fold what the guest did with LR `i` back into its virq, apply what others
 * asked for meanwhile, and keep, rewrite or release the LR. `done`: the
 * status registers say the guest has finished with it (nothing to read). */
static void lr_sync(struct vcpu *vcpu, uint32_t i, bool done, struct kicks *k)
{
    struct vgic_cpu *c = &vcpu->arch.vgic;
    struct virq *v = virq_of(vcpu, c->lr_intid[i]);
    if (!v || v->lr != i) {
        vgic_lr_clear(i);
        c->lr_used &= ~(1u << i);
        return;
    }
    /* Done: invalid now, nothing to read (an HW LR holds hw_intid exactly
     * when linked, so the fold drops the link the guest's deactivation took). */
    struct vgic_lr lr = {.intid = v->intid};
    if (!done)
        vgic_lr_read(i, &lr);
    bool asked = v->req != 0;
    lr_fold(v, &lr);
    if (done) {
        if (!asked) {
            if (is_sgi(v) && v->sgi_sources && deliverable(vcpu, v)) {
                /* The next source's instance takes the LR over (a
                 * cross-vCPU IPI that came while the last one was being
                 * handled: the common case). */
                v->lr_source = lowest_bit(v->sgi_sources);
                v->sgi_sources &= (uint8_t)~(1u << v->lr_source);
                v->pending = true;
                c->stats.lr_writes++;
                vgic_lr_write_sgi(i, v->intid, v->priority, v->group1, v->lr_source,
                                  v->sgi_sources != 0);
            } else {
                lr_release(vcpu, i, v, k);
            }
            return;
        }
    }
    if (is_sgi(v) && !v->pending && (v->sgi_sources & (1u << v->lr_source))) {
        /* The same source sent it again: pending (and active) in place. */
        v->sgi_sources &= (uint8_t)~(1u << v->lr_source);
        v->pending = true;
    }
    if (!v->pending && !v->active) {
        /* Done. A level interrupt is pending again only when its physical
         * line fires again, which arrives as a new vgic_inject_hw. */
        lr_release(vcpu, i, v, k);
    } else if (v->pending && !v->active && !deliverable(vcpu, v)) {
        /* Disabled or retargeted while waiting: back to software, so it is
         * signalled only once it may be (and to the right vCPU). */
        lr_release(vcpu, i, v, k);
    } else {
        struct vgic_lr want = lr_of(v);
        if (done || want.pending != lr.pending || want.active != lr.active || want.hw != lr.hw ||
            want.priority != lr.priority || want.group1 != lr.group1 || want.eoi != lr.eoi)
            lr_write(vcpu, i, &want);
    }
}

/* Requests for private interrupts of this vCPU that are not in an LR. */
static void priv_reqs_apply(struct vcpu *vcpu, struct kicks *k)
{
    struct vgic_cpu *c = &vcpu->arch.vgic;
    uint32_t m = c->req_priv;
    c->req_priv = 0;
    while (m) {
        struct virq *v = &c->priv[__builtin_ctz(m)];
        m &= m - 1;
        if (v->lr == VGIC_NO_LR && v->req) {
            req_apply(v);
            if (is_sgi(v) && !v->pending)
                v->sgi_sources = 0;
            waiting_update(vcpu, v, k);
        }
    }
}

/* The highest-priority (lowest value) deliverable interrupt waiting for an
 * LR; on a tie the lowest INTID. Scans only what is pending. */
static struct virq *best_waiting(struct vcpu *vcpu)
{
    struct vgic_cpu *c = &vcpu->arch.vgic;
    struct virq *best = NULL;
    if (!c->waiting_count)
        return NULL;
    for (uint32_t w = 0; w < VGIC_WORDS; w++) {
        uint32_t m = c->waiting[w];
        while (m) {
            irqid_t intid = w * 32 + (irqid_t)__builtin_ctz(m);
            m &= m - 1;
            struct virq *v = virq_of(vcpu, intid);
            if (v && deliverable(vcpu, v) && (!best || v->priority < best->priority))
                best = v;
        }
    }
    return best;
}

static uint32_t lr_find_free(const struct vgic_cpu *c)
{
    uint32_t all = c->lr_count >= 32 ? ~0u : (1u << c->lr_count) - 1;
    uint32_t free = all & ~c->lr_used;
    return free ? (uint32_t)__builtin_ctz(free) : VGIC_NO_LR;
}

/* The LR whose pending-only entry has the lowest priority, if that is
 * strictly lower than `prio`. Active entries stay: the guest is handling them. */
static uint32_t lr_find_victim(struct vcpu *vcpu, uint8_t prio)
{
    struct vgic_cpu *c = &vcpu->arch.vgic;
    uint32_t victim = VGIC_NO_LR;
    uint8_t worst = prio;
    for (uint32_t m = c->lr_used; m; m &= m - 1) {
        uint32_t i = (uint32_t)__builtin_ctz(m);
        struct virq *v = virq_of(vcpu, c->lr_intid[i]);
        if (v && v->pending && !v->active && v->priority > worst) {
            worst = v->priority;
            victim = i;
        }
    }
    return victim;
}

/* Fill the LRs, best first. True if deliverable interrupts still wait. */
static bool lrs_fill(struct vcpu *vcpu, struct kicks *k)
{
    struct vgic_cpu *c = &vcpu->arch.vgic;
    for (;;) {
        struct virq *v = best_waiting(vcpu);
        if (!v)
            return false;
        uint32_t idx = lr_find_free(c);
        if (idx == VGIC_NO_LR) {
            idx = lr_find_victim(vcpu, v->priority);
            if (idx == VGIC_NO_LR)
                return true;
            /* Each eviction strictly improves the set held in the LRs, so
             * this loop ends. */
            lr_release(vcpu, idx, virq_of(vcpu, c->lr_intid[idx]), k);
        }
        lr_put(vcpu, idx, v, k);
    }
}

/*
 * Which maintenance interrupt brings waiting interrupts their turn:
 *  - several LRs: UIE ("at most one LR valid", GICv3 §12.5.x ICH_HCR_EL2,
 *    IHI 0048B §5.3.2) — right after a flush that left interrupts waiting
 *    every LR is full, so it fires once the guest has really drained them
 *    and the refill happens in one batch. NPIE would stay asserted while
 *    every LR holds an active interrupt, back to back.
 *  - one LR: UIE is always true. NPIE while the LR is pending (it fires when
 *    the guest acknowledges it), then the LR's EOI bit while it is active
 *    (maintenance when the guest deactivates it; HW=0 only: an HW entry is
 *    deactivated by the guest at the physical GIC and reported nowhere, so it
 *    waits for the next exit).
 */
static uint32_t maintenance_for(struct vcpu *vcpu, bool waiting)
{
    struct vgic_cpu *c = &vcpu->arch.vgic;
    if (!waiting)
        return 0;
    if (c->lr_count > 1)
        return VGIC_MAINT_UNDERFLOW;
    if (!(c->lr_used & 1))
        return 0;
    struct virq *v = virq_of(vcpu, c->lr_intid[0]);
    if (!v)
        return 0;
    if (v->pending)
        return VGIC_MAINT_NO_PENDING;
    if (!v->hw_intid) {
        struct vgic_lr lr = lr_of(v);
        lr.eoi = true;
        lr_write(vcpu, 0, &lr);
    }
    return 0;
}

static void maintenance_set(struct vcpu *vcpu, uint32_t flags)
{
    struct vgic_cpu *c = &vcpu->arch.vgic;
    if (c->maint != flags) {
        vgic_set_maintenance(flags);
        c->maint = (uint8_t)flags;
    }
}

/* The part of a flush that has something to do (kept out of line so that
 * the common exit with nothing new pays no register saves for it). */
static __attribute__((noinline)) void flush_changes(struct vcpu *vcpu)
{
    struct vgic_cpu *c = &vcpu->arch.vgic;
    struct vgic_dist *d = &vcpu->vm->arch.vgic;
    struct kicks k = {0};
    spin_lock(&d->lock);
    if (c->req_priv)
        priv_reqs_apply(vcpu, &k);
    uint32_t done = c->lr_used ? vgic_lr_done() & c->lr_used : 0;
    for (uint32_t m = c->lr_used; m; m &= m - 1) {
        uint32_t i = (uint32_t)__builtin_ctz(m);
        lr_sync(vcpu, i, (done >> i) & 1, &k);
    }
    bool waiting = lrs_fill(vcpu, &k);
    uint32_t maint = maintenance_for(vcpu, waiting);
    /* Every disable that waited for this vCPU's LRs has now taken effect. */
    if (__atomic_load_n(&c->rwp, __ATOMIC_RELAXED))
        __atomic_store_n(&c->rwp, false, __ATOMIC_RELEASE);
    /* Cleared last: what this flush did itself (an interrupt released to
     * wait here, say) must not leave it marked, or the next change from
     * another CPU would take it for told and post nothing. Every change is
     * made under the lock, so none can slip in before this store (found by
     * test_vgic_cross and by tests/fuzz's vGIC delivery check). */
    __atomic_store_n(&c->dirty, false, __ATOMIC_RELAXED);
    spin_unlock(&d->lock);
    maintenance_set(vcpu, maint);
    kicks_send(&k);
}

void vgic_flush(struct vcpu *vcpu)
{
    struct vgic_cpu *c = &vcpu->arch.vgic;
    /* Nothing new, and no LR the guest has finished with: no lock, no LR.
     * A change made after this read is posted with CPU_MSG_VIRQ, whose IPI
     * takes the guest straight back out. */
    if (!__atomic_load_n(&c->dirty, __ATOMIC_ACQUIRE) &&
        (!c->lr_used || !(vgic_lr_done() & c->lr_used)))
        return;
    c->stats.flushes++;
    flush_changes(vcpu);
}

void vgic_maintenance(struct vcpu *vcpu)
{
    /* NPIE stays asserted until the flush changes what it looks at. */
    __atomic_store_n(&vcpu->arch.vgic.dirty, true, __ATOMIC_RELAXED);
    vgic_flush(vcpu);
}

/* The fast way in for an interrupt that just became pending for a vCPU
 * running on this pCPU: straight into a free LR, when nothing else waits
 * (so priority order cannot be broken) and it may be signalled now. The
 * flush on the way out then finds nothing to do. */
static inline bool lr_put_now(struct vcpu *bank, struct virq *v, struct kicks *k)
{
    struct vcpu *dest = dest_of(bank, v);
    struct vgic_cpu *c = &dest->arch.vgic;
    if (c->waiting_count || !on_this_cpu(dest) || dest->state != VCPU_ON || !deliverable(dest, v))
        return false;
    uint32_t idx = lr_find_free(c);
    if (idx == VGIC_NO_LR) {
        /* LRs the guest has finished with since the last flush are free
         * once synced (this is their pCPU). */
        for (uint32_t m = vgic_lr_done() & c->lr_used; m; m &= m - 1)
            lr_sync(dest, (uint32_t)__builtin_ctz(m), true, k);
        idx = lr_find_free(c);
        if (idx == VGIC_NO_LR || c->waiting_count)
            return false;
    }
    lr_put(dest, idx, v, k);
    return true;
}

/* Make `v` pending from `source` (SGIs); `hw` is the physical INTID now
 * active for it, or 0. Already pending: nothing changes and nobody is told. */
static void pend_locked(struct vcpu *bank, struct virq *v, irqid_t hw, uint32_t source,
                        struct kicks *k)
{
    if (is_sgi(v)) {
        uint8_t bit = (uint8_t)(1u << (source & 7));
        if (v->sgi_sources & bit)
            return;
        v->sgi_sources |= bit;
        if (v->lr != VGIC_NO_LR) {
            vcpu_dirty(holder_of(bank, v), k); /* merged at its flush */
        } else {
            v->pending = true;
            if (!lr_put_now(bank, v, k))
                waiting_update(bank, v, k);
        }
        return;
    }
    if (v->lr != VGIC_NO_LR) {
        if (v->req & VIRQ_REQ_PEND) {
            /* Already asked for: the one physical instance is linked already. */
            if (hw && hw != v->hw_pending)
                gic_deactivate(hw);
            return;
        }
        v->req = (uint8_t)((v->req & ~VIRQ_REQ_UNPEND) | VIRQ_REQ_PEND);
        v->hw_pending = hw;
        vcpu_dirty(holder_of(bank, v), k);
        return;
    }
    bool was = v->pending;
    if (hw && v->active && !v->hw_intid) {
        /* Active without a link (made so through GICD_ISACTIVER): an HW
         * entry cannot be pending and active at once (ICH_LR<n>_EL2.HW: its
         * pending state is the physical distributor's), so
         * the LR takes only the pending bit and the physical interrupt goes
         * back (a level line fires again), as req_apply does in an LR. */
        gic_deactivate(hw);
    } else if (hw && !v->hw_intid) {
        v->hw_intid = hw;
    } else if (hw && hw != v->hw_intid) {
        gic_deactivate(hw);
    }
    v->pending = true;
    if (!was && !lr_put_now(bank, v, k))
        waiting_update(bank, v, k);
}

static void inject(struct vcpu *vcpu, irqid_t intid, irqid_t hw)
{
    struct vgic_dist *d = &vcpu->vm->arch.vgic;
    struct kicks k = {0};
    spin_lock(&d->lock);
    struct virq *v = virq_of(vcpu, intid);
    if (v)
        pend_locked(vcpu, v, hw, 0, &k);
    spin_unlock(&d->lock);
    if (!v && hw)
        gic_deactivate(hw); /* nobody to forward it to: do not leave it active */
    kicks_send(&k);
}

/* The timer's path: a PPI of the vCPU running here that is idle in every
 * sense (not pending, active, in an LR or asked about), nothing else
 * waiting, a free LR. Everything else takes the general path. */
static bool inject_ppi_fast(struct vcpu *vcpu, irqid_t intid)
{
    struct vgic_cpu *c = &vcpu->arch.vgic;
    struct vgic_dist *d = &vcpu->vm->arch.vgic;
    struct virq *v = &c->priv[intid];
    bool done = false;
    /* Keep `d` and `v` in registers: otherwise the compiler recomputes
     * their addresses for each field below (this is the timer's hot path). */
    __asm__("" : "+r"(d));
    spin_lock(&d->lock);
    __asm__("" : "+r"(v));
    uint32_t idx = v->lr;
    bool idle;
    if (idx != VGIC_NO_LR) {
        /* A periodic timer often finds its previous instance still in its
         * LR, completed by the guest since the last exit (and with HW=1 the
         * physical one deactivated): the new instance takes that LR over. */
        idle = (vgic_lr_done() >> idx) & 1;
    } else {
        idx = lr_find_free(c);
        idle = idx != VGIC_NO_LR && !v->pending && !v->active;
    }
    bool group1 = v->group1;
    if (idle && !c->waiting_count && !v->req && !v->hw_pending && v->enabled &&
        (group1 ? d->enabled_grp1 : d->enabled_grp0)) {
        v->pending = true;
        v->active = false;
        v->hw_intid = intid;
        v->lr = (uint8_t)idx;
        v->holder = (uint8_t)vcpu->id;
        c->lr_intid[idx] = intid;
        c->lr_used |= 1u << idx;
        c->stats.delivered++;
        vcpu->irqs_injected++;
        vgic_lr_write_hw_pending(idx, intid, v->priority, group1);
        done = true;
    }
    spin_unlock(&d->lock);
    return done;
}

void vgic_inject_hw(struct vcpu *vcpu, irqid_t intid)
{
    inject(vcpu, intid, intid);
}

bool vgic_inject_timer(struct vcpu *vcpu, irqid_t intid)
{
    if (inject_ppi_fast(vcpu, intid))
        return true;
    inject(vcpu, intid, intid);
    return false;
}

void vgic_sgi_send(struct vcpu *sender, uint32_t targets, irqid_t intid, uint32_t source)
{
    struct vm *vm = sender->vm;
    struct vgic_dist *d = &vm->arch.vgic;
    struct kicks k = {0};
    if (intid >= VGIC_SGIS)
        return;
    spin_lock(&d->lock);
    for (uint32_t t = targets; t; t &= t - 1) {
        uint32_t idx = (uint32_t)__builtin_ctz(t);
        if (idx < vm->vcpu_count)
            pend_locked(&vm->vcpus[idx], &vm->vcpus[idx].arch.vgic.priv[intid], 0, source, &k);
    }
    spin_unlock(&d->lock);
    kicks_send(&k);
}

void vgic_raise(struct vm *vm, irqid_t intid)
{
    /* As a GICD_ISPENDR write would: an SPI is the same from any bank. */
    if (vm->vcpu_count && intid >= VGIC_PRIVATE_IRQS)
        vgic_irq_set_pending(&vm->vcpus[0], intid, true);
}

bool vgic_is_passthrough(const struct vm *vm, irqid_t intid)
{
    const struct vgic_dist *d = &vm->arch.vgic;
    return intid >= VGIC_PRIVATE_IRQS && intid - VGIC_PRIVATE_IRQS < d->spi_count &&
           d->spi[intid - VGIC_PRIVATE_IRQS].passthrough;
}

static void virq_reset(struct virq *v, irqid_t intid)
{
    *v = (struct virq){
        .intid = intid,
        .lr = VGIC_NO_LR,
        .waiting_on = VGIC_NO_VCPU,
        .owned = intid < VGIC_PRIVATE_IRQS,
        /* SGIs come enabled (as KVM does; GICR_ISENABLER0's reset value is
         * IMPLEMENTATION DEFINED), everything else disabled. */
        .enabled = intid < VGIC_SGIS,
        /* SGIs are edge-triggered; PPIs (timers) and SPIs level by default. */
        .level = intid >= VGIC_SGIS,
        /* IGROUPR reset is IMPLEMENTATION DEFINED: the front end picks the
         * group a guest that never programs groups expects its IRQs in. */
        .group1 = vgic_reset_group1,
    };
}

static void vcpu_state_reset(struct vcpu *vcpu)
{
    struct vgic_cpu *c = &vcpu->arch.vgic;
    for (uint32_t i = 0; i < VGIC_PRIVATE_IRQS; i++)
        virq_reset(&c->priv[i], i);
    for (uint32_t w = 0; w < VGIC_WORDS; w++)
        c->waiting[w] = 0;
    c->waiting_count = 0;
    c->req_priv = 0;
    c->rwp = false;
    c->rd_sleep = false;
    c->dirty = true;
}

static void spi_add(struct vm *vm, irqid_t intid, bool passthrough)
{
    struct vgic_dist *d = &vm->arch.vgic;
    /* config_check keeps these INTIDs within the SPIs a vGIC holds. */
    if (intid < VGIC_PRIVATE_IRQS || intid >= VGIC_IRQS)
        return;
    struct virq *v = &d->spi[intid - VGIC_PRIVATE_IRQS];
    v->owned = true;
    v->passthrough |= passthrough;
    if (intid - VGIC_PRIVATE_IRQS + 1 > d->spi_count)
        d->spi_count = intid - VGIC_PRIVATE_IRQS + 1;
}

/* One interrupt of the VM's config (vm_irqs_each). A device's is disabled
 * at the GIC until the guest enables it, level-sensitive as the reset
 * GICD_ICFGR says, and routed to vCPU 0's pCPU to match the reset
 * GICD_IROUTER (target vCPU 0). Caller holds the lock. */
static void spi_of_config(struct vm *vm, irqid_t intid, bool hw)
{
    if (!hw) {
        spi_add(vm, intid, false);
        return;
    }
    if (intid < VGIC_PRIVATE_IRQS || intid >= VGIC_IRQS)
        return;
    spi_add(vm, intid, true);
    gic_irq_enable(intid, false);
    gic_irq_set_edge(intid, false);
    if (vm->vcpu_count)
        gic_spi_route(intid, vm->vcpus[0].cpu);
}

void vgic_vm_init(struct vm *vm)
{
    struct vgic_dist *d = &vm->arch.vgic;
    /* The lock is zero (SPINLOCK_INIT) in the static vm array; on a reset
     * nobody else holds it, every vCPU of the VM is off. */
    spin_lock(&d->lock);
    /* A reset VM's passthrough interrupts may still be active at the GIC,
     * linked to state that is about to go: give them back, or they never
     * fire again. (Those in an LR were given back by vgic_vcpu_reset.) */
    for (uint32_t i = 0; i < d->spi_count; i++) {
        struct virq *v = &d->spi[i];
        if (v->passthrough) {
            gic_irq_enable(v->intid, false);
            gic_irq_set_pending(v->intid, false);
            if (v->hw_intid || v->hw_pending || gic_irq_is_active(v->intid))
                gic_deactivate(v->intid);
        }
    }

    d->enabled_grp0 = false;
    d->enabled_grp1 = false;
    d->spi_count = 0;
    for (uint32_t i = 0; i < VGIC_MAX_SPIS; i++)
        virq_reset(&d->spi[i], VGIC_PRIVATE_IRQS + i);
    for (uint32_t k = 0; k < vm->vcpu_count; k++)
        vcpu_state_reset(&vm->vcpus[k]);

    /* Its devices' SPIs, IPC doorbells and virtual UART interrupt (the
     * last two virtual SPIs with no physical interrupt behind them). */
    vm_irqs_each(vm, spi_of_config);
    spin_unlock(&d->lock);
}

void vgic_vm_stop(struct vm *vm)
{
    struct vgic_dist *d = &vm->arch.vgic;
    spin_lock(&d->lock);
    for (uint32_t i = 0; i < d->spi_count; i++) {
        struct virq *v = &d->spi[i];
        if (!v->passthrough)
            continue;
        gic_irq_enable(v->intid, false);
        if (v->lr == VGIC_NO_LR && v->hw_intid) {
            gic_deactivate(v->hw_intid);
            v->hw_intid = 0;
        }
    }
    spin_unlock(&d->lock);
}

void vgic_vcpu_reset(struct vcpu *vcpu)
{
    struct vm *vm = vcpu->vm;
    struct vgic_dist *d = &vm->arch.vgic;
    struct vgic_cpu *c = &vcpu->arch.vgic;
    struct kicks k = {0};
    bool running = vm->state == VM_RUNNING;
    spin_lock(&d->lock);
    /* Interrupts that leave with the LRs. lr_used is 0 before the first
     * reset, so LRs with UNKNOWN contents are never read. */
    for (uint32_t m = c->lr_used; m; m &= m - 1) {
        uint32_t i = (uint32_t)__builtin_ctz(m);
        struct virq *v = virq_of(vcpu, c->lr_intid[i]);
        struct vgic_lr lr;
        vgic_lr_read(i, &lr);
        vgic_lr_clear(i);
        if (!v || v->lr != i) {
            if (lr.hw && lr.hw_intid && (lr.pending || lr.active))
                gic_deactivate(lr.hw_intid);
            continue;
        }
        lr_fold(v, &lr);
        v->lr = VGIC_NO_LR;
        if (is_sgi(v) && v->pending)
            v->sgi_sources |= (uint8_t)(1u << v->lr_source);
        if (!is_private(v) && running) {
            /* The VM goes on without this vCPU (CPU_OFF): a pending SPI
             * waits in the distributor for its vCPU, or for the guest to
             * route it elsewhere. One it had acknowledged and not
             * deactivated cannot be finished by anyone: its physical
             * interrupt is given back so that the device works again. */
            if (v->active && v->hw_intid) {
                gic_deactivate(v->hw_intid);
                v->hw_intid = 0;
                v->active = false;
            }
            waiting_update(vcpu, v, &k);
        } else if (v->hw_intid) {
            gic_deactivate(v->hw_intid);
            v->hw_intid = 0;
        }
    }
    c->lr_used = 0;
    for (uint32_t i = 0; i < VGIC_PRIVATE_IRQS; i++) {
        struct virq *v = &c->priv[i];
        if (v->hw_intid && v->lr == VGIC_NO_LR)
            gic_deactivate(v->hw_intid);
        if (v->hw_pending)
            gic_deactivate(v->hw_pending);
    }
    /* Private state restarts; SPIs waiting for this vCPU keep waiting. */
    uint32_t spis[VGIC_WORDS];
    for (uint32_t w = 0; w < VGIC_WORDS; w++)
        spis[w] = c->waiting[w];
    vcpu_state_reset(vcpu);
    for (uint32_t w = 1; w < VGIC_WORDS; w++) {
        c->waiting[w] = spis[w];
        for (uint32_t m = spis[w]; m; m &= m - 1) /* no libgcc popcount here */
            c->waiting_count++;
    }
    c->lr_count = vgic_lr_count();
    if (c->lr_count > VGIC_MAX_LRS)
        c->lr_count = VGIC_MAX_LRS;
    c->maint = 0;
    spin_unlock(&d->lock);
    vgic_lr_reset_cpu();
    kicks_send(&k);
}

/* ---- Operations for the register front ends (vgic_ops.h) ---- */

bool vgic_irq_view(struct vcpu *bank, irqid_t intid, struct vgic_irq_view *out)
{
    struct vgic_dist *d = &bank->vm->arch.vgic;
    spin_lock(&d->lock);
    struct virq *v = virq_of(bank, intid);
    if (v) {
        out->enabled = v->enabled;
        out->pending = v->pending;
        out->active = v->active;
        out->level = v->level;
        out->group1 = v->group1;
        out->priority = v->priority;
        out->target_vcpu = v->target_vcpu;
        struct vcpu *holder = holder_of(bank, v);
        if (holder && on_this_cpu(holder)) {
            /* The guest may have acknowledged or completed it since the
             * last flush: the LR knows. */
            struct vgic_lr lr;
            vgic_lr_read(v->lr, &lr);
            out->pending = lr.pending;
            out->active = lr.active;
        }
        /* What was asked for and not yet applied is already the state. */
        if (v->req & VIRQ_REQ_PEND)
            out->pending = true;
        if (v->req & VIRQ_REQ_UNPEND)
            out->pending = false;
        if (v->req & VIRQ_REQ_ACTIVATE)
            out->active = true;
        if (v->req & VIRQ_REQ_DEACTIVATE)
            out->active = false;
        if (is_sgi(v) && v->sgi_sources)
            out->pending = true;
    }
    spin_unlock(&d->lock);
    return v != NULL;
}

/* The pCPU that must apply a change to `v`'s state: the holder of its LR,
 * or for a private interrupt with a physical one behind it, its own vCPU
 * (a banked PPI is deactivated only there). NULL: any CPU may. */
static struct vcpu *state_owner(struct vcpu *bank, const struct virq *v)
{
    struct vcpu *holder = holder_of(bank, v);
    if (holder)
        return holder;
    if (is_private(v) && (v->hw_intid || v->hw_pending) && !on_this_cpu(bank))
        return bank;
    return NULL;
}

static void request(struct vcpu *bank, struct virq *v, uint8_t req, struct kicks *k)
{
    static const uint8_t opposite[] = {
        [VIRQ_REQ_PEND] = VIRQ_REQ_UNPEND,
        [VIRQ_REQ_UNPEND] = VIRQ_REQ_PEND,
        [VIRQ_REQ_ACTIVATE] = VIRQ_REQ_DEACTIVATE,
        [VIRQ_REQ_DEACTIVATE] = VIRQ_REQ_ACTIVATE,
    };
    struct vcpu *owner = state_owner(bank, v);
    v->req = (uint8_t)((v->req & ~opposite[req]) | req);
    if (v->lr == VGIC_NO_LR)
        owner->arch.vgic.req_priv |= 1u << v->intid;
    vcpu_dirty(owner, k);
}

void vgic_irq_set_enabled(struct vcpu *bank, irqid_t intid, bool on)
{
    struct vgic_dist *d = &bank->vm->arch.vgic;
    struct kicks k = {0};
    spin_lock(&d->lock);
    struct virq *v = virq_of(bank, intid);
    if (v && v->enabled != on) {
        v->enabled = on;
        if (v->passthrough)
            gic_irq_enable(intid, on);
        /* A waiting interrupt may now be signalled where it is delivered. */
        if (v->waiting_on != VGIC_NO_VCPU)
            vcpu_dirty(&bank->vm->vcpus[v->waiting_on], &k);
        struct vcpu *holder = holder_of(bank, v);
        if (!on && holder) {
            /* The LR's pCPU takes it back at its next flush; until then
             * GICD_CTLR.RWP / GICR_CTLR.RWP read 1 (GICv3 §12.9.4, §12.11.x). */
            __atomic_store_n(&holder->arch.vgic.rwp, true, __ATOMIC_RELEASE);
            vcpu_dirty(holder, &k);
        }
    }
    spin_unlock(&d->lock);
    kicks_send(&k);
}

/* GICD_ICPENDR / ISACTIVER / ICACTIVER (ISPENDR goes through pend_locked). */
static void set_state(struct vcpu *bank, irqid_t intid, uint8_t req)
{
    struct vgic_dist *d = &bank->vm->arch.vgic;
    struct kicks k = {0};
    spin_lock(&d->lock);
    struct virq *v = virq_of(bank, intid);
    if (v) {
        if (req == VIRQ_REQ_UNPEND && is_sgi(v))
            v->sgi_sources = 0;
        if (state_owner(bank, v)) {
            request(bank, v, req, &k);
        } else {
            v->req = req;
            req_apply(v);
            if (is_sgi(v))
                v->pending = v->sgi_sources != 0;
            waiting_update(bank, v, &k);
        }
    }
    spin_unlock(&d->lock);
    kicks_send(&k);
}

void vgic_irq_set_pending(struct vcpu *bank, irqid_t intid, bool on)
{
    if (!on) {
        set_state(bank, intid, VIRQ_REQ_UNPEND);
        return;
    }
    struct vgic_dist *d = &bank->vm->arch.vgic;
    struct kicks k = {0};
    spin_lock(&d->lock);
    struct virq *v = virq_of(bank, intid);
    if (v)
        pend_locked(bank, v, 0, 0, &k);
    spin_unlock(&d->lock);
    kicks_send(&k);
}

void vgic_irq_set_active(struct vcpu *bank, irqid_t intid, bool on)
{
    set_state(bank, intid, on ? VIRQ_REQ_ACTIVATE : VIRQ_REQ_DEACTIVATE);
}

/* A property that a list register copies changed: whoever holds or waits
 * for `v` re-evaluates it. */
static void property_changed(struct vcpu *bank, struct virq *v, struct kicks *k)
{
    struct vcpu *holder = holder_of(bank, v);
    if (holder)
        vcpu_dirty(holder, k);
    if (v->waiting_on != VGIC_NO_VCPU)
        vcpu_dirty(&bank->vm->vcpus[v->waiting_on], k);
}

void vgic_irq_set_priority(struct vcpu *bank, irqid_t intid, uint8_t prio)
{
    struct vgic_dist *d = &bank->vm->arch.vgic;
    struct kicks k = {0};
    spin_lock(&d->lock);
    struct virq *v = virq_of(bank, intid);
    if (v && v->priority != prio) {
        v->priority = prio;
        property_changed(bank, v, &k);
    }
    spin_unlock(&d->lock);
    kicks_send(&k);
}

void vgic_irq_set_level(struct vcpu *bank, irqid_t intid, bool level)
{
    struct vgic_dist *d = &bank->vm->arch.vgic;
    spin_lock(&d->lock);
    struct virq *v = virq_of(bank, intid);
    if (v && intid >= VGIC_SGIS && v->level != level) { /* SGIs are always edge-triggered */
        v->level = level;
        /* The device's own trigger reaches the physical GIC too, or an edge
         * device would be sampled as a level (IHI 0069 §12.9.x GICD_ICFGR). */
        if (v->passthrough)
            gic_irq_set_edge(intid, !level);
    }
    spin_unlock(&d->lock);
}

void vgic_irq_set_group(struct vcpu *bank, irqid_t intid, bool group1)
{
    struct vgic_dist *d = &bank->vm->arch.vgic;
    struct kicks k = {0};
    spin_lock(&d->lock);
    struct virq *v = virq_of(bank, intid);
    if (v && v->group1 != group1) {
        v->group1 = group1;
        property_changed(bank, v, &k);
    }
    spin_unlock(&d->lock);
    kicks_send(&k);
}

void vgic_irq_set_target(struct vm *vm, irqid_t intid, uint32_t vcpu_index)
{
    if (intid < VGIC_PRIVATE_IRQS || vcpu_index >= vm->vcpu_count)
        return;
    struct vgic_dist *d = &vm->arch.vgic;
    struct kicks k = {0};
    spin_lock(&d->lock);
    struct virq *v = virq_of(&vm->vcpus[0], intid);
    if (v && v->target_vcpu != vcpu_index) {
        v->target_vcpu = (uint8_t)vcpu_index;
        /* The physical interrupt goes to the pCPU of the vCPU it is for. */
        if (v->passthrough)
            gic_spi_route(intid, vm->vcpus[vcpu_index].cpu);
        waiting_update(&vm->vcpus[0], v, &k);
        struct vcpu *holder = holder_of(&vm->vcpus[0], v);
        if (holder)
            vcpu_dirty(holder, &k); /* gives it back unless the guest there is handling it */
    }
    spin_unlock(&d->lock);
    kicks_send(&k);
}

void vgic_dist_set_enabled(struct vm *vm, bool grp0, bool grp1)
{
    struct vgic_dist *d = &vm->arch.vgic;
    struct kicks k = {0};
    spin_lock(&d->lock);
    bool more = (grp0 && !d->enabled_grp0) || (grp1 && !d->enabled_grp1);
    bool less = (!grp0 && d->enabled_grp0) || (!grp1 && d->enabled_grp1);
    d->enabled_grp0 = grp0;
    d->enabled_grp1 = grp1;
    for (uint32_t i = 0; i < vm->vcpu_count; i++) {
        struct vcpu *t = &vm->vcpus[i];
        /* Interrupts may have waited for the distributor on every vCPU;
         * one that holds LRs must give back what is now disabled. */
        if (more)
            vcpu_dirty(t, &k);
        if (less && t->arch.vgic.lr_used) {
            if (!on_this_cpu(t))
                __atomic_store_n(&t->arch.vgic.rwp, true, __ATOMIC_RELEASE);
            vcpu_dirty(t, &k);
        }
    }
    spin_unlock(&d->lock);
    kicks_send(&k);
}

bool vgic_rwp(struct vm *vm, struct vcpu *bank)
{
    if (bank)
        return __atomic_load_n(&bank->arch.vgic.rwp, __ATOMIC_ACQUIRE);
    for (uint32_t i = 0; i < vm->vcpu_count; i++)
        if (__atomic_load_n(&vm->vcpus[i].arch.vgic.rwp, __ATOMIC_ACQUIRE))
            return true;
    return false;
}

void vgic_sgi_set_sources(struct vcpu *bank, irqid_t intid, uint8_t sources, bool set)
{
    if (intid >= VGIC_SGIS || !sources)
        return;
    struct vgic_dist *d = &bank->vm->arch.vgic;
    struct kicks k = {0};
    spin_lock(&d->lock);
    struct virq *v = &bank->arch.vgic.priv[intid];
    if (set) {
        for (uint8_t m = sources; m; m &= (uint8_t)(m - 1))
            pend_locked(bank, v, 0, lowest_bit(m), &k);
    } else {
        v->sgi_sources &= (uint8_t)~sources;
        if (v->lr != VGIC_NO_LR) {
            if (sources & (1u << v->lr_source))
                request(bank, v, VIRQ_REQ_UNPEND, &k);
            else
                vcpu_dirty(holder_of(bank, v), &k); /* its EOI bit may go */
        } else {
            v->pending = v->sgi_sources != 0;
            waiting_update(bank, v, &k);
        }
    }
    spin_unlock(&d->lock);
    kicks_send(&k);
}

uint8_t vgic_sgi_sources(struct vcpu *bank, irqid_t intid)
{
    if (intid >= VGIC_SGIS)
        return 0;
    struct vgic_dist *d = &bank->vm->arch.vgic;
    spin_lock(&d->lock);
    struct virq *v = &bank->arch.vgic.priv[intid];
    uint8_t m = v->sgi_sources;
    if (v->lr != VGIC_NO_LR && !(v->req & VIRQ_REQ_UNPEND)) {
        bool pending = v->pending;
        if (on_this_cpu(bank)) {
            struct vgic_lr lr;
            vgic_lr_read(v->lr, &lr);
            pending = lr.pending;
        }
        if (pending)
            m |= (uint8_t)(1u << v->lr_source);
    }
    spin_unlock(&d->lock);
    return m;
}
