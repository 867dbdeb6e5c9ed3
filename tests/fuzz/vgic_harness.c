/* The vGIC fuzzers' shared harness: builds the VM, decodes operations, checks the invariants after each. */
#include <string.h>

#include "fake_vgic_lr.h"
#include "gic.h"
#include "vgic_harness.h"
#include "vgic_ops.h"

static const uint32_t dev_irqs[] = {40, 41};
static const uint32_t dev2_irqs[] = {33};
static const struct vm_dev_region devs[] = {
    {.pa = 0x09000000, .ipa = 0x09000000, .size = 0x1000, CONFIG_LIST(irqs, dev2_irqs)},
    {.pa = 0x0a000000, .ipa = 0x0a000000, .size = 0x1000, CONFIG_LIST(irqs, dev_irqs)},
};
static const struct vm_ipc ipcs[] = {{.shmem_id = 0, .ipa = 0x50000000, .doorbell_irq = 52}};
static const struct vm_config cfg = {
    .name = "fuzz", .cpus = 0xd, CONFIG_LIST(devs, devs), CONFIG_LIST(ipcs, ipcs),
};

struct vm h_vm;

bool h_spi_passthrough(irqid_t intid)
{
    return intid == 33 || intid == 40 || intid == 41;
}

bool h_spi_owned(irqid_t intid)
{
    return h_spi_passthrough(intid) || intid == 52;
}

static bool vm_cpu(cpuid_t c)
{
    return c < PLATFORM_MAX_CPUS && ((cfg.cpus >> c) & 1);
}

/*
 * The physical GIC as the code under test leaves it: which interrupts are
 * active (taken by Baohu, not yet deactivated by it or by a guest's HW=1
 * EOI). Private ones per pCPU.
 */
static bool phys_active_spi[VGIC_IRQS];
static bool phys_active_ppi[PLATFORM_MAX_CPUS][VGIC_PRIVATE_IRQS];
static bool stopped;
/* pCPUs a CPU_MSG_VIRQ was posted to and that have not taken it yet. */
static uint32_t posted;
/* vCPUs whose guest changed their LRs (an acknowledge, an EOI) with no
 * flush since: until their next trap what the LRs show is the guest's. */
static bool lr_stale[H_VCPUS];

static bool *phys_active(cpuid_t cpu, irqid_t intid)
{
    return intid < VGIC_PRIVATE_IRQS ? &phys_active_ppi[cpu][intid] : &phys_active_spi[intid];
}

uint64_t h_mmio(struct vcpu *v, uint64_t addr, unsigned size, bool write, uint64_t value)
{
    struct mmio_access acc = {.addr = ipa_init(addr), .size = size, .write = write, .value = value};
    FUZZ_ASSERT(vgic_mmio_access(v, &acc), "access %#llx size %u refused",
                (unsigned long long)addr, size);
    return acc.value;
}

static void on(const struct vcpu *v)
{
    fake_current_cpu = v->cpu;
}

/* Each vCPU enters the guest from its reset through a flush. */
static void enter_all(void)
{
    for (uint32_t k = 0; k < H_VCPUS; k++) {
        on(&h_vm.vcpus[k]);
        vgic_flush(&h_vm.vcpus[k]);
        lr_stale[k] = false;
    }
    fake_msg_count = 0;
    posted = 0;
}

static void vm_build(void)
{
    memset(&h_vm, 0, sizeof h_vm);
    h_vm.config = &cfg;
    h_vm.name = cfg.name;
    h_vm.vcpu_count = H_VCPUS;
    h_vm.state = VM_RUNNING;
    for (uint32_t k = 0, c = 0; k < H_VCPUS; c++) {
        if (!vm_cpu(c))
            continue;
        h_vm.vcpus[k].vm = &h_vm;
        h_vm.vcpus[k].id = k;
        h_vm.vcpus[k].cpu = c;
        h_vm.vcpus[k].state = VCPU_ON;
        k++;
    }
    fake_vgic_reset();
    memset(phys_active_spi, 0, sizeof phys_active_spi);
    memset(phys_active_ppi, 0, sizeof phys_active_ppi);
    stopped = false;
    posted = 0;
    vgic_vm_init(&h_vm);
    for (uint32_t k = 0; k < H_VCPUS; k++) {
        on(&h_vm.vcpus[k]);
        vgic_vcpu_reset(&h_vm.vcpus[k]);
    }
    enter_all();
}

