/* Fuzzing the emulated PLIC (src/arch/riscv64/vplic.c) over the unit tests' fake physical PLIC: registers, claims, routing, reset and stop. */
#include <string.h>

#include "fake_riscv_irq.h"
#include "fuzz_input.h"
#include "virqchip.h"
#include "vm.h"

/*
 * One VM: vCPUs 0-2 on harts 0, 2, 3 (hart 1 is another VM's); its
 * devices raise sources 10, 11 and 40, its doorbell is source 52. Each
 * operation is a guest register access (any width and offset), a
 * physical interrupt claimed at the hart it is routed to, a doorbell, a
 * flush on a vCPU's hart, a vCPU going offline/online, a VM reset or
 * stop. After each: the VM sees only its own sources (PLIC spec §3-§9 as
 * vplic.c emulates it), a claim returns the best eligible source, the
 * line a hart presents is what the spec says for its context, physical
 * sources are routed only to the VM's harts and completed only when the
 * VM holds them claimed, exactly once, and reset/stop give every claim
 * back.
 */

#define PLIC 0x0c000000ull
#define VCPUS 3
#define PRIO_MASK 7u

static const uint32_t dev_irqs[] = {10, 11};
static const uint32_t dev2_irqs[] = {40};
static const struct vm_dev_region devs[] = {
    {.pa = 0x10000000, .ipa = 0x10000000, .size = 0x1000, CONFIG_LIST(irqs, dev_irqs)},
    {.pa = 0x10001000, .ipa = 0x10001000, .size = 0x1000, CONFIG_LIST(irqs, dev2_irqs)},
};
static const struct vm_ipc ipcs[] = {{.shmem_id = 0, .ipa = 0x90000000, .doorbell_irq = 52}};
static const struct vm_config cfg = {
    .name = "fuzz", .cpus = 0xd, CONFIG_LIST(devs, devs), CONFIG_LIST(ipcs, ipcs),
};

static struct vm vm;
static bool online[VCPUS];
static bool phys_claimed[FAKE_IRQS]; /* claimed by Baohu at the physical PLIC */
static bool stopped;

static bool is_hw(uint32_t s) { return s == 10 || s == 11 || s == 40; }
static bool is_mine(uint32_t s) { return is_hw(s) || s == 52; }
static bool vm_cpu(cpuid_t c) { return c < PLATFORM_MAX_CPUS && ((cfg.cpus >> c) & 1); }

static bool bit(const uint32_t *m, uint32_t i) { return (m[i / 32] >> (i % 32)) & 1; }

/*
 * The PLIC as its spec describes it, kept by this file from what the
 * guest and the devices did (not from vplic.c's state): priorities,
 * per-context enables and thresholds, and per source pending (§5: a
 * gateway request) and claimed (§8 claim, §9 completion by a context that
 * enables it).
 */
static struct {
    uint8_t prio[VIRQ_SOURCES];
    uint32_t enable[VCPUS][VIRQ_WORDS];
    uint32_t threshold[VCPUS];
    uint32_t pending[VIRQ_WORDS], claimed[VIRQ_WORDS];
} model;

static void mset(uint32_t *m, uint32_t i, bool v)
{
    m[i / 32] = v ? m[i / 32] | 1u << (i % 32) : m[i / 32] & ~(1u << (i % 32));
}

static uint32_t owned_word(uint32_t w)
{
    uint32_t m = 0;
    for (uint32_t i = 0; i < 32; i++)
        if (is_mine(32 * w + i))
            m |= 1u << i;
    return m;
}

/* §7: the highest-priority pending, unclaimed, enabled source above the
 * threshold, ties to the lowest id; 0 if none (and then the line is low). */
static uint32_t spec_best(uint32_t k)
{
    uint32_t best = 0, prio = model.threshold[k];
    for (uint32_t s = 1; s < VIRQ_SOURCES; s++)
        if (bit(model.pending, s) && !bit(model.claimed, s) && bit(model.enable[k], s) &&
            model.prio[s] > prio) {
            best = s;
            prio = model.prio[s];
        }
    return best;
}

static void on(const struct vcpu *v) { fake_cpu = v->cpu; }

