/* The virtual GIC's interrupt state machine: pending state, priorities and list-register scheduling. */
#include "cpu.h"
#include "gic.h"
#include "vgic.h"
#include "vgic_lr.h"
#include "vgic_ops.h"
#include "vm.h"

/*
 * Who owns what:
 *  - Every virq (SPIs and, so that another vCPU's redistributor can be
 *    programmed, private ones too) changes only under vm->arch.vgic.lock.
 *  - List registers are read and written only on their own pCPU. While an
 *    interrupt sits in an LR the LR is the truth for its pending/active
 *    state; virq.pending/active mirror it as of the last flush. A change
 *    made on the LR's pCPU edits the LR in place; one made elsewhere is
 *    sent there (CPU_MSG_VGIC_INJECT) or, for the rare register writes that
 *    cannot be sent, waits for the LR to drain.
 *  - hw_intid != 0 means: the physical interrupt of that INTID was
 *    acknowledged by Baohu, is still active at the GIC, and the guest's
 *    deactivation of the virtual one (HW=1 LR) will deactivate it.
 */

#define LR_FREE 0x3ffu
#define LR_NONE 0xffffffffu

/* cpu_msg_send calls collected under the lock and made after it. */
struct kicks {
    uint32_t flush_cpus; /* pCPUs that only need to flush (VGIC_KICK) */
    bool forward;
    cpuid_t forward_cpu; /* the pCPU whose LR holds forward_intid */
    irqid_t forward_intid;
};

static void kicks_send(const struct kicks *k)
{
    for (cpuid_t c = 0; c < PLATFORM_MAX_CPUS; c++)
        if (k->flush_cpus & (1u << c))
            cpu_msg_send(c, CPU_MSG_VGIC_INJECT, VGIC_KICK);
    if (k->forward)
        cpu_msg_send(k->forward_cpu, CPU_MSG_VGIC_INJECT, k->forward_intid);
}

static bool on_this_cpu(const struct vcpu *v)
{
    return v->cpu == cpu_current()->id;
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
    if (v->intid < VGIC_PRIVATE_IRQS)
        return bank;
    return &bank->vm->vcpus[v->target_vcpu];
}

/* The vCPU whose LR holds `v`, or NULL. An SPI retargeted while in an LR
 * stays with the old vCPU until that LR drains. */
static struct vcpu *holder_of(struct vcpu *bank, const struct virq *v)
{
    if (v->lr == VGIC_NO_LR)
        return NULL;
    if (v->intid < VGIC_PRIVATE_IRQS)
        return bank;
    struct vm *vm = bank->vm;
    for (uint32_t k = 0; k < vm->vcpu_count; k++)
        if (vm->vcpus[k].arch.vgic.lr_intid[v->lr] == v->intid)
            return &vm->vcpus[k];
    return NULL;
}

static bool spi_is_passthrough(const struct vm *vm, irqid_t intid)
{
    const struct vm_config *c = vm->config;
    for (size_t d = 0; d < c->devs_count; d++)
        for (size_t i = 0; i < c->devs[d].irqs_count; i++)
            if (c->devs[d].irqs[i] == intid)
                return true;
    return false;
}

/* May `v` be signalled to `vcpu` now? Its group enabled at the distributor
 * (GICD_CTLR.EnableGrp0/1 gate every interrupt of the group, SGIs and PPIs
 * included), itself enabled, and for an SPI: routed to this vCPU. */
static bool deliverable(const struct vcpu *vcpu, const struct virq *v)
{
    const struct vgic_dist *d = &vcpu->vm->arch.vgic;
    if (!(v->group1 ? d->enabled_grp1 : d->enabled_grp0) || !v->enabled)
        return false;
    return v->intid < VGIC_PRIVATE_IRQS || v->target_vcpu == vcpu->id;
}

static void lr_put(struct vcpu *vcpu, uint32_t idx, struct virq *v)
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
    vgic_lr_write(idx, &lr);
    vcpu->arch.vgic.lr_intid[idx] = v->intid;
    v->lr = (uint8_t)idx;
}

