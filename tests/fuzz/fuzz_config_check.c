/* Fuzzing the build-time config validator (src/core/config_check.c) against an independent statement of what a valid config guarantees. */
#include <string.h>

#include "config_check.h"
#include "config_gen.h"
#include "fuzz_input.h"

/*
 * A configuration for one of the five boards is generated from the input
 * (config_gen.c). Whatever it is, the validator must not crash, must count
 * its issues the same whatever room it is given, and must write only
 * NUL-terminated messages naming the VM. When it reports no error, the
 * isolation properties below must hold; each is written here from the
 * config's meaning (docs/config.md), not from config_check.c's code:
 * no CPU, physical RAM page, device page or interrupt is given twice; a
 * VM's guest-physical map has no overlaps; nothing of Baohu's (its memory,
 * the interrupt controller, the IOMMU) is given to a VM.
 */

static bool ovl(uint64_t a, uint64_t as, uint64_t b, uint64_t bs)
{
    if (!as || !bs)
        return false;
    return a >= b ? a - b < bs : b - a < as;
}

static bool within(uint64_t a, uint64_t as, uint64_t b, uint64_t bs)
{
    return a >= b && as <= bs && a - b <= bs - as;
}

static bool in_ram(const struct platform *p, uint64_t a, uint64_t s)
{
    for (size_t k = 0; k < p->ram_count; k++)
        if (within(a, s, p->ram[k].base, p->ram[k].size))
            return true;
    return false;
}

struct range {
    uint64_t base, size;
};

/* The interrupt controller's frames: physically (with every alias, ZynqMP's
 * GIC-400 repeats each 4 KiB frame over 64 KiB and GICH has a second
 * block), or as a VM sees its emulated one. */
static size_t ic_ranges(const struct platform *p, bool physical, struct range r[4])
{
    size_t n = 0;
    switch (p->irqchip.kind) {
    case IRQCHIP_PLIC: r[n++] = (struct range){p->irqchip.plic, 0x4000000}; break;
    case IRQCHIP_AIA:
        r[n++] = (struct range){p->irqchip.aplic, 0x8000};
        r[n++] = (struct range){p->irqchip.imsic, 0x1000ull * (1 + p->irqchip.guest_files) * p->cpu_count};
        break;
    case IRQCHIP_GICV3:
        r[n++] = (struct range){p->irqchip.gicd, 0x10000};
        r[n++] = (struct range){p->irqchip.gicr,
                                (p->irqchip.gicr_stride ? p->irqchip.gicr_stride : 0x20000) * p->cpu_count};
        break;
    case IRQCHIP_GICV2: {
        uint64_t al = physical ? p->irqchip.gicv2_alias : 0;
        struct range f[4] = {{p->irqchip.gicd, 0x1000}, {p->irqchip.gicc, 0x2000},
                             {p->irqchip.gich, 0x1000}, {p->irqchip.gicv, 0x2000}};
        for (int i = 0; i < (physical ? 4 : 2); i++) {
            if (!f[i].base && i)
                continue;
            if (al) {
                uint64_t lo = f[i].base & ~(al - 1), hi = (f[i].base + f[i].size + al - 1) & ~(al - 1);
                f[i] = (struct range){lo, hi - lo + (i == 2 ? al : 0)};
            }
            r[n++] = f[i];
        }
        break;
    }
    }
    return n;
}

#define FAIL(...) FUZZ_ASSERT(0, __VA_ARGS__)

