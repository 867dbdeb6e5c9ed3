/* Arm SMMUv3 (IHI 0070): every stream aborts unless a VM owns it; owned streams see exactly that VM's memory. */
#include "arch.h"
#include "console.h"
#include "fault_log.h"
#include "gic.h"
#include "iommu.h"
#include "platform.h"
#include "pt_vmsa.h"
#include "smmuv3.h"
#include "spinlock.h"
#include "vm.h"

/*
 * Baohu owns the SMMU: its registers are in no VM's stage 2 (the validator
 * refuses a device over them). One linear stream table covers stream IDs
 * 0..platform.iommu.stream_count-1; a stream beyond it is terminated with
 * C_BAD_STREAMID (§5.2: "StreamID >= 2^LOG2SIZE"). Every entry starts as
 * abort (never bypass) and only a stream named in a VM's config is turned
 * into a translating one.
 *
 * Translation (docs/design.md, "DMA isolation"): with IDR0.S2P the stream
 * walks the VM's own stage-2 tables (VMID = the VM's). With only S1P (QEMU
 * 7.2) Baohu builds a stage-1 context per VM whose tables map the VM's RAM
 * and its writable shared memory at their IPAs, read/write, nothing else
 * (no passthrough MMIO, no read-only shared memory, no Baohu): the device
 * uses IPAs either way.
 */

#define SMMU_STREAMS_LOG2 8u /* 256 stream table entries: PCIe bus 0 */
#define SMMU_STREAMS (1u << SMMU_STREAMS_LOG2)
#define CMDQ_LOG2 5u
#define EVTQ_LOG2 7u /* 128 events: one blocked 512-byte write can raise one per word */
#define SMMU_POLL_NS 100000000ull /* an ack the SMMU owes us, not a guest */
#define SMMU_NO_VM 0xffu
#define SMMU_MAX_VMS PLATFORM_MAX_CPUS

#include "hyp_mem.h" /* vm_create holds hyp_pool_lock around iommu_vm_attach */

/*
 * The stream table must be aligned to its size (§6.3.23), queues to theirs.
 * All of them are pages of Baohu's table pool, which every CPU maps at VA
 * == PA (so a pointer is the address the SMMU is given) and which has only
 * pages of Baohu's colours when it is coloured (hyp_colour.h); the image
 * may run from pages that are not contiguous.
 */
#define STRTAB_BYTES (SMMU_STREAMS * STE_DWORDS * 8u)
#define CMDQ_BYTES ((1u << CMDQ_LOG2) * 2u * 8u)
#define EVTQ_BYTES ((1u << EVTQ_LOG2) * EVT_DWORDS * 8u)
#define CDS_BYTES (SMMU_MAX_VMS * CD_DWORDS * 8u)
_Static_assert(CMDQ_BYTES <= PAGE_SIZE && EVTQ_BYTES <= PAGE_SIZE && CDS_BYTES <= PAGE_SIZE,
               "one page each");
static uint64_t *strtab;
static uint64_t *cmdq;
static uint64_t *evtq;
static uint64_t (*cds)[CD_DWORDS];
static struct pt dma_pt[SMMU_MAX_VMS];
static uint8_t stream_owner[SMMU_STREAMS];

static struct {
    bool up;
    bool s2;       /* IDR0.S2P: streams walk the VM's stage 2 */
    bool coherent; /* IDR0.COHACC: the SMMU snoops our caches */
    uint32_t cmd_prod;
    spinlock_t lock; /* command queue */
} smmu;

static volatile uint32_t *reg32(uint32_t off)
{
    return (volatile uint32_t *)(uintptr_t)(platform.iommu.base + off);
}

static volatile uint64_t *reg64(uint32_t off)
{
    return (volatile uint64_t *)(uintptr_t)(platform.iommu.base + off);
}

static uint32_t rd(uint32_t off)
{
    return *reg32(off);
}

static void wr(uint32_t off, uint32_t v)
{
    __asm__ volatile("dsb sy" ::: "memory"); /* tables and queue entries first */
    *reg32(off) = v;
}

