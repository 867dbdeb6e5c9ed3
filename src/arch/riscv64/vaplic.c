/* The emulated APLIC each VM sees (S domain, MSI mode; RISC-V AIA spec §4), with its vCPUs' guest interrupt files mapped in. */
#include "aplic.h"
#include "arch.h"
#include "cpu.h"
#include "platform.h"
#include "virq_sources.h"
#include "virqchip.h"
#include "vm.h"

#define VAPLIC_SIZE 0x8000ull

/*
 * The VM's own wired sources are programmed at the physical APLIC, each
 * target translated from the guest's hart index (its vCPU number) to that
 * vCPU's hart and guest interrupt file: the MSI then lands in the guest's
 * file without Baohu. Sources that are only virtual (IPC doorbells) are
 * delivered by Baohu writing the guest's EIID into the file, as the APLIC
 * would (§4.9.3). Everything else reads as zero and ignores writes.
 *
 * Only the target vCPU's own hart writes a doorbell MSI into its file: a
 * doorbell raised on another hart (an IPC notify from another VM) is queued
 * for the vCPU (virq_cpu.msi) and CPU_MSG_VIRQ is posted on its `dirty`
 * 0->1; the hart writes what is queued on its way back into the guest
 * (virq_flush), so one request covers any number of doorbells. An MSI is
 * written by any hart on real hardware, but QEMU before 9.2 updates a file's
 * state from the hart's own CSR accesses (the guest's eie / stopei writes)
 * without the lock its MMIO path holds: an MSI written by another hart at
 * that moment can end up pending and enabled with the hart's interrupt line
 * left low (QEMU commit "hw/intc: riscv-imsic: Fix interrupt state
 * updates"), and the guest does not hear of it until it touches its file
 * again. Written from the hart itself, while its guest is out, it cannot
 * race the guest.
 *
 * No interrupt is sent to a vCPU that is not in the guest (its file is
 * emptied when it is reset): a wired source is enabled at the physical
 * APLIC only while the guest has it active and enabled, its domain enabled
 * and its target vCPU online, so otherwise it stays pending at the APLIC
 * (§4.7); a doorbell stays pending here. Either goes out when its target
 * comes online or the guest retargets it. A vCPU going offline gives back
 * what its file received but did not take.
 *
 * A doorbell's wire is high while the receiver's events word is non-zero:
 * src/core/ipc.c raises it once, on that word's 0->1, and raises it again
 * only after the guest has taken its events. A raise that finds the source
 * inactive changes nothing (its pending bit is read-only zero, §4.5.2), so
 * the guest's making the source active samples the wire and sets the
 * pending bit if it is high (§4.5.2: an inactive source's rectified input
 * is zero, and a sourcecfg write may set the pending bit when it is high
 * under the new mode). Otherwise a notify that came before the guest had
 * set its doorbell up (the sender's VM booted first) would be lost, and
 * with it every later one: the events word would stay non-zero for good.
 */
static uint32_t lowest_bit64(uint64_t x)
{
    uint32_t n = 0;
    while (!(x & 1)) {
        x >>= 1;
        n++;
    }
    return n;
}

/* An MSI of identity `eiid` for vCPU k's guest file: written now on its own
 * hart, else queued for it (see the top of this file). An identity the file
 * does not have is dropped, as the file would drop it (§3.1). Caller holds
 * the lock. */
static void msi_to(struct vm *vm, uint32_t k, uint32_t eiid)
{
    struct vcpu *v = &vm->vcpus[k];

    if (eiid == 0 || eiid >= VIRQ_MSI_IDS)
        return;
    if (v->cpu == arch_cpu_id()) {
        imsic_guest_send(v->cpu, eiid);
        return;
    }
    v->arch.virq.msi[eiid / 64] |= 1ull << (eiid % 64);
    if (!__atomic_exchange_n(&v->arch.virq.dirty, 1, __ATOMIC_ACQ_REL))
        vm->arch.virq.aplic.kick |= 1u << v->cpu;
}

/* On v's own hart: what is queued for its file goes into it. Caller holds
 * the lock. */