static void lr_release(struct vcpu *vcpu, uint32_t idx, struct virq *v)
{
    vgic_lr_clear(idx);
    vcpu->arch.vgic.lr_intid[idx] = LR_FREE;
    if (v)
        v->lr = VGIC_NO_LR;
}

/* Fold what the guest did with the LRs back into the virqs. */
static void lrs_sync(struct vcpu *vcpu, struct kicks *k)
{
    struct vgic_cpu *c = &vcpu->arch.vgic;
    for (uint32_t i = 0; i < c->lr_count; i++) {
        if (c->lr_intid[i] == LR_FREE)
            continue;
        struct virq *v = virq_of(vcpu, c->lr_intid[i]);
        if (!v || v->lr != i) {
            lr_release(vcpu, i, NULL);
            continue;
        }
        struct vgic_lr lr;
        vgic_lr_read(i, &lr);
        v->pending = lr.pending;
        v->active = lr.active;
        if (!lr.pending && !lr.active) {
            /* The guest deactivated it (and with HW=1 the physical one). A
             * level interrupt is pending again only when its physical line
             * fires again, which arrives as a new vgic_inject_hw. */
            if (lr.hw)
                v->hw_intid = 0;
            lr_release(vcpu, i, v);
        } else if (lr.pending && !lr.active && !deliverable(vcpu, v)) {
            /* Disabled or retargeted while waiting: back to software, so it
             * is signalled only once it may be (and to the right vCPU). */
            lr_release(vcpu, i, v);
            struct vcpu *t = dest_of(vcpu, v);
            if (t != vcpu && !on_this_cpu(t))
                k->flush_cpus |= 1u << t->cpu;
        } else if (lr.priority != v->priority || lr.group1 != v->group1) {
            /* Reprogrammed from another pCPU while in this LR. */
            lr_put(vcpu, i, v);
        }
    }
}

static void consider(struct vcpu *vcpu, struct virq *v, struct virq **best)
{
    if (v->pending && v->lr == VGIC_NO_LR && deliverable(vcpu, v) &&
        (!*best || v->priority < (*best)->priority))
        *best = v;
}

/* The highest-priority (lowest value) deliverable pending interrupt not in
 * an LR; on a tie the lowest INTID. */
static struct virq *best_waiting(struct vcpu *vcpu)
{
    struct virq *best = NULL;
    for (uint32_t i = 0; i < VGIC_PRIVATE_IRQS; i++)
        consider(vcpu, &vcpu->arch.vgic.priv[i], &best);
    struct vgic_dist *d = &vcpu->vm->arch.vgic;
    for (uint32_t i = 0; i < d->spi_count; i++)
        if (d->spi[i].owned)
            consider(vcpu, &d->spi[i], &best);
    return best;
}

static uint32_t lr_find_free(const struct vgic_cpu *c)
{
    for (uint32_t i = 0; i < c->lr_count; i++)
        if (c->lr_intid[i] == LR_FREE)
            return i;
    return LR_NONE;
}

/* The LR whose pending-only entry has the lowest priority, if that is
 * strictly lower than `prio`. Active entries stay: the guest is handling them. */
static uint32_t lr_find_victim(struct vcpu *vcpu, uint8_t prio)
{
    struct vgic_cpu *c = &vcpu->arch.vgic;
    uint32_t victim = LR_NONE;
    uint8_t worst = prio;
    for (uint32_t i = 0; i < c->lr_count; i++) {
        struct virq *v = virq_of(vcpu, c->lr_intid[i]);
        if (v && v->pending && !v->active && v->priority > worst) {
            worst = v->priority;
            victim = i;
        }
    }
    return victim;
}