static void wr64(uint32_t off, uint64_t v)
{
    __asm__ volatile("dsb sy" ::: "memory");
    *reg64(off) = v;
}

/* Without COHACC the SMMU reads memory, not our caches: clean what it will
 * read (the tables are Baohu's RAM, mapped write-back). */
static void publish(const void *p, uint64_t size)
{
    if (!smmu.coherent)
        arch_cache_clean(p, size);
    __asm__ volatile("dsb sy" ::: "memory");
}

static bool poll_eq(uint32_t off, uint32_t mask, uint32_t want)
{
    uint64_t t0 = arch_time_ns();
    while ((rd(off) & mask) != want) {
        if (arch_time_ns() - t0 > SMMU_POLL_NS)
            return false;
        arch_cpu_relax();
    }
    return true;
}

/* CR0 changes take effect when CR0ACK shows them (§6.3.9). */
static bool cr0_set(uint32_t v)
{
    wr(SMMU_CR0, v);
    return poll_eq(SMMU_CR0ACK, ~0u, v);
}

/* Queue one command; the caller holds the lock. */
static bool cmd_push(const uint64_t cmd[2])
{
    uint64_t t0 = arch_time_ns();
    while (smmu_queue_full(smmu.cmd_prod, rd(SMMU_CMDQ_CONS), CMDQ_LOG2)) {
        if (arch_time_ns() - t0 > SMMU_POLL_NS)
            return false;
        arch_cpu_relax();
    }
    uint64_t *slot = &cmdq[(smmu.cmd_prod & ((1u << CMDQ_LOG2) - 1)) * 2];
    slot[0] = cmd[0];
    slot[1] = cmd[1];
    publish(slot, 16);
    smmu.cmd_prod = smmu_queue_next(smmu.cmd_prod, CMDQ_LOG2);
    wr(SMMU_CMDQ_PROD, smmu.cmd_prod);
    return true;
}

/* CMD_SYNC, then wait until the SMMU has consumed it: every command before
 * it has taken effect (§4.7.3). */
static bool cmd_sync(void)
{
    uint64_t cmd[2];
    smmu_cmd_sync(cmd);
    if (!cmd_push(cmd))
        return false;
    uint64_t t0 = arch_time_ns();
    for (;;) {
        uint32_t cons = rd(SMMU_CMDQ_CONS);
        if (SMMU_CMDQ_CONS_ERR(cons)) {
            console_log("SMMU: command error 0x%x at CMDQ_CONS 0x%x", SMMU_CMDQ_CONS_ERR(cons), cons);
            return false;
        }
        if (smmu_queue_empty(smmu.cmd_prod, cons, CMDQ_LOG2))
            return true;
        if (arch_time_ns() - t0 > SMMU_POLL_NS)
            return false;
        arch_cpu_relax();
    }
}

static bool cmds_run(const uint64_t (*cmds)[2], unsigned count)
{
    spin_lock(&smmu.lock);
    bool ok = true;
    for (unsigned i = 0; ok && i < count; i++)
        ok = cmd_push(cmds[i]);
    ok = ok && cmd_sync();
    spin_unlock(&smmu.lock);
    return ok;
}

static void smmu_fail(const char *why)
{
    console_log("SMMU at 0x%lx: %s: left disabled with every access aborting (GBPA.ABORT)",
                (unsigned long)platform.iommu.base, why);
}

/* `pages` zeroed pages of the table pool, aligned to their size; NULL if none. */
static void *smmu_pages(size_t pages)
{
    paddr_t pa;

    spin_lock(&hyp_pool_lock);
    bool ok = page_alloc(&hyp_table_pool, pages, pages, &pa);
    spin_unlock(&hyp_pool_lock);
    if (!ok)
        return NULL;
    uint64_t *p = (uint64_t *)(uintptr_t)pa_addr(pa);
    for (size_t i = 0; i < pages * PAGE_SIZE / sizeof *p; i++)
        p[i] = 0;
    return p;
}