static void msi_drain(struct vcpu *v)
{
    struct virq_cpu *c = &v->arch.virq;

    for (uint32_t w = 0; w < VIRQ_MSI_WORDS; w++) {
        uint64_t m = c->msi[w];
        c->msi[w] = 0;
        for (; m; m &= m - 1) {
            imsic_guest_send(v->cpu, 64 * w + lowest_bit64(m));
            v->irqs_injected++;
        }
    }
}

/* Drop the lock, then post the requests collected under it. */
static void unlock_and_post(struct virq_dist *d)
{
    uint32_t cpus = d->aplic.kick;

    d->aplic.kick = 0;
    spin_unlock(&d->lock);
    for (cpuid_t c = 0; c < PLATFORM_MAX_CPUS; c++)
        if (cpus & (1u << c))
            cpu_msg_send(c, CPU_MSG_VIRQ);
}

static uint32_t target_vcpu(const struct virq_dist *d, uint32_t src)
{
    return d->aplic.target[src] >> APLIC_TARGET_HART_SHIFT;
}

/* May source `src` be sent to its target now? (§4.5.1 domaincfg.IE,
 * §4.5.2 an inactive source is never pending or enabled.) */
static bool deliverable(const struct virq_dist *d, uint32_t src)
{
    return d->live && (d->aplic.domaincfg & APLIC_DOMAINCFG_IE) && d->aplic.cfg[src] != 0 &&
           bit(d->aplic.enabled, src) && (d->online >> target_vcpu(d, src) & 1);
}

/* A wired source: enabled at the physical APLIC exactly when deliverable. */
static void hw_update(struct vm *vm, uint32_t src)
{
    struct virq_dist *d = &vm->arch.virq;
    bool on = deliverable(d, src);

    if (on == bit(d->aplic.hw_on, src))
        return;
    bit_set(d->aplic.hw_on, src, on);
    aplic_enable(src, on);
}

/* A doorbell: an MSI if pending and deliverable, else it stays pending. */
static void virt_update(struct vm *vm, uint32_t src)
{
    struct virq_dist *d = &vm->arch.virq;

    if (d->aplic.cfg[src] == 0) {
        bit_set(d->pending, src, false);
        return;
    }
    if (!bit(d->pending, src) || !deliverable(d, src))
        return;
    bit_set(d->pending, src, false);
    msi_to(vm, target_vcpu(d, src), d->aplic.target[src] & APLIC_TARGET_EIID_MASK);
}

/* Is some events word that rings doorbell `src` non-zero? The acquire
 * pairs with ipc_notify's fetch_or, which comes before its raise takes
 * the lock: a raise that found the source inactive is seen here. */
static bool doorbell_wire(const struct vm *vm, uint32_t src)
{
    const struct vm_config *c = vm->config;

    for (size_t i = 0; i < c->ipcs_count && i < VM_IPC_MAX; i++)
        if (c->ipcs[i].doorbell_irq == src &&
            __atomic_load_n(&vm->ipc_events[i], __ATOMIC_ACQUIRE) != 0)
            return true;
    return false;
}

static void source_update(struct vm *vm, uint32_t src)
{
    if (bit(vm->arch.virq.hw, src))
        hw_update(vm, src);
    else
        virt_update(vm, src);
}

/* Every owned source that targets vCPU k (k = ~0u: every owned source). */
static void sources_update(struct vm *vm, uint32_t k)
{
    struct virq_dist *d = &vm->arch.virq;

    for (uint32_t w = 0; w < VIRQ_WORDS; w++)
        for (uint32_t m = d->owned[w]; m; m &= m - 1) {
            uint32_t s = 32 * w + lowest_bit(m);
            if (k == ~0u || target_vcpu(d, s) == k)
                source_update(vm, s);
        }
}

/* Every wired source of the VM inactive at the physical APLIC: not enabled,
 * nothing pending (§4.5.2). Caller holds the lock. */
static void hw_silence(struct virq_dist *d)
{
    for (uint32_t w = 0; w < VIRQ_WORDS; w++) {
        for (uint32_t m = d->hw[w]; m; m &= m - 1) {
            uint32_t s = 32 * w + lowest_bit(m);
            aplic_enable(s, false);
            aplic_source_mode(s, 0);
        }
        d->aplic.hw_on[w] = 0;
    }
}