static void build(void)
{
    memset(&vm, 0, sizeof vm);
    vm.config = &cfg;
    vm.name = cfg.name;
    vm.vcpu_count = VCPUS;
    vm.state = VM_RUNNING;
    for (uint32_t k = 0, c = 0; k < VCPUS; c++)
        if (vm_cpu(c)) {
            vm.vcpus[k] = (struct vcpu){.vm = &vm, .id = k, .cpu = c, .state = VCPU_ON};
            k++;
        }
    fake_irq_reset();
    memset(phys_claimed, 0, sizeof phys_claimed);
    memset(&model, 0, sizeof model);
    stopped = false;
    virq_vm_init(&vm);
    for (uint32_t k = 0; k < VCPUS; k++) {
        on(&vm.vcpus[k]);
        virq_vcpu_online(&vm.vcpus[k]);
        online[k] = true;
    }
}

static void check(void)
{
    for (unsigned i = 0; i < fake_complete_count && i < FAKE_LOG_LEN; i++) {
        irqid_t s = fake_completed[i];
        FUZZ_ASSERT(s < FAKE_IRQS && is_hw(s), "completed source %u at the PLIC: not the VM's", s);
        FUZZ_ASSERT(phys_claimed[s], "source %u completed at the PLIC while not claimed", s);
        phys_claimed[s] = false;
    }
    fake_complete_count = 0;
    for (uint32_t s = 0; s < FAKE_IRQS; s++)
        if (fake_plic_route[s] != FAKE_UNROUTED)
            FUZZ_ASSERT(is_hw(s) && vm_cpu(fake_plic_route[s]),
                        "source %u enabled at hart %u's context", s, fake_plic_route[s]);
    for (unsigned i = 0; i < fake_msg_count && i < FAKE_LOG_LEN; i++)
        FUZZ_ASSERT(vm_cpu(fake_msgs[i]), "request to hart %u of another VM", fake_msgs[i]);
    fake_msg_count = 0;
    /* Every hart has taken its requests by now (as cpu.c's handler does),
     * so the next change posts again instead of finding one pending. */
    for (cpuid_t c = 0; c < PLATFORM_MAX_CPUS; c++)
        (void)fake_msg_take(c);
    for (cpuid_t c = 0; c < 4; c++)
        if (!vm_cpu(c))
            FUZZ_ASSERT(!fake_line[c], "hvip.VSEIP raised on another VM's hart %u", c);
    const struct virq_dist *d = &vm.arch.virq;
    for (uint32_t w = 0; w < VIRQ_WORDS; w++) {
        FUZZ_ASSERT(!(d->pending[w] & ~d->owned[w]) && !(d->plic.active[w] & ~d->owned[w]),
                    "a source the VM does not own is pending or claimed (word %u)", w);
        for (uint32_t k = 0; k < VCPUS; k++)
            FUZZ_ASSERT(!(d->plic.ctx_enable[k][w] & ~d->owned[w]), "context %u enables a foreign source", k);
    }
}

static uint32_t reg_off(struct fuzz_in *in, uint8_t b)
{
    uint8_t x = fuzz_u8(in);
    switch (b & 7) {
    case 0: return 4u * (x % 140);                                 /* priorities */
    case 1: return 0x1000 + 4u * (x % 8);                          /* pending */
    case 2: return 0x2000 + 0x80u * (x % 8) + 4u * ((x >> 3) % 6); /* enables */
    case 3: return 0x200000 + 0x1000u * (x % 8) + 4u * ((x >> 3) % 3); /* threshold, claim */
    case 4: return 0x1f2000 + 4u * x;                              /* the hole */
    default: return fuzz_u32(in) % 0x4000000;
    }
}