/* Fill the LRs, best first. True if deliverable interrupts still wait. */
static bool lrs_fill(struct vcpu *vcpu)
{
    struct vgic_cpu *c = &vcpu->arch.vgic;
    for (;;) {
        struct virq *v = best_waiting(vcpu);
        if (!v)
            return false;
        uint32_t idx = lr_find_free(c);
        if (idx == LR_NONE) {
            idx = lr_find_victim(vcpu, v->priority);
            if (idx == LR_NONE)
                return true;
            /* Each eviction strictly improves the set held in the LRs, so
             * this loop ends. */
            lr_release(vcpu, idx, virq_of(vcpu, c->lr_intid[idx]));
        }
        lr_put(vcpu, idx, v);
    }
}

void vgic_flush(struct vcpu *vcpu)
{
    struct vgic_dist *d = &vcpu->vm->arch.vgic;
    struct kicks k = {0};
    spin_lock(&d->lock);
    lrs_sync(vcpu, &k);
    bool waiting = lrs_fill(vcpu);
    spin_unlock(&d->lock);
    /* With a single LR "at most one valid" is always true: no underflow then. */
    vgic_set_underflow(waiting && vcpu->arch.vgic.lr_count > 1);
    kicks_send(&k);
}

void vgic_maintenance(struct vcpu *vcpu)
{
    vgic_flush(vcpu);
}

/* Make `v` pending; `hw` is the physical INTID now active for it, or 0. */
static void pend_locked(struct vcpu *bank, struct virq *v, irqid_t hw, struct kicks *k)
{
    struct vcpu *holder = holder_of(bank, v);
    if (holder && !on_this_cpu(holder)) {
        /* Only the holder's pCPU may touch that LR: let it pend it there.
         * A physical instance cannot travel with the message, so give the
         * physical interrupt back (a level line simply fires again). */
        if (hw)
            gic_deactivate(hw);
        k->forward = true;
        k->forward_cpu = holder->cpu;
        k->forward_intid = v->intid;
        return;
    }
    if (holder) {
        struct vgic_lr lr;
        vgic_lr_read(v->lr, &lr);
        if (!lr.pending && !lr.active) {
            /* Completed since the last flush (and with HW=1 the physical
             * one deactivated): this is a fresh instance. */
            lr.hw = hw != 0;
            lr.hw_intid = hw;
            v->hw_intid = hw;
        } else if (hw && !lr.hw && !lr.active) {
            /* Pended by software so far: link the physical instance. */
            lr.hw = true;
            lr.hw_intid = hw;
            v->hw_intid = hw;
        } else if (lr.hw) {
            /* Its physical interrupt is still pending or active in the
             * guest: it cannot have fired again, and an HW entry cannot be
             * pending and active at once, so there is nothing to add. */
            return;
        } else if (hw) {
            /* Active without a link: the LR can take only the pending bit,
             * so give the physical interrupt back. */
            gic_deactivate(hw);
        }
        lr.pending = true;
        vgic_lr_write(v->lr, &lr);
        v->pending = true;
        return;
    }
    v->pending = true;
    if (hw)
        v->hw_intid = hw;
    struct vcpu *t = dest_of(bank, v);
    if (!on_this_cpu(t))
        k->flush_cpus |= 1u << t->cpu;
}

static void inject(struct vcpu *vcpu, irqid_t intid, irqid_t hw)
{
    struct vgic_dist *d = &vcpu->vm->arch.vgic;
    struct kicks k = {0};
    spin_lock(&d->lock);
    struct virq *v = virq_of(vcpu, intid);
    if (v) {
        pend_locked(vcpu, v, hw, &k);
        vcpu->arch.vgic.irq_count_injected++;
    }
    spin_unlock(&d->lock);
    if (!v && hw)
        gic_deactivate(hw); /* nobody to forward it to: do not leave it active */
    kicks_send(&k);
}

void vgic_inject(struct vcpu *vcpu, irqid_t intid)
{
    inject(vcpu, intid, 0);
}

void vgic_inject_hw(struct vcpu *vcpu, irqid_t intid)
{
    inject(vcpu, intid, intid);
}