void iommu_init(void)
{
    if (!platform.iommu.base)
        return;
    for (unsigned i = 0; i < SMMU_STREAMS; i++)
        stream_owner[i] = SMMU_NO_VM;
    uint32_t idr0 = rd(SMMU_IDR0), idr1 = rd(SMMU_IDR1), idr5 = rd(SMMU_IDR5);
    smmu.s2 = idr0 & SMMU_IDR0_S2P;
    smmu.coherent = idr0 & SMMU_IDR0_COHACC;

    /* Firmware may have left it on (§6.3.9): first make whatever is not
     * translated abort (GBPA applies while SMMUEN = 0, §6.3.14), then turn
     * everything off before the tables change under it. */
    wr(SMMU_GBPA, SMMU_GBPA_UPDATE | SMMU_GBPA_ABORT);
    if (!poll_eq(SMMU_GBPA, SMMU_GBPA_UPDATE, 0) || !cr0_set(0)) {
        smmu_fail("no acknowledgement of GBPA / CR0");
        return;
    }
    if (!(idr0 & (SMMU_IDR0_S1P | SMMU_IDR0_S2P)) || !(idr0 & SMMU_IDR0_TTF_AA64) ||
        !(idr5 & SMMU_IDR5_GRAN4K) || SMMU_IDR1_SIDSIZE(idr1) < SMMU_STREAMS_LOG2 ||
        SMMU_IDR1_CMDQS(idr1) < CMDQ_LOG2 || SMMU_IDR1_EVENTQS(idr1) < EVTQ_LOG2 ||
        platform.iommu.stream_count > SMMU_STREAMS) {
        smmu_fail("unsupported (needs S1P or S2P, AArch64 tables, 4 KiB granule)");
        return;
    }
    strtab = smmu_pages(STRTAB_BYTES / PAGE_SIZE);
    cmdq = smmu_pages(1);
    evtq = smmu_pages(1);
    cds = smmu_pages(1);
    if (!strtab || !cmdq || !evtq || !cds) {
        smmu_fail("no table pool pages for its stream table and queues");
        return;
    }
    for (unsigned i = 0; i < SMMU_STREAMS; i++)
        smmu_ste_abort(&strtab[i * STE_DWORDS]);
    publish(strtab, STRTAB_BYTES);

    wr(SMMU_CR1, smmu_cr1(smmu.coherent));
    wr(SMMU_CR2, SMMU_CR2_RECINVSID | SMMU_CR2_PTM);
    wr64(SMMU_STRTAB_BASE, SMMU_BASE_RA | ((uintptr_t)strtab & 0x000fffffffffffc0ull));
    wr(SMMU_STRTAB_BASE_CFG, SMMU_STRTAB_CFG_LINEAR(SMMU_STREAMS_LOG2));
    wr64(SMMU_CMDQ_BASE, SMMU_QUEUE_BASE((uintptr_t)cmdq, CMDQ_LOG2));
    wr(SMMU_CMDQ_PROD, 0);
    wr(SMMU_CMDQ_CONS, 0);
    smmu.cmd_prod = 0;
    wr64(SMMU_EVENTQ_BASE, SMMU_QUEUE_BASE((uintptr_t)evtq, EVTQ_LOG2));
    wr(SMMU_EVENTQ_PROD, 0);
    wr(SMMU_EVENTQ_CONS, 0);
    if (!cr0_set(SMMU_CR0_CMDQEN)) {
        smmu_fail("command queue not enabled");
        return;
    }
    /* Nothing cached from before us survives: configuration and TLBs. */
    uint64_t inval[3][2];
    smmu_cmd_cfgi_all(inval[0]);
    smmu_cmd_plain(inval[1], CMD_TLBI_NSNH_ALL);
    smmu_cmd_plain(inval[2], CMD_TLBI_EL2_ALL);
    if (!cmds_run(inval, 3) || !cr0_set(SMMU_CR0_CMDQEN | SMMU_CR0_EVENTQEN)) {
        smmu_fail("invalidation or event queue failed");
        return;
    }
    /* Wired interrupts (the MSI address registers 0), edge-triggered. */
    *reg64(SMMU_GERROR_IRQ_CFG0) = 0;
    *reg64(SMMU_EVENTQ_IRQ_CFG0) = 0;
    wr(SMMU_IRQ_CTRL, SMMU_IRQ_CTRL_GERROR | SMMU_IRQ_CTRL_EVENTQ);
    poll_eq(SMMU_IRQ_CTRLACK, ~0u, SMMU_IRQ_CTRL_GERROR | SMMU_IRQ_CTRL_EVENTQ);
    irqid_t irqs[2] = {platform.iommu.evtq_irq, platform.iommu.gerror_irq};
    for (unsigned i = 0; i < 2; i++) {
        gic_irq_set_edge(irqs[i], true);
        gic_irq_set_priority(irqs[i], 0x80);
        gic_spi_route(irqs[i], 0);
        gic_irq_enable(irqs[i], true);
    }
    if (!cr0_set(SMMU_CR0_CMDQEN | SMMU_CR0_EVENTQEN | SMMU_CR0_SMMUEN)) {
        smmu_fail("SMMUEN not acknowledged");
        return;
    }
    smmu.up = true;
    console_log("SMMUv3 at 0x%lx: %s%s, %s, %u streams, every stream aborting until a VM owns it",
                (unsigned long)platform.iommu.base, idr0 & SMMU_IDR0_S1P ? "S1P " : "",
                smmu.s2 ? "S2P" : "no S2P", smmu.coherent ? "coherent" : "non-coherent",
                platform.iommu.stream_count);
}