/* A reset of the whole VM (PSCI SYSTEM_RESET): every vCPU leaves the
 * guest and resets on its own pCPU, then the distributor is rebuilt. */
static void vm_reset_all(void)
{
    h_vm.state = VM_RESETTING;
    for (uint32_t k = 0; k < H_VCPUS; k++) {
        on(&h_vm.vcpus[k]);
        vgic_vcpu_reset(&h_vm.vcpus[k]);
    }
    fake_current_cpu = h_vm.vcpus[0].cpu;
    vgic_vm_init(&h_vm);
    h_vm.state = VM_RUNNING;
    stopped = false;
    enter_all();
    fe_after_reset();
}

/*
 * After every operation. What the fakes recorded is consumed (and the
 * logs emptied) here, so each check sees one operation's calls.
 */
static void check(void)
{
    /* Physical GIC calls: only ever for this VM's passthrough SPIs and
     * the private interrupts Baohu forwards, and a deactivation only of an
     * interrupt that is active (a second one would deactivate the next
     * instance, maybe another VM's interrupt's after a reroute). */
    unsigned n = fake_deactivated_count < FAKE_LOG_LEN ? fake_deactivated_count : FAKE_LOG_LEN;
    for (unsigned i = 0; i < n; i++) {
        irqid_t intid = fake_deactivated[i];
        cpuid_t c = fake_deactivated_on[i];
        FUZZ_ASSERT(intid < VGIC_PRIVATE_IRQS ? vm_cpu(c) : h_spi_passthrough(intid),
                    "deactivated INTID %u on pCPU %u: not this VM's", intid, c);
        bool *a = phys_active(c, intid);
        FUZZ_ASSERT(*a, "INTID %u deactivated on pCPU %u while not active", intid, c);
        *a = false;
    }
    fake_deactivated_count = 0;
    if (fake_enable_calls)
        FUZZ_ASSERT(h_spi_passthrough(fake_enabled_irq), "enabled/disabled INTID %u at the GIC",
                    fake_enabled_irq);
    if (fake_route_calls)
        FUZZ_ASSERT(h_spi_passthrough(fake_routed_irq) && vm_cpu(fake_routed_cpu),
                    "routed INTID %u to pCPU %u", fake_routed_irq, fake_routed_cpu);
    if (fake_edge_calls)
        FUZZ_ASSERT(h_spi_passthrough(fake_edge_irq), "configured INTID %u", fake_edge_irq);
    fake_enable_calls = fake_route_calls = fake_edge_calls = 0;

    /* Requests go to this VM's pCPUs only. */
    n = fake_msg_count < FAKE_LOG_LEN ? fake_msg_count : FAKE_LOG_LEN;
    for (unsigned i = 0; i < n; i++) {
        FUZZ_ASSERT(vm_cpu(fake_msgs[i].target), "request %d to pCPU %u of another VM",
                    fake_msgs[i].kind, fake_msgs[i].target);
        posted |= 1u << fake_msgs[i].target;
    }
    if (fake_msg_count > FAKE_LOG_LEN)
        posted |= (uint32_t)cfg.cpus; /* some were not logged: all may have been told */
    fake_msg_count = 0;

    /* List registers: none on another VM's pCPU; each holds an interrupt
     * this VM owns, a HW one linked to itself (a passthrough SPI or a
     * forwarded PPI), and no interrupt (SGI: from one source) twice on a
     * pCPU (GICv3 §4.9.2 / GICv2 §5.3.2: UNPREDICTABLE). */
    for (cpuid_t c = 0; c < PLATFORM_MAX_CPUS && c < 4; c++) {
        for (unsigned i = 0; i < FAKE_LR_MAX; i++) {
            const struct vgic_lr *lr = &fake_lr_file[c][i];
            if (!lr->pending && !lr->active)
                continue;
            FUZZ_ASSERT(vm_cpu(c), "LR %u of pCPU %u (another VM's) holds INTID %u", i, c,
                        lr->intid);
            FUZZ_ASSERT(lr->intid < VGIC_PRIVATE_IRQS || h_spi_owned(lr->intid),
                        "pCPU %u LR %u holds INTID %u the VM does not own", c, i, lr->intid);
            if (lr->hw)
                FUZZ_ASSERT(lr->hw_intid == lr->intid &&
                                (h_spi_passthrough(lr->intid) || lr->intid == GIC_PPI_VTIMER ||
                                 lr->intid == GIC_PPI_PMU),
                            "pCPU %u LR %u: INTID %u linked to physical %u", c, i, lr->intid,
                            lr->hw_intid);
            for (unsigned j = 0; j < i; j++) {
                const struct vgic_lr *o = &fake_lr_file[c][j];
                FUZZ_ASSERT(!(o->pending || o->active) || o->intid != lr->intid ||
                                (lr->intid < VGIC_SGIS && o->source != lr->source),
                            "pCPU %u: INTID %u in LRs %u and %u", c, lr->intid, j, i);
            }
        }
    }

    /* Interrupts it does not own do not exist for the VM: 16 of them per
     * check, all of them over 17 checks (and at the end of each input). */
    static irqid_t next = VGIC_PRIVATE_IRQS;
    struct vgic_irq_view w;
    for (unsigned i = 0; i < 16; i++, next = next + 1 < VGIC_IRQS + 8 ? next + 1 : VGIC_PRIVATE_IRQS)
        if (!h_spi_owned(next))
            FUZZ_ASSERT(!vgic_irq_view(&h_vm.vcpus[0], next, &w), "INTID %u visible", next);
}