void vgic_inject_remote(struct vcpu *vcpu, irqid_t intid)
{
    if (on_this_cpu(vcpu))
        vgic_inject(vcpu, intid);
    else
        cpu_msg_send(vcpu->cpu, CPU_MSG_VGIC_INJECT, intid);
}

static void virq_reset(struct virq *v, irqid_t intid)
{
    v->intid = intid;
    v->hw_intid = 0;
    v->priority = 0;
    v->lr = VGIC_NO_LR;
    v->target_vcpu = 0;
    v->owned = intid < VGIC_PRIVATE_IRQS;
    /* SGIs come enabled (as KVM does; GICR_ISENABLER0's reset value is
     * IMPLEMENTATION DEFINED), everything else disabled. */
    v->enabled = intid < 16;
    v->pending = false;
    v->active = false;
    /* SGIs are edge-triggered; PPIs (timers) and SPIs level by default. */
    v->level = intid >= 16;
    /* IGROUPR reset is IMPLEMENTATION DEFINED: the front end picks the
     * group a guest that never programs groups expects its IRQs in. */
    v->group1 = vgic_reset_group1;
}

void vgic_vm_init(struct vm *vm)
{
    struct vgic_dist *d = &vm->arch.vgic;
    /* The lock is zero (SPINLOCK_INIT) in the static vm array; on a reset
     * nobody else holds it, every vCPU of the VM is off. */
    spin_lock(&d->lock);
    /* A reset VM's passthrough interrupts may still be active at the GIC,
     * linked to state that is about to go: give them back, or they never
     * fire again. (Those in an LR are handled by vgic_vcpu_reset.) */
    for (uint32_t i = 0; i < d->spi_count; i++)
        if (d->spi[i].owned && d->spi[i].hw_intid && d->spi[i].lr == VGIC_NO_LR)
            gic_deactivate(d->spi[i].hw_intid);

    d->enabled_grp0 = false;
    d->enabled_grp1 = false;
    d->spi_count = 0;
    for (uint32_t i = 0; i < VGIC_MAX_SPIS; i++)
        virq_reset(&d->spi[i], VGIC_PRIVATE_IRQS + i);

    const struct vm_config *c = vm->config;
    for (size_t dev = 0; dev < c->devs_count; dev++) {
        for (size_t j = 0; j < c->devs[dev].irqs_count; j++) {
            irqid_t intid = c->devs[dev].irqs[j];
            /* config_check keeps passthrough INTIDs within the SPIs a vGIC holds. */
            if (intid < VGIC_PRIVATE_IRQS || intid >= VGIC_PRIVATE_IRQS + VGIC_MAX_SPIS)
                continue;
            d->spi[intid - VGIC_PRIVATE_IRQS].owned = true;
            if (intid - VGIC_PRIVATE_IRQS + 1 > d->spi_count)
                d->spi_count = intid - VGIC_PRIVATE_IRQS + 1;
            /* Disabled until the guest enables it; routed to vCPU 0's pCPU
             * to match the reset GICD_IROUTER (target vCPU 0). */
            gic_irq_enable(intid, false);
            if (vm->vcpu_count)
                gic_spi_route(intid, vm->vcpus[0].cpu);
        }
    }
    /* IPC doorbells: virtual SPIs with no physical interrupt behind them. */
    for (size_t i = 0; i < c->ipcs_count; i++) {
        irqid_t intid = c->ipcs[i].doorbell_irq;
        if (intid < VGIC_PRIVATE_IRQS || intid >= VGIC_PRIVATE_IRQS + VGIC_MAX_SPIS)
            continue;
        d->spi[intid - VGIC_PRIVATE_IRQS].owned = true;
        if (intid - VGIC_PRIVATE_IRQS + 1 > d->spi_count)
            d->spi_count = intid - VGIC_PRIVATE_IRQS + 1;
    }
    spin_unlock(&d->lock);
}