struct dma_map_ctx {
    struct pt *pt;
    bool ok;
};

/* Stage-2 leaves the device may reach: RAM and writable shared memory
 * (Normal memory, S2AP write); never device mappings or read-only shared
 * memory. */
static bool dma_map_leaf(const struct pt_leaf *l, void *arg)
{
    struct dma_map_ctx *c = arg;
    uint64_t memattr = (l->attrs >> 2) & 0xf;
    if (memattr != PTE_S2_MEMATTR_NORMAL_WB || !(l->attrs & PTE_S2_S2AP_W))
        return true;
    c->ok = pt_map(c->pt, l->in, l->out, l->size, SMMU_S1_LEAF_RW);
    return c->ok;
}

/* Clean every table page of a tree (VMSAv8-64, 4 KiB granule: a table
 * descriptor is 0b11 at levels 0-2, Arm ARM D8.3). */
static void tables_clean(const uint64_t *table, unsigned level)
{
    arch_cache_clean(table, 4096);
    if (level == 3)
        return;
    for (unsigned i = 0; i < 512; i++)
        if ((table[i] & 3) == 3)
            tables_clean((const uint64_t *)(uintptr_t)(table[i] & PTE_ADDR_MASK), level + 1);
}

/* The VM's stage-1 DMA context (S1P only): built once, from its stage 2. */
static bool dma_context_build(struct vm *vm)
{
    struct pt *pt = &dma_pt[vm->id];
    if (pt->pool)
        return true;
    if (!pt_init(pt, &hyp_table_pool, &pt_vmsa_s2, 3, 39))
        return false;
    struct dma_map_ctx ctx = {.pt = pt, .ok = true};
    pt_walk(&vm->arch.stage2, dma_map_leaf, &ctx);
    if (!ctx.ok)
        return false;
    /* Tables the SMMU walks: cleaned to memory when it does not snoop. */
    if (!smmu.coherent)
        tables_clean((const uint64_t *)(uintptr_t)pa_addr(pt->root), 1);
    /* 39-bit input (T0SZ 25), 40-bit output (IPS 0b010) as stage 2. */
    smmu_cd_s1(cds[vm->id], (uint16_t)(vm->id + 1), pa_addr(pt->root), 25, 2, SMMU_S1_MAIR);
    publish(cds[vm->id], sizeof cds[vm->id]);
    return true;
}