static void check_valid(const struct platform *p, const struct baohu_config *c)
{
    uint64_t cpus = 0;
    bool riscv = p->irqchip.kind == IRQCHIP_PLIC || p->irqchip.kind == IRQCHIP_AIA;
    uint32_t first_irq = riscv ? 1 : 32;
    struct range ic_phys[4], ic_virt[4];
    size_t nphys = ic_ranges(p, true, ic_phys), nvirt = ic_ranges(p, false, ic_virt);

    FUZZ_ASSERT(!c->hyp_colours || c->hyp_colours_shared || !c->shmem_count,
                "shared memory beside a coloured Baohu");
    for (size_t i = 0; i < c->vms_count; i++) {
        const struct vm_config *vm = &c->vms[i];
        FUZZ_ASSERT(vm->name && vm->name[0], "VM #%zu unnamed", i);
        /* A coloured Baohu shares no colour with a VM unless the config says so. */
        FUZZ_ASSERT(!c->hyp_colours || c->hyp_colours_shared || (vm->colours && !(vm->colours & c->hyp_colours)),
                    "VM %s colours %#llx beside Baohu's %#llx", vm->name ? vm->name : "?",
                    (unsigned long long)vm->colours, (unsigned long long)c->hyp_colours);
        for (size_t j = 0; c->hyp_colours && !c->hyp_colours_shared && j < vm->mem_count; j++)
            FUZZ_ASSERT(!vm->mem[j].pa, "VM %s mem[%zu] at fixed pa beside a coloured Baohu", vm->name, j);
        for (size_t k = 0; k < i; k++)
            FUZZ_ASSERT(strcmp(vm->name, c->vms[k].name), "two VMs named %s", vm->name);
        FUZZ_ASSERT(vm->cpus && !(vm->cpus >> p->cpu_count) && !(vm->cpus & cpus),
                    "VM %s cpus %#llx (taken %#llx)", vm->name, (unsigned long long)vm->cpus,
                    (unsigned long long)cpus);
        cpus |= vm->cpus;

        /* Its guest-physical map: every region, pairwise apart, none on
         * the emulated interrupt controller. */
        struct range ipa[GEN_MEM + GEN_DEVS + 2 * GEN_IPCS];
        size_t n = 0;
        bool entry_ok = false;
        for (size_t j = 0; j < vm->mem_count; j++) {
            const struct vm_mem_region *m = &vm->mem[j];
            FUZZ_ASSERT(m->size && !(m->ipa & 0xfff) && !(m->size & 0xfff) && !(m->pa & 0xfff) &&
                            m->ipa + m->size - 1 >= m->ipa && m->pa + m->size - 1 >= m->pa,
                        "VM %s mem[%zu] shape", vm->name, j);
            if (m->pa)
                FUZZ_ASSERT(in_ram(p, m->pa, m->size) &&
                                !ovl(m->pa, m->size, p->hyp_reserved.base, p->hyp_reserved.size),
                            "VM %s mem[%zu] pa %#llx outside RAM or in Baohu's", vm->name, j,
                            (unsigned long long)m->pa);
            entry_ok |= within(vm->entry, 4, m->ipa, m->size);
            ipa[n++] = (struct range){m->ipa, m->size};
        }
        FUZZ_ASSERT(entry_ok && !(vm->entry & 3), "VM %s entry %#llx", vm->name,
                    (unsigned long long)vm->entry);
        for (size_t j = 0; j < vm->devs_count; j++) {
            const struct vm_dev_region *d = &vm->devs[j];
            bool mmio = false;
            for (size_t k = 0; k < p->mmio_count; k++)
                mmio |= within(d->pa, d->size, p->mmio[k].base, p->mmio[k].size);
            FUZZ_ASSERT(d->size && mmio && !(d->pa & 0xfff) && !(d->ipa & 0xfff) && !(d->size & 0xfff),
                        "VM %s devs[%zu] pa %#llx size %#llx", vm->name, j,
                        (unsigned long long)d->pa, (unsigned long long)d->size);
            for (size_t k = 0; k < p->ram_count; k++)
                FUZZ_ASSERT(!ovl(d->pa, d->size, p->ram[k].base, p->ram[k].size), "device in RAM");
            for (size_t w = 0; w < nphys; w++)
                FUZZ_ASSERT(!ovl(d->pa, d->size, ic_phys[w].base, ic_phys[w].size),
                            "VM %s devs[%zu] pa %#llx+%#llx is the interrupt controller's %#llx+%#llx",
                            vm->name, j, (unsigned long long)d->pa, (unsigned long long)d->size,
                            (unsigned long long)ic_phys[w].base, (unsigned long long)ic_phys[w].size);
            FUZZ_ASSERT(!p->iommu.base || !ovl(d->pa, d->size, p->iommu.base, p->iommu.size),
                        "VM %s gets the IOMMU", vm->name);
            /* Interrupts: SPIs / sources of the board, one owner each. */
            for (size_t k = 0; k < d->irqs_count; k++) {
                uint32_t irq = d->irqs[k];
                FUZZ_ASSERT(irq >= first_irq && irq < p->irqchip.irq_count, "VM %s interrupt %u",
                            vm->name, irq);
                if (irq == p->console.irq)
                    FUZZ_ASSERT(d->pa <= p->console.base && p->console.base - d->pa < d->size,
                                "VM %s takes the console's interrupt without its UART", vm->name);
                for (size_t i2 = 0; i2 <= i; i2++)
                    for (size_t j2 = 0; j2 < c->vms[i2].devs_count; j2++)
                        for (size_t k2 = 0; k2 < c->vms[i2].devs[j2].irqs_count; k2++) {
                            if (i2 == i && (j2 > j || (j2 == j && k2 >= k)))
                                continue;
                            FUZZ_ASSERT(c->vms[i2].devs[j2].irqs[k2] != irq,
                                        "interrupt %u given twice (VMs %s and %s)", irq, vm->name,
                                        c->vms[i2].name);
                        }
            }
            for (size_t i2 = 0; i2 < i; i2++)
                for (size_t j2 = 0; j2 < c->vms[i2].devs_count; j2++)
                    FUZZ_ASSERT(!ovl(d->pa, d->size, c->vms[i2].devs[j2].pa, c->vms[i2].devs[j2].size),
                                "device pages of VMs %s and %s overlap", vm->name, c->vms[i2].name);
            ipa[n++] = (struct range){d->ipa, d->size};
        }
        FUZZ_ASSERT(vm->ipcs_count <= VM_IPC_MAX, "ipcs");
        for (size_t j = 0; j < vm->ipcs_count; j++) {
            const struct vm_ipc *x = &vm->ipcs[j];
            FUZZ_ASSERT(x->shmem_id < c->shmem_count, "VM %s ipcs[%zu] object %u", vm->name, j,
                        x->shmem_id);
            for (size_t k = 0; k < j; k++)
                FUZZ_ASSERT(vm->ipcs[k].shmem_id != x->shmem_id &&
                                (!x->doorbell_irq || vm->ipcs[k].doorbell_irq != x->doorbell_irq),
                            "VM %s ipcs[%zu] repeats ipcs[%zu]", vm->name, j, k);
            if (x->doorbell_irq) {
                FUZZ_ASSERT(x->doorbell_irq >= first_irq && x->doorbell_irq < p->irqchip.irq_count,
                            "doorbell %u", x->doorbell_irq);
                for (size_t d = 0; d < vm->devs_count; d++)
                    for (size_t k = 0; k < vm->devs[d].irqs_count; k++)
                        FUZZ_ASSERT(vm->devs[d].irqs[k] != x->doorbell_irq,
                                    "VM %s doorbell %u is also its device's", vm->name, x->doorbell_irq);
            }
            ipa[n++] = (struct range){x->ipa, c->shmem[x->shmem_id].size};
            if (x->doorbell_ipa)
                ipa[n++] = (struct range){x->doorbell_ipa, 0x1000};
        }
        for (size_t a = 0; a < n; a++) {
            for (size_t b = 0; b < a; b++)
                FUZZ_ASSERT(!ovl(ipa[a].base, ipa[a].size, ipa[b].base, ipa[b].size),
                            "VM %s: guest-physical regions %zu and %zu overlap", vm->name, b, a);
            for (size_t w = 0; w < nvirt; w++)
                FUZZ_ASSERT(!ovl(ipa[a].base, ipa[a].size, ic_virt[w].base, ic_virt[w].size),
                            "VM %s: region %zu on the emulated interrupt controller", vm->name, a);
        }
    }

    /* Physical RAM handed out at fixed addresses: each VM's fixed-pa
     * memory and each fixed-pa shared object are pages of their own. */
    struct range fixed[GEN_VMS * GEN_MEM + GEN_SHMEM];
    const char *owner[GEN_VMS * GEN_MEM + GEN_SHMEM];
    size_t nf = 0;
    for (size_t s = 0; s < c->shmem_count; s++) {
        const struct shmem_config *o = &c->shmem[s];
        FUZZ_ASSERT(o->size && !(o->size & 0xfff), "shmem %zu size", s);
        if (!o->pa)
            continue;
        FUZZ_ASSERT(!(o->pa & 0xfff) && in_ram(p, o->pa, o->size) &&
                        !ovl(o->pa, o->size, p->hyp_reserved.base, p->hyp_reserved.size),
                    "shmem %zu pa %#llx", s, (unsigned long long)o->pa);
        owner[nf] = o->name;
        fixed[nf++] = (struct range){o->pa, o->size};
    }
    for (size_t i = 0; i < c->vms_count; i++)
        for (size_t j = 0; j < c->vms[i].mem_count; j++)
            if (c->vms[i].mem[j].pa) {
                owner[nf] = c->vms[i].name;
                fixed[nf++] = (struct range){c->vms[i].mem[j].pa, c->vms[i].mem[j].size};
            }
    for (size_t a = 0; a < nf; a++)
        for (size_t b = 0; b < a; b++)
            FUZZ_ASSERT(!ovl(fixed[a].base, fixed[a].size, fixed[b].base, fixed[b].size),
                        "fixed physical memory of '%s' [%#llx, +%#llx) and '%s' [%#llx, +%#llx) overlap",
                        owner[b], (unsigned long long)fixed[b].base, (unsigned long long)fixed[b].size,
                        owner[a], (unsigned long long)fixed[a].base, (unsigned long long)fixed[a].size);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct fuzz_in in = {data, size};
    const struct platform *p = gen_boards[fuzz_u8(&in) % GEN_BOARDS];
    static struct gen g;
    gen_config(&in, p, &g);

    struct config_issue issues[3];
    size_t count = config_check(p, &g.cfg, NULL, 0);
    size_t again = config_check(p, &g.cfg, issues, 3);
    FUZZ_ASSERT(count == again, "%zu issues with no room, %zu with room for 3", count, again);
    size_t errors = 0;
    for (size_t i = 0; i < count && i < 3; i++) {
        FUZZ_ASSERT(memchr(issues[i].msg, 0, sizeof issues[i].msg) && issues[i].msg[0],
                    "issue %zu: empty or unterminated", i);
        errors += issues[i].error;
    }
    if (count > 3) {
        static struct config_issue all[4096]; /* more than any generated config can break */
        FUZZ_ASSERT(count <= 4096, "%zu issues", count);
        FUZZ_ASSERT(config_check(p, &g.cfg, all, count) == count, "count changed");
        errors = 0;
        for (size_t i = 0; i < count; i++)
            errors += all[i].error;
    }
    if (errors == 0)
        check_valid(p, &g.cfg);
    return 0;
}
