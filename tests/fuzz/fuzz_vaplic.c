/* Fuzzing the emulated APLIC (src/arch/riscv64/vaplic.c) over the unit tests' fake APLIC and IMSIC guest files. */
#include <string.h>

#include "aplic.h"
#include "fake_riscv_irq.h"
#include "fuzz_input.h"
#include "virqchip.h"
#include "vm.h"

/*
 * One VM: vCPUs 0-2 on harts 0, 2, 3 (hart 1 is another VM's); wired
 * sources 10, 11, 40 (its devices), doorbell source 52. Each operation is
 * a guest register access, an IPC notify (the doorbell's wire goes high
 * and the source is raised from any hart), the guest taking its events, a
 * flush on a vCPU's hart, a vCPU offline/online, a VM reset or stop. After
 * each, with the AIA spec (§4.5) as vaplic.c emulates it: the VM reads and
 * changes only its own sources; the physical APLIC is touched only for
 * its wired sources, targets only its harts and enables a source exactly
 * when the guest's state makes it deliverable; an MSI lands only in the
 * file of one of its vCPUs that is online, written by that vCPU's own
 * hart; a pending doorbell that can be delivered has been.
 */

#define APLIC 0x0d000000ull
#define VCPUS 3

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
static uint64_t file_at_offline[VCPUS]; /* an offline vCPU's file gains nothing */
static bool stopped;

static bool is_hw(uint32_t s) { return s == 10 || s == 11 || s == 40; }
static bool is_mine(uint32_t s) { return is_hw(s) || s == 52; }
static bool vm_cpu(cpuid_t c) { return c < PLATFORM_MAX_CPUS && ((cfg.cpus >> c) & 1); }
static bool bit(const uint32_t *m, uint32_t i) { return (m[i / 32] >> (i % 32)) & 1; }
static void on(const struct vcpu *v) { fake_cpu = v->cpu; }

/*
 * The guest's APLIC as the spec describes it, kept by this file from the
 * guest's writes (not from vaplic.c's state): domaincfg.IE (§4.5.1),
 * each own source's mode (§4.5.2), enable (§4.5.5-4.5.9; an inactive
 * source's is read-only zero) and target (§4.5.16: a hart index the VM
 * does not have reads back as vCPU 0 here).
 */
static struct {
    bool ie;
    uint32_t sm[VIRQ_SOURCES];
    bool enabled[VIRQ_SOURCES];
    uint32_t target[VIRQ_SOURCES];
} model;

/* §4.5.1 IE, §4.5.2 active, §4.5.5 enabled, and its target in the guest. */
static bool spec_deliverable(uint32_t s)
{
    uint32_t k = model.target[s] >> APLIC_TARGET_HART_SHIFT;
    return !stopped && model.ie && model.sm[s] != 0 && model.enabled[s] && k < VCPUS && online[k];
}

/* A guest write, as the spec's APLIC takes it. */
static void model_write(uint32_t off, uint32_t val)
{
    if (off == APLIC_DOMAINCFG) {
        model.ie = val & APLIC_DOMAINCFG_IE;
    } else if (off >= APLIC_SOURCECFG(1) && off < APLIC_MSIADDRCFG) {
        uint32_t s = (off - APLIC_SOURCECFG(1)) / 4 + 1;
        if (s < VIRQ_SOURCES && is_mine(s)) {
            model.sm[s] = val & APLIC_SOURCECFG_SM_MASK;
            if (!model.sm[s])
                model.enabled[s] = false;
        }
    } else if (off == APLIC_SETIENUM || off == APLIC_CLRIENUM) {
        if (val < VIRQ_SOURCES && is_mine(val) && model.sm[val])
            model.enabled[val] = off == APLIC_SETIENUM;
    } else if ((off >= APLIC_SETIE && off < APLIC_SETIE + 4 * VIRQ_WORDS) ||
               (off >= APLIC_CLRIE && off < APLIC_CLRIE + 4 * VIRQ_WORDS)) {
        uint32_t first = (off & 0x7f) / 4 * 32;
        for (uint32_t i = 0; i < 32; i++)
            if ((val >> i) & 1 && is_mine(first + i) && model.sm[first + i])
                model.enabled[first + i] = off < APLIC_CLRIE;
    } else if (off >= APLIC_TARGET(1) && off < APLIC_TARGET(1) + 4 * 1023) {
        uint32_t s = (off - APLIC_TARGET(1)) / 4 + 1, k = val >> APLIC_TARGET_HART_SHIFT;
        if (s < VIRQ_SOURCES && is_mine(s))
            model.target[s] = ((k < VCPUS ? k : 0) << APLIC_TARGET_HART_SHIFT) |
                              (val & APLIC_TARGET_EIID_MASK);
    }
}

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
    stopped = false;
    memset(&model, 0, sizeof model);
    virq_vm_init(&vm);
    for (uint32_t k = 0; k < VCPUS; k++) {
        on(&vm.vcpus[k]);
        virq_vcpu_online(&vm.vcpus[k]);
        online[k] = true;
    }
}