bool iommu_vm_attach(struct vm *vm)
{
    const struct vm_config *c = vm->config;
    bool any = false;
    for (size_t i = 0; i < c->devs_count; i++)
        any |= c->devs[i].streams_count != 0;
    if (!any)
        return true;
    if (!smmu.up || vm->id >= SMMU_MAX_VMS) {
        console_log("VM '%s': its DMA streams cannot be confined (SMMU not running)", vm->name);
        return false;
    }
    if (!smmu.s2 && !dma_context_build(vm)) {
        console_log("VM '%s': no memory for its DMA context", vm->name);
        return false;
    }
    unsigned n = 0;
    for (size_t i = 0; i < c->devs_count; i++) {
        const struct vm_dev_region *d = &c->devs[i];
        for (size_t j = 0; d->streams && j < d->streams_count; j++) {
            for (uint32_t sid = d->streams[j].base; sid - d->streams[j].base < d->streams[j].count;
                 sid++) {
                if (sid >= SMMU_STREAMS)
                    return false; /* the validator refuses this */
                uint64_t *ste = &strtab[sid * STE_DWORDS];
                uint64_t next[STE_DWORDS];
                if (smmu.s2)
                    smmu_ste_s2(next, (uint16_t)(vm->id + 1), pa_addr(vm->arch.stage2.root), 25, 1, 2);
                else
                    smmu_ste_s1(next, (uintptr_t)cds[vm->id]);
                /* The entry is live (Config = abort): the other dwords
                 * first, dword 0 (V, Config) last in one 64-bit store, then
                 * CFGI_STE + SYNC (§3.21.3, "Configuration structure
                 * update procedure"). */
                for (unsigned w = 1; w < STE_DWORDS; w++)
                    ste[w] = next[w];
                publish(ste, 64);
                *(volatile uint64_t *)&ste[0] = next[0];
                publish(ste, 64);
                __atomic_store_n(&stream_owner[sid], (uint8_t)vm->id, __ATOMIC_RELEASE);
                uint64_t cmd[1][2];
                smmu_cmd_cfgi_ste(cmd[0], sid);
                if (!cmds_run(cmd, 1))
                    return false;
                n++;
            }
        }
    }
    uint64_t tlbi[1][2];
    smmu_cmd_tlbi_asid(tlbi[0], (uint16_t)(vm->id + 1));
    if (smmu.s2)
        smmu_cmd_plain(tlbi[0], CMD_TLBI_NSNH_ALL);
    if (!cmds_run(tlbi, 1))
        return false;
    console_log("VM '%s': %u DMA stream(s) translated through its memory map (%s)", vm->name, n,
                smmu.s2 ? "its stage 2" : "Baohu's stage-1 context");
    return true;
}

static const char *event_name(uint8_t type)
{
    switch (type) {
    case EVT_F_TRANSLATION: return "translation fault";
    case EVT_F_ADDR_SIZE: return "address size fault";
    case EVT_F_ACCESS: return "access flag fault";
    case EVT_F_PERMISSION: return "permission fault";
    case EVT_C_BAD_STREAMID: return "stream outside the stream table";
    default: return "event";
    }
}

/* One event: a DMA fault of the VM owning the stream, reported through its
 * fault log (rate-limited) and answered by its fault policy. The transfer
 * itself was already aborted (CD.A): the device sees an error. */
