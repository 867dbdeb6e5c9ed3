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

/* PLIC spec §7: the context's line is up while some enabled, pending,
 * unclaimed source has a priority above its threshold. */
static uint32_t spec_best(uint32_t k)
{
    const struct virq_dist *d = &vm.arch.virq;
    uint32_t best = 0, prio = d->threshold[k];
    for (uint32_t s = 1; s < VIRQ_SOURCES; s++)
        if (bit(d->pending, s) && !bit(d->active, s) && bit(d->ctx_enable[k], s) &&
            d->prio[s] > prio) {
            best = s;
            prio = d->prio[s];
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
    for (cpuid_t c = 0; c < 4; c++)
        if (!vm_cpu(c))
            FUZZ_ASSERT(!fake_line[c], "hvip.VSEIP raised on another VM's hart %u", c);
    const struct virq_dist *d = &vm.arch.virq;
    for (uint32_t w = 0; w < VIRQ_WORDS; w++) {
        FUZZ_ASSERT(!(d->pending[w] & ~d->owned[w]) && !(d->active[w] & ~d->owned[w]),
                    "a source the VM does not own is pending or claimed (word %u)", w);
        for (uint32_t k = 0; k < VCPUS; k++)
            FUZZ_ASSERT(!(d->ctx_enable[k][w] & ~d->owned[w]), "context %u enables a foreign source", k);
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
    if (!ok || write)
        return;
    uint64_t r = acc.value;
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
    if (!virq_hw_take(&vm, s)) {
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
            fake_cpu = fuzz_u8(&in) % 4; /* from any hart */
            virq_raise(&vm, (fuzz_u8(&in) & 1) ? 52 : fuzz_u8(&in) % VIRQ_SOURCES + 1);
            break;
        case 7: case 8:
            if (!online[k])
                break;
            virq_flush(v);
            /* After the flush its hart presents what its context wants. */
            FUZZ_ASSERT(fake_line[v->cpu] == (spec_best(k) != 0), "vCPU %u line %d, spec %d", k,
                        fake_line[v->cpu], spec_best(k) != 0);
            break;
        case 9:
            if (online[k])
                virq_vcpu_offline(v);
            else
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