static void check(void)
{
    const struct virq_dist *d = &vm.arch.virq;
    FUZZ_ASSERT(fake_msi_remote == 0, "a hart wrote an MSI into another hart's guest file");
    for (unsigned i = 0; i < fake_msg_count && i < FAKE_LOG_LEN; i++)
        FUZZ_ASSERT(vm_cpu(fake_msgs[i]), "request to hart %u of another VM", fake_msgs[i]);
    fake_msg_count = 0;
    /* Every hart has taken its requests by now (as cpu.c's handler does),
     * so the next change posts again instead of finding one pending. */
    for (cpuid_t c = 0; c < PLATFORM_MAX_CPUS; c++)
        (void)fake_msg_take(c);
    for (cpuid_t c = 0; c < 4; c++)
        if (!vm_cpu(c))
            FUZZ_ASSERT(fake_file_eip[c] == 0, "MSI into another VM's hart %u", c);
    for (uint32_t k = 0; k < VCPUS; k++)
        if (!online[k])
            FUZZ_ASSERT((fake_file_eip[vm.vcpus[k].cpu] & ~file_at_offline[k]) == 0,
                        "MSI into the file of offline vCPU %u", k);
    for (uint32_t s = 1; s < FAKE_IRQS; s++) {
        if (!is_hw(s)) {
            FUZZ_ASSERT(!fake_aplic_on[s] && !fake_aplic_pending[s] && !fake_aplic_mode[s],
                        "physical source %u touched", s);
            continue;
        }
        FUZZ_ASSERT(vm_cpu(fake_aplic_cpu[s]), "source %u targets hart %u", s, fake_aplic_cpu[s]);
        FUZZ_ASSERT(fake_aplic_on[s] == spec_deliverable(s),
                    "source %u enabled at the APLIC: %d, deliverable %d", s, fake_aplic_on[s],
                    spec_deliverable(s));
        if (fake_aplic_on[s])
            FUZZ_ASSERT(fake_aplic_cpu[s] == vm.vcpus[model.target[s] >> APLIC_TARGET_HART_SHIFT].cpu,
                        "source %u goes to hart %u, not its target's", s, fake_aplic_cpu[s]);
    }
    for (uint32_t w = 0; w < VIRQ_WORDS; w++)
        FUZZ_ASSERT(!((d->pending[w] | d->aplic.enabled[w]) & ~d->owned[w]),
                    "a foreign source is pending or enabled (word %u)", w);
}

static uint32_t reg_off(struct fuzz_in *in, uint8_t b)
{
    static const uint32_t regs[] = {APLIC_DOMAINCFG, APLIC_SETIPNUM, APLIC_CLRIPNUM,
                                    APLIC_SETIENUM, APLIC_CLRIENUM, APLIC_SETIPNUM_LE,
                                    APLIC_GENMSI, APLIC_MSIADDRCFG, 0x4000};
    uint8_t x = fuzz_u8(in);
    switch (b & 7) {
    case 0: return APLIC_SOURCECFG(1) + 4u * (x % 130);
    case 1: return APLIC_TARGET(1) + 4u * (x % 130);
    case 2: return APLIC_SETIP + 4u * (x % 6);
    case 3: return APLIC_SETIE + 4u * (x % 6);
    case 4: return APLIC_CLRIE + 4u * (x % 6);
    case 5: return regs[x % (sizeof regs / 4)];
    default: return fuzz_u16(in) % 0x8100;
    }
}

static uint32_t value_for(struct fuzz_in *in, uint8_t b, uint32_t off)
{
    if (b & 0x80)
        return (uint32_t)fuzz_edgy64(in);
    if (off == APLIC_DOMAINCFG)
        return APLIC_DOMAINCFG_IE;
    if (off >= APLIC_SOURCECFG(1) && off < APLIC_MSIADDRCFG)
        return fuzz_u8(in) % 8; /* a mode, reserved ones included */
    if (off >= APLIC_TARGET(1))
        return ((uint32_t)(fuzz_u8(in) % 4) << APLIC_TARGET_HART_SHIFT) | (fuzz_u8(in) % 64);
    if (off >= APLIC_SETIP && off < APLIC_SETIPNUM_LE + 4 && (off & 0xff) == 0xdc)
        return (fuzz_u8(in) & 1) ? 52 : 10 + fuzz_u8(in) % 32;
    return fuzz_u32(in);
}