void vgic_vcpu_reset(struct vcpu *vcpu)
{
    struct vgic_dist *d = &vcpu->vm->arch.vgic;
    struct vgic_cpu *c = &vcpu->arch.vgic;
    spin_lock(&d->lock);
    /* Interrupts that leave with the LRs: physical ones linked to them are
     * still active and would never fire again. lr_count is 0 before the
     * first reset, so LRs with UNKNOWN contents are never read. */
    for (uint32_t i = 0; i < c->lr_count; i++) {
        if (c->lr_intid[i] == LR_FREE)
            continue;
        struct vgic_lr lr;
        vgic_lr_read(i, &lr);
        if (lr.hw && lr.hw_intid)
            gic_deactivate(lr.hw_intid);
        struct virq *v = virq_of(vcpu, c->lr_intid[i]);
        if (v && v->lr == i) {
            v->lr = VGIC_NO_LR;
            v->hw_intid = 0;
            v->pending = false;
            v->active = false;
        }
    }
    for (uint32_t i = 0; i < VGIC_PRIVATE_IRQS; i++) {
        if (c->priv[i].hw_intid && c->priv[i].lr == VGIC_NO_LR)
            gic_deactivate(c->priv[i].hw_intid);
        virq_reset(&c->priv[i], i);
    }
    c->lr_count = vgic_lr_count();
    if (c->lr_count > VGIC_MAX_LRS)
        c->lr_count = VGIC_MAX_LRS;
    for (uint32_t i = 0; i < VGIC_MAX_LRS; i++)
        c->lr_intid[i] = LR_FREE;
    spin_unlock(&d->lock);
    vgic_lr_reset_cpu();
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
    }
    spin_unlock(&d->lock);
    return v != NULL;
}

void vgic_irq_set_enabled(struct vcpu *bank, irqid_t intid, bool on)
{
    struct vgic_dist *d = &bank->vm->arch.vgic;
    struct kicks k = {0};
    spin_lock(&d->lock);
    struct virq *v = virq_of(bank, intid);
    if (v && v->enabled != on) {
        v->enabled = on;
        if (intid >= VGIC_PRIVATE_IRQS && spi_is_passthrough(bank->vm, intid))
            gic_irq_enable(intid, on);
        /* A waiting interrupt may now be signalled where it is delivered.
         * (Disabling takes effect at the holder's next flush.) */
        struct vcpu *t = dest_of(bank, v);
        if (on && v->pending && v->lr == VGIC_NO_LR && !on_this_cpu(t))
            k.flush_cpus |= 1u << t->cpu;
    }
    spin_unlock(&d->lock);
    kicks_send(&k);
}

/* Edit an LR of this pCPU in place. */
static void lr_edit_local(struct vcpu *holder, struct virq *v, bool pending, bool active)
{
    uint32_t idx = v->lr;
    struct vgic_lr lr;
    vgic_lr_read(idx, &lr);
    if (!lr.pending && !lr.active) {
        /* Completed since the last flush: the physical one is gone too. */
        lr.hw = false;
        lr.hw_intid = 0;
        v->hw_intid = 0;
    }
    if (lr.hw && lr.hw_intid && !active && (lr.active || (lr.pending && !pending))) {
        /* The guest can no longer deactivate it: Baohu does. */
        gic_deactivate(lr.hw_intid);
        lr.hw = false;
        lr.hw_intid = 0;
        v->hw_intid = 0;
    }
    lr.pending = pending;
    lr.active = active;
    v->pending = pending;
    v->active = active;
    if (!pending && !active)
        lr_release(holder, idx, v);
    else
        vgic_lr_write(idx, &lr);
}