static void op_mmio(struct fuzz_in *in, struct vcpu *v)
{
    uint8_t b = fuzz_u8(in);
    uint32_t off = reg_off(in, b);
    unsigned size = (b & 0x18) == 0x18 ? 1u << (fuzz_u8(in) & 3) : 4;
    if (b & 0x20)
        off ^= fuzz_u8(in) & 3; /* misaligned */
    bool write = b & 0x40;
    uint32_t val = (b & 0x80) ? (uint32_t)fuzz_edgy64(in) : fuzz_u8(in);
    struct mmio_access acc = {.addr = ipa_init(PLIC + off), .size = size, .write = write,
                              .value = val};
    uint32_t ctx = (off - 0x200000) / 0x1000, k = ctx / 2, reg = (off - 0x200000) % 0x1000;
    bool s_ctx = off >= 0x200000 && ctx % 2 == 1 && k < VCPUS;
    uint32_t expect_claim = s_ctx && reg == 4 && !write ? spec_best(k) : 0;
    bool valid = size == 4 && !(off & 3) &&
                 (off < 0x1f2000 || (off >= 0x200000 && (reg == 0 || reg == 4)));

    FUZZ_ASSERT(virq_owns_ipa(&vm, PLIC + off), "offset %#x outside the vPLIC", off);
    bool ok = virq_mmio_access(v, &acc);
    FUZZ_ASSERT(ok == valid, "off %#x size %u write %d: accepted %d", off, size, write, ok);
    if (!ok)
        return;
    uint32_t ew = (off - 0x2000) % 0x80 / 4, ectx = (off - 0x2000) / 0x80;
    bool s_enable = off >= 0x2000 && off < 0x1f2000 && ectx % 2 == 1 && ectx / 2 < VCPUS &&
                    ew < VIRQ_WORDS;
    if (write) {
        /* What the write does to the spec's PLIC (writes of what the VM
         * does not own, and of M-mode contexts, do nothing). */
        if (off < 0x1000 && is_mine(off / 4))
            model.prio[off / 4] = (uint8_t)(val & PRIO_MASK);
        else if (s_enable)
            model.enable[ectx / 2][ew] = val & owned_word(ew);
        else if (s_ctx && reg == 0)
            model.threshold[k] = val & PRIO_MASK;
        else if (s_ctx && reg == 4 && val < VIRQ_SOURCES && bit(model.claimed, val) &&
                 bit(model.enable[k], val)) {
            mset(model.claimed, val, false);
            /* A device's source is completed at the physical PLIC too, so
             * that it can fire again. */
            check();
            if (is_hw(val))
                FUZZ_ASSERT(!phys_claimed[val], "source %u completed by the guest, still claimed "
                            "at the PLIC", val);
        }
        return;
    }
    uint64_t r = acc.value;
    if (off >= 0x1000 && off < 0x2000) {
        uint32_t w = (off - 0x1000) / 4;
        FUZZ_ASSERT(r == (w < VIRQ_WORDS ? model.pending[w] : 0), "pending word %u: %#llx, spec %#x",
                    w, (unsigned long long)r, w < VIRQ_WORDS ? model.pending[w] : 0);
    } else if (s_enable) {
        FUZZ_ASSERT(r == model.enable[ectx / 2][ew], "context %u enables word %u: %#llx, spec %#x",
                    ectx, ew, (unsigned long long)r, model.enable[ectx / 2][ew]);
    } else if (off < 0x1000) {
        FUZZ_ASSERT(r == (is_mine(off / 4) ? model.prio[off / 4] : 0), "priority %u: %llu", off / 4,
                    (unsigned long long)r);
    } else if (s_ctx && reg == 0) {
        FUZZ_ASSERT(r == model.threshold[k], "threshold %u: %llu, spec %u", k,
                    (unsigned long long)r, model.threshold[k]);
    } else if (s_ctx && reg == 4 && expect_claim) {
        mset(model.pending, expect_claim, false);
        mset(model.claimed, expect_claim, true);
    }
    if (off < 0x1000) {
        uint32_t s = off / 4;
        FUZZ_ASSERT(is_mine(s) ? r <= PRIO_MASK : r == 0, "priority of source %u reads %#llx", s,
                    (unsigned long long)r);
    } else if (off < 0x1f2000) {
        uint32_t first = off < 0x2000 ? (off - 0x1000) / 4 * 32 : (off - 0x2000) % 0x80 / 4 * 32;
        for (uint32_t i = 0; i < 32; i++)
            if ((r >> i) & 1)
                FUZZ_ASSERT(is_mine(first + i), "off %#x shows source %u", off, first + i);
        if (off >= 0x2000 && (((off - 0x2000) / 0x80) % 2 == 0))
            FUZZ_ASSERT(r == 0, "M-mode context enables read %#llx", (unsigned long long)r);
    } else if (!s_ctx) {
        FUZZ_ASSERT(r == 0, "M-mode / absent context %u reads %#llx", ctx, (unsigned long long)r);
    } else if (reg == 4) {
        FUZZ_ASSERT(r == expect_claim, "claim on context %u: %llu, spec says %u", ctx,
                    (unsigned long long)r, expect_claim);
    } else {
        FUZZ_ASSERT(r <= PRIO_MASK, "threshold %#llx", (unsigned long long)r);
    }
}