void virq_vm_init(struct vm *vm)
{
    struct virq_dist *d = &vm->arch.virq;

    spin_lock(&d->lock);
    d->aplic.domaincfg = 0;
    d->online = 0;
    d->aplic.kick = 0;
    for (uint32_t k = 0; k < vm->vcpu_count; k++) {
        for (uint32_t w = 0; w < VIRQ_MSI_WORDS; w++)
            vm->vcpus[k].arch.virq.msi[w] = 0;
        __atomic_store_n(&vm->vcpus[k].arch.virq.dirty, 0, __ATOMIC_RELAXED);
    }
    for (uint32_t w = 0; w < VIRQ_WORDS; w++)
        d->owned[w] = d->hw[w] = d->pending[w] = d->aplic.enabled[w] = 0;
    for (uint32_t s = 0; s < VIRQ_SOURCES; s++)
        d->aplic.cfg[s] = d->aplic.target[s] = 0;
    /* Its devices' interrupts, IPC doorbells and virtual UART interrupt:
     * doorbells and the UART's are raised by Baohu (virq_raise). */
    virq_sources_build(vm);
    /* Its sources start inactive: on a reset nothing of the last run stays
     * pending at the APLIC. */
    hw_silence(d);
    /* Each wired source's physical target is what its virtual one now reads
     * (vCPU 0, EIID 0; §4.5.16): a source the guest enables without writing
     * its target goes to vCPU 0's file, not where the last run (or the
     * APLIC's reset) pointed it. */
    for (uint32_t w = 0; w < VIRQ_WORDS; w++)
        for (uint32_t m = d->hw[w]; m; m &= m - 1)
            aplic_target(32 * w + lowest_bit(m), vm->vcpus[0].cpu, 0);
    d->live = true;
    spin_unlock(&d->lock);
    /* vCPU k's interrupt file at the guest's S-level IMSIC page k: its own
     * MSIs and the IPIs its siblings write there need no trap. Mapping the
     * same page again on a reset changes nothing. */
    for (uint32_t k = 0; k < vm->vcpu_count; k++)
        arch_vm_map(vm, ipa_init(platform.irqchip.imsic + k * IMSIC_FILE_SIZE),
                    pa_init(imsic_guest_file_pa(vm->vcpus[k].cpu)), IMSIC_FILE_SIZE,
                    VM_MAP_DEVICE);
}

void virq_vm_stop(struct vm *vm)
{
    struct virq_dist *d = &vm->arch.virq;

    spin_lock(&d->lock);
    d->live = false;
    hw_silence(d);
    for (uint32_t w = 0; w < VIRQ_WORDS; w++)
        d->pending[w] = 0;
    for (uint32_t k = 0; k < vm->vcpu_count; k++)
        for (uint32_t w = 0; w < VIRQ_MSI_WORDS; w++)
            vm->vcpus[k].arch.virq.msi[w] = 0;
    d->aplic.kick = 0;
    spin_unlock(&d->lock);
}

/* Its file has just been emptied (irqchip_vcpu_reset): what waits for it
 * goes out now. */
void virq_vcpu_online(struct vcpu *v)
{
    struct virq_dist *d = &v->vm->arch.virq;

    spin_lock(&d->lock);
    d->online |= 1u << v->id;
    sources_update(v->vm, v->id);
    unlock_and_post(d);
}

/* Its sources are held back; an MSI of one of them that reached its file
 * (or was queued for it) and was not taken goes back to pending (at the
 * APLIC, §4.5.7 setipnum, or here), to be sent again once it can be. */
void virq_vcpu_offline(struct vcpu *v)
{
    struct virq_dist *d = &v->vm->arch.virq;

    spin_lock(&d->lock);
    msi_drain(v); /* on its own hart: then taken back below like the rest */
    d->online &= ~(1u << v->id);
    sources_update(v->vm, v->id);
    for (uint32_t w = 0; w < VIRQ_WORDS; w++)
        for (uint32_t m = d->owned[w]; m; m &= m - 1) {
            uint32_t s = 32 * w + lowest_bit(m);
            if (target_vcpu(d, s) != v->id || d->aplic.cfg[s] == 0 ||
                !imsic_guest_take(d->aplic.target[s] & APLIC_TARGET_EIID_MASK))
                continue;
            if (bit(d->hw, s))
                aplic_set_pending(s, true);
            else
                bit_set(d->pending, s, true);
        }
    unlock_and_post(d);
}