static struct vcpu *vcpu_on(cpuid_t c)
{
    for (uint32_t k = 0; k < H_VCPUS; k++)
        if (h_vm.vcpus[k].cpu == c)
            return &h_vm.vcpus[k];
    return NULL;
}

/* The way back into the guest on `v`'s pCPU (trap_exit): its flush. */
static void exit_to_guest(struct vcpu *v)
{
    on(v);
    if (getenv("FUZZ_TRACE"))
        fprintf(stderr, "  flush vCPU %u (dirty %d)\n", v->id, v->arch.vgic.dirty);
    vgic_flush(v);
    lr_stale[v->id] = false;
    check();
}

/* Every posted request is taken: the IPI makes its pCPU exit and flush
 * (which may post more). Bounded: a vGIC that kept posting would be a
 * storm of IPIs. */
static void deliver_posted(void)
{
    for (int round = 0; posted; round++) {
        FUZZ_ASSERT(round < 16, "CPU_MSG_VIRQ requests keep coming (pCPUs %#x)", posted);
        uint32_t now = posted;
        posted = 0;
        for (cpuid_t c = 0; c < PLATFORM_MAX_CPUS; c++)
            if ((now >> c) & 1 && vcpu_on(c))
                exit_to_guest(vcpu_on(c));
    }
}

/* GICH_HCR / ICH_HCR_EL2 maintenance conditions armed on v's pCPU that
 * hold now: the hardware raises the maintenance interrupt. */
static bool maintenance_due(void)
{
    uint32_t flags = fake_maintenance[fake_current_cpu];
    unsigned valid = 0, pending = 0;
    for (unsigned i = 0; i < fake_lr_count; i++) {
        valid += fake_lrs[i].pending || fake_lrs[i].active;
        pending += fake_lrs[i].pending;
    }
    return ((flags & VGIC_MAINT_UNDERFLOW) && valid <= 1) ||
           ((flags & VGIC_MAINT_NO_PENDING) && pending == 0);
}

/*
 * With every request taken, no interrupt a vCPU may take waits outside
 * its list registers while one of them is free: pending, enabled, its
 * group enabled, routed to it, not active (an active one waits for its
 * deactivation anyway), in no LR of its pCPU.
 */