static void event_handle(const uint64_t e[EVT_DWORDS])
{
    struct smmu_event ev = smmu_event_decode(e);
    uint8_t owner = ev.sid < SMMU_STREAMS ? __atomic_load_n(&stream_owner[ev.sid], __ATOMIC_ACQUIRE)
                                          : SMMU_NO_VM;
    if (owner == SMMU_NO_VM || owner >= vm_count()) {
        console_log("SMMU: %s (type 0x%x) on stream 0x%x that no VM owns, address 0x%lx: aborted",
                    event_name(ev.type), ev.type, ev.sid, (unsigned long)ev.addr);
        return;
    }
    struct vm *vm = vm_by_id(owner);
    enum vm_fault_policy policy = vm->config->fault_policy;
    struct fault_summary sum;
    bool full = fault_log_record(&vm->faults, arch_time_ns(), policy != VM_FAULT_INJECT, ev.type,
                                 ev.addr, 0, &sum);
    if (sum.count)
        console_log("VM '%s': %lu more fault(s) (%lu in all; last DMA address 0x%lx)", vm->name,
                    (unsigned long)sum.count, (unsigned long)sum.total, (unsigned long)sum.addr);
    if (full)
        console_log("DMA FAULT VM '%s' stream 0x%x: %s on %s at address 0x%lx; transfer blocked%s",
                    vm->name, ev.sid, event_name(ev.type), ev.write ? "write" : "read",
                    (unsigned long)ev.addr,
                    policy == VM_FAULT_STOP ? ", VM stopped" : policy == VM_FAULT_RESET ? ", VM reset" : "");
    /* Both are posted to the VM's own CPUs (the reload runs on its vCPU 0's,
     * as a watchdog expiry's does); a VM already stopped or being reset is
     * left as it is. A device the old run programmed is not reset: the new
     * run's driver must reset it, as after a reset of the real board's CPUs. */
    if (policy == VM_FAULT_STOP)
        (void)vm_request_stop(vm, "DMA fault");
    else if (policy == VM_FAULT_RESET)
        (void)vm_request_reload(vm, VM_RUNNING, "DMA fault");
}

/* Lost events are faults no VM's log counts: said once per overflow, so a
 * VM's DMA fault count reads as the lower bound it then is. */
static void events_lost(const char *how)
{
    console_log("SMMU: %s: DMA fault events were lost, the VMs' DMA fault counts are lower bounds", how);
}

static void events_drain(void)
{
    uint32_t cons = rd(SMMU_EVENTQ_CONS);
    for (unsigned budget = 0; budget < (1u << EVTQ_LOG2); budget++) {
        uint32_t prod = rd(SMMU_EVENTQ_PROD);
        /* Unacknowledged, an overflow is reported again by the next drain. */
        if (smmu_queue_overflowed(prod, cons)) {
            cons = smmu_queue_ack(prod, cons, EVTQ_LOG2);
            wr(SMMU_EVENTQ_CONS, cons);
            events_lost("event queue overflow");
        }
        if (smmu_queue_empty(prod, cons, EVTQ_LOG2))
            break;
        const uint64_t *e = &evtq[(cons & ((1u << EVTQ_LOG2) - 1)) * EVT_DWORDS];
        if (!smmu.coherent)
            arch_cache_clean_inval(e, 32); /* drop a stale line */
        __asm__ volatile("dsb sy" ::: "memory");
        uint64_t copy[EVT_DWORDS] = {e[0], e[1], e[2], e[3]};
        cons = smmu_queue_next(cons, EVTQ_LOG2) | (cons & SMMU_Q_OVFLG);
        wr(SMMU_EVENTQ_CONS, cons);
        event_handle(copy);
    }
}

bool iommu_irq(irqid_t intid)
{
    if (!platform.iommu.base || (intid != platform.iommu.evtq_irq && intid != platform.iommu.gerror_irq))
        return false;
    if (intid == platform.iommu.gerror_irq) {
        uint32_t active = rd(SMMU_GERROR) ^ rd(SMMU_GERRORN);
        /* GERROR bit 2, EVTQ_ABT_ERR: a write of an event to the queue
         * aborted, the event is lost (QEMU raises it for a full queue, where
         * the architecture toggles EVENTQ_PROD.OVFLG). */
        if (active)
            console_log("SMMU: global error 0x%x", active);
        if (active & 4u)
            events_lost("event queue write aborted");
        wr(SMMU_GERRORN, rd(SMMU_GERROR)); /* acknowledge: GERRORN toggles to match */
    }
    events_drain();
    return true;
}