bool virq_hw_take(struct vm *vm, irqid_t irq)
{
    (void)vm;
    (void)irq; /* wired sources reach the guest file directly */
    return false;
}

/* From any CPU, under the lock (see vplic.c's virq_raise). An inactive
 * source takes nothing; its activation samples the wire instead. */
void virq_raise(struct vm *vm, irqid_t irq)
{
    struct virq_dist *d = &vm->arch.virq;

    if (irq == 0 || irq >= VIRQ_SOURCES)
        return;
    spin_lock(&d->lock);
    if (bit(d->owned, irq) && !bit(d->hw, irq) && d->aplic.cfg[irq] != 0) {
        bit_set(d->pending, irq, true);
        virt_update(vm, irq);
    }
    unlock_and_post(d);
}

bool virq_owns_ipa(const struct vm *vm, uint64_t gpa)
{
    (void)vm;
    return gpa >= platform.irqchip.aplic && gpa - platform.irqchip.aplic < VAPLIC_SIZE;
}

/* setienum / clrienum / setipnum / clripnum of one of the VM's sources. */
static void vaplic_num(struct vm *vm, uint32_t reg, uint32_t src)
{
    struct virq_dist *d = &vm->arch.virq;

    if (src == 0 || src >= VIRQ_SOURCES || !bit(d->owned, src) || d->aplic.cfg[src] == 0)
        return; /* an inactive source's bits are read-only zeros (§4.5.2) */
    if (reg == APLIC_SETIENUM || reg == APLIC_CLRIENUM) {
        bit_set(d->aplic.enabled, src, reg == APLIC_SETIENUM);
    } else if (bit(d->hw, src)) {
        aplic_set_pending(src, reg == APLIC_SETIPNUM);
        return;
    } else {
        bit_set(d->pending, src, reg == APLIC_SETIPNUM);
    }
    source_update(vm, src);
}

/* The guest's sourcecfg (§4.5.2): no child domains, so D is not kept, SM is. */
static void vaplic_sourcecfg(struct vm *vm, uint32_t src, uint32_t val)
{
    struct virq_dist *d = &vm->arch.virq;
    bool was_active = d->aplic.cfg[src] != 0;

    d->aplic.cfg[src] = val & APLIC_SOURCECFG_SM_MASK;
    if (d->aplic.cfg[src] == 0) {
        bit_set(d->aplic.enabled, src, false);
        bit_set(d->pending, src, false);
    } else if (!was_active && !bit(d->hw, src) && doorbell_wire(vm, src)) {
        /* Activated with its wire high: a doorbell rung while the source
         * was inactive (see the top of this file). */
        bit_set(d->pending, src, true);
    }
    if (bit(d->hw, src)) {
        /* Writing sourcecfg may clear the physical enable (§4.5.2): start
         * from "off" and let hw_update turn it on. */
        aplic_enable(src, false);
        bit_set(d->aplic.hw_on, src, false);
        aplic_source_mode(src, d->aplic.cfg[src]);
    }
    source_update(vm, src);
}

static void vaplic_target(struct vm *vm, uint32_t src, uint32_t val)
{
    struct virq_dist *d = &vm->arch.virq;
    uint32_t k = val >> APLIC_TARGET_HART_SHIFT;
    struct vcpu *t = vm_vcpu(vm, k) ? vm_vcpu(vm, k) : &vm->vcpus[0];

    d->aplic.target[src] = (t->id << APLIC_TARGET_HART_SHIFT) | (val & APLIC_TARGET_EIID_MASK);
    if (bit(d->hw, src)) {
        aplic_target(src, t->cpu, val & APLIC_TARGET_EIID_MASK);
        hw_update(vm, src);
    } else {
        virt_update(vm, src);
    }
}