/* GICD_ICPENDR / ISACTIVER / ICACTIVER (ISPENDR goes through pend_locked). */
static void set_state(struct vcpu *bank, irqid_t intid, int pending, int active)
{
    struct vgic_dist *d = &bank->vm->arch.vgic;
    spin_lock(&d->lock);
    struct virq *v = virq_of(bank, intid);
    if (v) {
        struct vcpu *holder = holder_of(bank, v);
        bool p = pending < 0 ? v->pending : pending;
        bool a = active < 0 ? v->active : active;
        if (holder && on_this_cpu(holder)) {
            struct vgic_lr lr;
            vgic_lr_read(v->lr, &lr);
            lr_edit_local(holder, v, pending < 0 ? lr.pending : p, active < 0 ? lr.active : a);
        } else if (!holder) {
            if (v->hw_intid && !p && !a) {
                gic_deactivate(v->hw_intid); /* nothing left to link it to */
                v->hw_intid = 0;
            }
            v->pending = p;
            v->active = a;
        }
        /* In another pCPU's LR: that LR's state wins (the guest there owns
         * it now); such cross-vCPU state writes are not forwarded. */
    }
    spin_unlock(&d->lock);
}

void vgic_irq_set_pending(struct vcpu *bank, irqid_t intid, bool on)
{
    if (!on) {
        set_state(bank, intid, 0, -1);
        return;
    }
    struct vgic_dist *d = &bank->vm->arch.vgic;
    struct kicks k = {0};
    spin_lock(&d->lock);
    struct virq *v = virq_of(bank, intid);
    if (v)
        pend_locked(bank, v, 0, &k);
    spin_unlock(&d->lock);
    kicks_send(&k);
}

void vgic_irq_set_active(struct vcpu *bank, irqid_t intid, bool on)
{
    set_state(bank, intid, -1, on);
}

void vgic_irq_set_priority(struct vcpu *bank, irqid_t intid, uint8_t prio)
{
    struct vgic_dist *d = &bank->vm->arch.vgic;
    spin_lock(&d->lock);
    struct virq *v = virq_of(bank, intid);
    if (v) {
        v->priority = prio;
        struct vcpu *holder = holder_of(bank, v);
        if (holder && on_this_cpu(holder)) {
            struct vgic_lr lr;
            vgic_lr_read(v->lr, &lr);
            lr.priority = prio;
            vgic_lr_write(v->lr, &lr);
        }
        /* A remote holder picks the new priority up at its next flush. */
    }
    spin_unlock(&d->lock);
}

void vgic_irq_set_level(struct vcpu *bank, irqid_t intid, bool level)
{
    struct vgic_dist *d = &bank->vm->arch.vgic;
    spin_lock(&d->lock);
    struct virq *v = virq_of(bank, intid);
    if (v && intid >= 16) /* SGIs are always edge-triggered */
        v->level = level;
    spin_unlock(&d->lock);
}

void vgic_irq_set_group(struct vcpu *bank, irqid_t intid, bool group1)
{
    struct vgic_dist *d = &bank->vm->arch.vgic;
    spin_lock(&d->lock);
    struct virq *v = virq_of(bank, intid);
    if (v) {
        v->group1 = group1;
        struct vcpu *holder = holder_of(bank, v);
        if (holder && on_this_cpu(holder)) {
            struct vgic_lr lr;
            vgic_lr_read(v->lr, &lr);
            lr.group1 = group1;
            vgic_lr_write(v->lr, &lr);
        }
    }
    spin_unlock(&d->lock);
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
        if (spi_is_passthrough(vm, intid))
            gic_spi_route(intid, vm->vcpus[vcpu_index].cpu);
        struct vcpu *t = &vm->vcpus[vcpu_index];
        if (v->pending && v->lr == VGIC_NO_LR && !on_this_cpu(t))
            k.flush_cpus |= 1u << t->cpu;
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
    d->enabled_grp0 = grp0;
    d->enabled_grp1 = grp1;
    /* Interrupts may have waited for the distributor on every vCPU. */
    if (more)
        for (uint32_t i = 0; i < vm->vcpu_count; i++)
            if (!on_this_cpu(&vm->vcpus[i]))
                k.flush_cpus |= 1u << vm->vcpus[i].cpu;
    spin_unlock(&d->lock);
    kicks_send(&k);
}