static void check_delivery(void)
{
    const struct vgic_dist *d = &h_vm.arch.vgic;
    for (uint32_t k = 0; k < H_VCPUS; k++) {
        struct vcpu *v = &h_vm.vcpus[k];
        unsigned valid = 0;
        for (unsigned i = 0; i < fake_lr_count; i++)
            valid += fake_lr_file[v->cpu][i].pending || fake_lr_file[v->cpu][i].active;
        if (valid == fake_lr_count || lr_stale[k])
            continue;
        fake_current_cpu = v->cpu;
        static const irqid_t spis[] = {33, 40, 41, 52};
        for (unsigned n = 0; n < VGIC_PRIVATE_IRQS + 4; n++) {
            irqid_t intid = n < VGIC_PRIVATE_IRQS ? n : spis[n - VGIC_PRIVATE_IRQS];
            struct vgic_irq_view w;
            if (!vgic_irq_view(v, intid, &w))
                continue;
            if (!w.pending || !w.enabled || w.active || !(w.group1 ? d->enabled_grp1 : d->enabled_grp0) ||
                (intid >= VGIC_PRIVATE_IRQS && w.target_vcpu != k))
                continue;
            bool in_lr = false;
            for (unsigned i = 0; i < fake_lr_count; i++) {
                const struct vgic_lr *lr = &fake_lr_file[v->cpu][i];
                in_lr |= (lr->pending || lr->active) && lr->intid == intid;
            }
            FUZZ_ASSERT(in_lr, "vCPU %u: INTID %u pending and deliverable, not in an LR, %u of %u LRs used",
                        k, intid, valid, fake_lr_count);
        }
    }
}

/* The guest acknowledges an LR of its pCPU, or deactivates it (with HW=1
 * that deactivates the physical interrupt too). */
static void guest_lr(struct fuzz_in *in, struct vcpu *v)
{
    uint8_t b = fuzz_u8(in);
    struct vgic_lr *lr = &fake_lrs[b % FAKE_LR_MAX];
    if (getenv("FUZZ_TRACE"))
        for (unsigned i = 0; i < FAKE_LR_MAX; i++)
            fprintf(stderr, "  LR%u: INTID %u src %u %s%s%s\n", i, fake_lrs[i].intid,
                    fake_lrs[i].source, fake_lrs[i].pending ? "P" : "", fake_lrs[i].active ? "A" : "",
                    fake_lrs[i].eoi ? " eoi" : "");
    if (b & 0x80) {
        if (lr->pending) {
            lr->pending = false;
            lr->active = true;
        }
        return;
    }
    if (!lr->active)
        return; /* a deactivation with no active LR changes nothing (§4.9.2) */
    if (lr->hw)
        *phys_active(v->cpu, lr->hw_intid) = false;
    lr->active = false;
}

/* A physical interrupt arrives on v's pCPU and is taken by Baohu. */
static void phys_irq(struct fuzz_in *in, struct vcpu *v)
{
    static const irqid_t spis[] = {33, 40, 41};
    uint8_t b = fuzz_u8(in);
    if (b & 0x80) {
        irqid_t ppi = (b & 0x40) ? GIC_PPI_PMU : GIC_PPI_VTIMER;
        bool *a = phys_active(v->cpu, ppi);
        if (*a)
            return; /* an active PPI is not signalled again until deactivated */
        *a = true;
        if (ppi == GIC_PPI_VTIMER)
            vgic_inject_timer(v, ppi);
        else
            vgic_inject_hw(v, ppi);
        return;
    }
    irqid_t spi = spis[b % 3];
    bool *a = phys_active(v->cpu, spi);
    if (*a)
        return;
    *a = true;
    vgic_inject_hw(v, spi);
}