/* A physical source fires: the hart it is routed to claims it at the PLIC
 * (unless it still is claimed: the gateway holds it, spec §5). */
static void op_phys(struct fuzz_in *in)
{
    static const uint32_t srcs[] = {10, 11, 40};
    uint32_t s = srcs[fuzz_u8(in) % 3];
    uint8_t c = fake_plic_route[s];
    if (c == FAKE_UNROUTED || phys_claimed[s])
        return;
    phys_claimed[s] = true;
    fake_cpu = c;
    if (virq_hw_take(&vm, s)) {
        mset(model.pending, s, true); /* the gateway's request (§5) */
    } else {
        /* Not the VM's to take now: plic.c silences and completes it. */
        irqchip_route(s, 0, false);
        irqchip_complete(s);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct fuzz_in in = {data, size};
    build();
    check();
    while (fuzz_more(&in)) {
        uint8_t op = fuzz_u8(&in);
        uint32_t k = (op >> 4) % VCPUS;
        struct vcpu *v = &vm.vcpus[k];
        on(v);
        if (stopped && (op & 0xf) != 10)
            continue;
        switch (op & 0xf) {
        case 0: case 1: case 2: case 3: case 4: op_mmio(&in, v); break;
        case 5: op_phys(&in); break;
        case 6:
        {
            fake_cpu = fuzz_u8(&in) % 4; /* from any hart */
            uint32_t src = (fuzz_u8(&in) & 1) ? 52 : fuzz_u8(&in) % VIRQ_SOURCES + 1;
            virq_raise(&vm, src);
            if (src == 52)
                mset(model.pending, src, true); /* only its doorbell is Baohu's to raise */
            break;
        }
        case 7: case 8:
            if (!online[k])
                break;
            virq_flush(v);
            /* After the flush its hart presents what its context wants. */
            FUZZ_ASSERT(fake_line[v->cpu] == (spec_best(k) != 0), "vCPU %u line %d, spec %d", k,
                        fake_line[v->cpu], spec_best(k) != 0);
            break;
        case 9:
            if (online[k]) {
                virq_vcpu_offline(v);
                fake_line[v->cpu] = false; /* hvip is cleared with it (vcpu.c) */
            } else
                virq_vcpu_online(v);
            online[k] = !online[k];
            break;
        case 10:
            /* VM reset: every vCPU leaves, the controller is rebuilt. */
            for (uint32_t j = 0; j < VCPUS; j++)
                if (online[j]) {
                    on(&vm.vcpus[j]);
                    virq_vcpu_offline(&vm.vcpus[j]);
                }
            virq_vm_init(&vm);
            memset(&model, 0, sizeof model);
            check();
            for (uint32_t s = 0; s < FAKE_IRQS; s++)
                FUZZ_ASSERT(!phys_claimed[s], "source %u still claimed after a reset", s);
            for (uint32_t j = 0; j < VCPUS; j++) {
                on(&vm.vcpus[j]);
                fake_line[vm.vcpus[j].cpu] = false; /* hvip cleared at the vCPU's reset */
                virq_vcpu_online(&vm.vcpus[j]);
                online[j] = true;
            }
            stopped = false;
            break;
        case 11:
            virq_vm_stop(&vm);
            memset(model.pending, 0, sizeof model.pending);
            memset(model.claimed, 0, sizeof model.claimed);
            check();
            for (uint32_t s = 0; s < FAKE_IRQS; s++)
                FUZZ_ASSERT(!phys_claimed[s], "source %u still claimed after a stop", s);
            stopped = true;
            break;
        default:
            /* Each online vCPU's hart takes the requests posted to it. */
            for (uint32_t j = 0; j < VCPUS; j++)
                if (online[j]) {
                    on(&vm.vcpus[j]);
                    virq_flush(&vm.vcpus[j]);
                }
            break;
        }
        check();
    }
    return 0;
}