static bool vaplic_access(struct vcpu *v, uint32_t off, struct mmio_access *acc)
{
    struct vm *vm = v->vm;
    struct virq_dist *d = &vm->arch.virq;
    uint32_t val = (uint32_t)acc->value;

    if (off == APLIC_DOMAINCFG) {
        if (acc->write && (val & APLIC_DOMAINCFG_IE) != d->aplic.domaincfg) {
            d->aplic.domaincfg = val & APLIC_DOMAINCFG_IE;
            sources_update(vm, ~0u);
        } else if (!acc->write) {
            acc->value = APLIC_DOMAINCFG_RO1 | APLIC_DOMAINCFG_DM | d->aplic.domaincfg;
        }
    } else if (off >= APLIC_SOURCECFG(1) && off < APLIC_MSIADDRCFG) {
        uint32_t src = (off - APLIC_SOURCECFG(1)) / 4 + 1;
        bool mine = src < VIRQ_SOURCES && bit(d->owned, src);
        if (acc->write && mine)
            vaplic_sourcecfg(vm, src, val);
        else if (!acc->write)
            acc->value = mine ? d->aplic.cfg[src] : 0;
    } else if (off == APLIC_SETIENUM || off == APLIC_CLRIENUM || off == APLIC_SETIPNUM ||
               off == APLIC_CLRIPNUM || off == APLIC_SETIPNUM_LE) {
        if (acc->write)
            vaplic_num(vm, off == APLIC_SETIPNUM_LE ? APLIC_SETIPNUM : off, val);
        else
            acc->value = 0;
    } else if (off >= APLIC_SETIP && off < APLIC_SETIP + 4 * VIRQ_WORDS) {
        uint32_t w = (off - APLIC_SETIP) / 4;
        if (acc->write) {
            for (uint32_t m = val; m; m &= m - 1)
                vaplic_num(vm, APLIC_SETIPNUM, 32 * w + lowest_bit(m));
        } else {
            acc->value = ((aplic_pending_word(w) & d->hw[w]) | (d->pending[w] & ~d->hw[w])) &
                         d->owned[w];
        }
    } else if ((off >= APLIC_SETIE && off < APLIC_SETIE + 4 * VIRQ_WORDS) ||
               (off >= APLIC_CLRIE && off < APLIC_CLRIE + 4 * VIRQ_WORDS)) {
        bool set = off < APLIC_CLRIE;
        uint32_t w = (off - (set ? APLIC_SETIE : APLIC_CLRIE)) / 4;
        if (acc->write) {
            for (uint32_t m = val; m; m &= m - 1)
                vaplic_num(vm, set ? APLIC_SETIENUM : APLIC_CLRIENUM, 32 * w + lowest_bit(m));
        } else {
            acc->value = set ? d->aplic.enabled[w] & d->owned[w] : 0;
        }
    } else if (off >= APLIC_TARGET(1) && off < APLIC_TARGET(1) + 4 * 1023) {
        uint32_t src = (off - APLIC_TARGET(1)) / 4 + 1;
        bool mine = src < VIRQ_SOURCES && bit(d->owned, src);
        if (acc->write && mine)
            vaplic_target(vm, src, val);
        else if (!acc->write)
            acc->value = mine ? d->aplic.target[src] : 0;
    } else if (off >= VAPLIC_SIZE) {
        return false;
    } else if (!acc->write) {
        acc->value = 0; /* in_clrip, genmsi, msiaddrcfg views: read as zero */
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
    unlock_and_post(d);
    return ok;
}

/* The guest file drives VSEIP itself through hstatus.VGEIN; what other
 * harts queued for it is written here, on the vCPU's hart. Nothing queued:
 * one load. A doorbell queued after the exchange sets `dirty` again and
 * posts again. */
void virq_flush(struct vcpu *v)
{
    struct virq_dist *d = &v->vm->arch.virq;
    struct virq_cpu *c = &v->arch.virq;

    if (!__atomic_load_n(&c->dirty, __ATOMIC_RELAXED) ||
        !__atomic_exchange_n(&c->dirty, 0, __ATOMIC_ACQUIRE))
        return;
    spin_lock(&d->lock);
    msi_drain(v);
    spin_unlock(&d->lock);
}