void h_run(const uint8_t *data, size_t size)
{
    struct fuzz_in in = {data, size};
    /* FUZZ_TRACE=1 with an input file: the operations, one per line. */
    static int trace = -1;
    if (trace < 0)
        trace = getenv("FUZZ_TRACE") != NULL;
    vm_build();
    check();
    while (fuzz_more(&in)) {
        uint8_t op = fuzz_u8(&in);
        struct vcpu *v = &h_vm.vcpus[(op >> 4) % H_VCPUS];
        on(v);
        if (trace)
            fprintf(stderr, "op %u on vCPU %u (pCPU %u)\n", op & 0xf, v->id, v->cpu);
        if (stopped && (op & 0xf) != 11)
            continue; /* a stopped VM runs nothing until it is reset */
        switch (op & 0xf) {
        case 0: case 1: case 2: case 3: case 4:
            fe_mmio(&in, v);
            break;
        case 5: fe_sgi(&in, v); break;
        case 6:
            vgic_flush(v);
            lr_stale[v->id] = false;
            break;
        case 7:
            guest_lr(&in, v);
            lr_stale[v->id] = true;
            /* No trap, unless a maintenance condition now holds; it must
             * stop holding once handled, or it fires again at once. */
            for (int i = 0; maintenance_due(); i++) {
                FUZZ_ASSERT(i < 4, "maintenance interrupt storm on pCPU %u", v->cpu);
                if (trace)
                    fprintf(stderr, "  maintenance on pCPU %u\n", v->cpu);
                vgic_maintenance(v);
                check();
                lr_stale[v->id] = false;
            }
            break;
        case 8: phys_irq(&in, v); break;
        case 9:
            /* A doorbell from any CPU, another VM's included. */
            fake_current_cpu = fuzz_u8(&in) % 4;
            vgic_raise(&h_vm, 52);
            break;
        case 10: vgic_maintenance(v); break;
        case 11: vm_reset_all(); break;
        case 12:
            /* CPU_OFF then CPU_ON of one vCPU while the VM runs on (its
             * entry flushes, below). */
            vgic_vcpu_reset(v);
            break;
        case 13:
            /* The VM stops (a fault, SYSTEM_OFF): its vCPUs leave the
             * guest, then the distributor silences its devices. */
            h_vm.state = VM_STOPPED;
            for (uint32_t k = 0; k < H_VCPUS; k++) {
                on(&h_vm.vcpus[k]);
                vgic_vcpu_reset(&h_vm.vcpus[k]);
            }
            vgic_vm_stop(&h_vm);
            stopped = true;
            break;
        default:
            /* A few flushes in a row on every vCPU: the requests posted
             * reach their pCPUs. */
            for (uint32_t k = 0; k < H_VCPUS; k++) {
                on(&h_vm.vcpus[k]);
                vgic_flush(&h_vm.vcpus[k]);
                lr_stale[k] = false;
            }
            break;
        }
        check();
        if (stopped)
            continue;
        /* A trap (every operation but the guest's own LR work and a flush
         * already made) returns to the guest through a flush; on the CPU a
         * doorbell came from, the vCPU there. */
        uint8_t kind = op & 0xf;
        if (kind != 7 && kind != 6) {
            struct vcpu *here = vcpu_on(fake_current_cpu);
            if (here)
                exit_to_guest(here);
        }
        deliver_posted();
        /* Without a trap on its pCPU an LR the guest freed stays free until
         * the maintenance condition armed for it holds (GIC underflow: at
         * most one LR valid), as on hardware: check_delivery skips it. */
        check_delivery();
    }
    /* Whatever the guest did, a reset gives every physical interrupt back. */
    vm_reset_all();
    check();
    struct vgic_irq_view w;
    for (irqid_t intid = VGIC_PRIVATE_IRQS; intid < VGIC_IRQS + 8; intid++)
        if (!h_spi_owned(intid))
            FUZZ_ASSERT(!vgic_irq_view(&h_vm.vcpus[0], intid, &w), "INTID %u visible", intid);
    for (irqid_t i = VGIC_PRIVATE_IRQS; i < VGIC_IRQS; i++)
        FUZZ_ASSERT(!phys_active_spi[i], "SPI %u still active at the GIC after a VM reset", i);
    for (cpuid_t c = 0; c < 4; c++)
        for (irqid_t i = 0; i < VGIC_PRIVATE_IRQS; i++)
            FUZZ_ASSERT(!phys_active_ppi[c][i], "PPI %u of pCPU %u still active after a reset",
                        i, c);
}