static void op_mmio(struct fuzz_in *in, struct vcpu *v)
{
    uint8_t b = fuzz_u8(in);
    uint32_t off = reg_off(in, b);
    unsigned size = (b & 0x18) == 0x18 ? 1u << (fuzz_u8(in) & 3) : 4;
    if (b & 0x20)
        off ^= fuzz_u8(in) & 3;
    bool write = b & 0x40;
    uint32_t val = value_for(in, b, off);
    struct mmio_access acc = {.addr = ipa_init(APLIC + off), .size = size, .write = write,
                              .value = val};
    bool valid = size == 4 && !(off & 3) && off < 0x8000;
    if (off < 0x8000)
        FUZZ_ASSERT(virq_owns_ipa(&vm, APLIC + off), "offset %#x outside the vAPLIC", off);
    bool ok = virq_mmio_access(v, &acc);
    FUZZ_ASSERT(ok == valid, "off %#x size %u write %d: accepted %d", off, size, write, ok);
    if (!ok)
        return;
    if (write) {
        model_write(off == APLIC_SETIPNUM_LE ? APLIC_SETIPNUM : off, val);
        return;
    }
    uint64_t r = acc.value;
    if (off == APLIC_DOMAINCFG) {
        FUZZ_ASSERT(r == (APLIC_DOMAINCFG_RO1 | APLIC_DOMAINCFG_DM | (model.ie ? APLIC_DOMAINCFG_IE : 0)),
                    "domaincfg %#llx", (unsigned long long)r);
    } else if (off >= APLIC_SOURCECFG(1) && off < APLIC_MSIADDRCFG) {
        uint32_t s = (off - APLIC_SOURCECFG(1)) / 4 + 1;
        FUZZ_ASSERT(r == (s < VIRQ_SOURCES && is_mine(s) ? model.sm[s] : 0), "sourcecfg %u: %#llx", s,
                    (unsigned long long)r);
    } else if (off >= APLIC_TARGET(1) && off < APLIC_TARGET(1) + 4 * 1023) {
        uint32_t s = (off - APLIC_TARGET(1)) / 4 + 1;
        FUZZ_ASSERT(r == (s < VIRQ_SOURCES && is_mine(s) ? model.target[s] : 0),
                    "target %u: %#llx", s, (unsigned long long)r);
    } else if ((off >= APLIC_SETIP && off < APLIC_SETIP + 4 * VIRQ_WORDS) ||
               (off >= APLIC_SETIE && off < APLIC_SETIE + 4 * VIRQ_WORDS)) {
        uint32_t first = (off & 0xff) / 4 * 32;
        for (uint32_t i = 0; i < 32; i++) {
            if ((r >> i) & 1)
                FUZZ_ASSERT(is_mine(first + i), "off %#x shows source %u", off, first + i);
            if (off >= APLIC_SETIE && first + i < VIRQ_SOURCES)
                FUZZ_ASSERT(((r >> i) & 1) == model.enabled[first + i], "setie: source %u enabled %d",
                            first + i, (int)((r >> i) & 1));
        }
    } else {
        FUZZ_ASSERT(r == 0, "off %#x reads %#llx", off, (unsigned long long)r);
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
        case 5:
            /* ipc_notify: the events word goes non-zero, then the raise,
             * from any hart (another VM's included). */
            vm.ipc_events[0] |= 1;
            fake_cpu = fuzz_u8(&in) % 4;
            virq_raise(&vm, (fuzz_u8(&in) & 1) ? 52 : fuzz_u8(&in) % VIRQ_SOURCES + 1);
            break;
        case 6: vm.ipc_events[0] = 0; break; /* the guest took its events */
        case 7: case 8:
            if (online[k])
                virq_flush(v);
            break;
        case 9:
            if (online[k]) {
                virq_vcpu_offline(v);
                /* irqchip_vcpu_reset empties its file before it is back. */
                file_at_offline[k] = fake_file_eip[v->cpu];
            } else {
                fake_file_eip[v->cpu] = 0;
                virq_vcpu_online(v);
            }
            online[k] = !online[k];
            break;
        case 10:
            for (uint32_t j = 0; j < VCPUS; j++) {
                on(&vm.vcpus[j]);
                if (online[j])
                    virq_vcpu_offline(&vm.vcpus[j]);
                online[j] = false;
                file_at_offline[j] = fake_file_eip[vm.vcpus[j].cpu];
            }
            stopped = false;
            virq_vm_init(&vm);
            memset(&model, 0, sizeof model);
            memset(vm.ipc_events, 0, sizeof vm.ipc_events);
            for (uint32_t s = 1; s < FAKE_IRQS; s++)
                FUZZ_ASSERT(!fake_aplic_on[s] && !fake_aplic_pending[s],
                            "source %u live at the APLIC after a reset", s);
            for (uint32_t j = 0; j < VCPUS; j++) {
                on(&vm.vcpus[j]);
                fake_file_eip[vm.vcpus[j].cpu] = 0;
                virq_vcpu_online(&vm.vcpus[j]);
                online[j] = true;
            }
            break;
        case 11:
            virq_vm_stop(&vm);
            stopped = true;
            for (uint32_t s = 1; s < FAKE_IRQS; s++)
                FUZZ_ASSERT(!fake_aplic_on[s] && !fake_aplic_pending[s],
                            "source %u live at the APLIC after a stop", s);
            break;
        default:
            for (uint32_t j = 0; j < VCPUS; j++)
                if (online[j]) {
                    on(&vm.vcpus[j]);
                    virq_flush(&vm.vcpus[j]);
                }
            /* Every request delivered: a doorbell still pending here cannot
             * be sent (§4.7: it waits for its target or its enable). */
            if (bit(vm.arch.virq.pending, 52))
                FUZZ_ASSERT(!spec_deliverable(52), "doorbell pending and deliverable");
            break;
        }
        check();
    }
    return 0;
}
