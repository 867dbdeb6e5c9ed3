/* Configuration rules: each way a VM config can conflict with its platform or with another VM. */
#include "config_check.h"

#include <inttypes.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#define CC_PAGE 0x1000ull
/* Whole pages: what a preloaded image keeps out of the allocator. */
#define ALIGN_UP_CC(x) (((x) + CC_PAGE - 1) & ~(CC_PAGE - 1))
#define CC_NO_VM SIZE_MAX
/* Interrupt controller frames (programmers' models of GICv3, IHI 0069,
 * and GICv2, IHI 0048): the distributor is one 64 KiB frame; each GICv3
 * redistributor is two 64 KiB frames, RD_base and SGI_base; the GICv2 CPU
 * and virtual CPU interfaces are 8 KiB, its hypervisor control 4 KiB. */
#define CC_GICD_SIZE 0x10000ull
#define CC_GICR_STRIDE 0x20000ull
#define CC_GICC_SIZE 0x2000ull
#define CC_GICH_SIZE 0x1000ull
#define CC_GICV_SIZE 0x2000ull
/* INTIDs 0-15 are SGIs and 16-31 PPIs: banked per CPU, so never a device's
 * to pass through; SPIs start at 32 (IHI 0069, "INTIDs"). */
#define CC_FIRST_SPI 32u
/* RISC-V: the PLIC spec allows up to 64 MiB of registers; an APLIC domain
 * is 16 KiB plus 32 bytes per hart's IDC (AIA spec §4.5), QEMU's 32 KiB;
 * IMSIC interrupt files are 4 KiB pages laid out by hart id (AIA §3.6,
 * platform_imsic_hart_offset). Source 0 does not exist, every other one can
 * be passed through. */
#define CC_PLIC_SIZE 0x4000000ull
#define CC_APLIC_SIZE 0x8000ull

/* The platform's interrupt controller, as its specification names it, and
 * what it calls the interrupts devices raise (GIC: SPIs, IHI 0069 §2.2;
 * PLIC / APLIC: interrupt sources, AIA §4). */
static const char *irqchip_name(const struct platform *p)
{
    switch (p->irqchip.kind) {
    case IRQCHIP_GICV2: return "GICv2";
    case IRQCHIP_GICV3: return "GICv3";
    case IRQCHIP_PLIC: return "PLIC";
    case IRQCHIP_AIA: return "APLIC";
    default: return "interrupt controller";
    }
}

static const char *irqchip_device_irqs(const struct platform *p)
{
    return p->irqchip.kind == IRQCHIP_PLIC || p->irqchip.kind == IRQCHIP_AIA ? "sources" : "SPIs";
}

/* The lowest interrupt id a device may be given. */
static uint32_t first_passthrough_irq(const struct platform *p)
{
    return p->irqchip.kind == IRQCHIP_PLIC || p->irqchip.kind == IRQCHIP_AIA ? 1u : CC_FIRST_SPI;
}

#define HEX "0x%" PRIx64
#define RANGE "[" HEX ", " HEX ")"
#define RANGE_ARGS(base, size) (uint64_t)(base), (uint64_t)((base) + (size))

struct cc {
    const struct platform *plat;
    const struct baohu_config *cfg;
    struct config_issue *out;
    size_t max;
    size_t count;
};

struct cc_window {
    const char *name;
    uint64_t base;
    uint64_t size;
};

/* ---- ranges: all comparisons are written so that base + size cannot wrap */

static bool overlaps(uint64_t a, uint64_t a_size, uint64_t b, uint64_t b_size)
{
    if (a_size == 0 || b_size == 0)
        return false;
    return a >= b ? a - b < b_size : b - a < a_size;
}

static bool inside(uint64_t a, uint64_t a_size, uint64_t outer, uint64_t outer_size)
{
    return a >= outer && a - outer <= outer_size && a_size <= outer_size - (a - outer);
}

static bool aligned(uint64_t x, uint64_t a)
{
    return (x & (a - 1)) == 0;
}

static bool wraps(uint64_t base, uint64_t size)
{
    return size != 0 && base + size - 1 < base;
}

/* ---- reporting */

static const struct vm_config *vm_at(const struct cc *c, size_t i)
{
    return &c->cfg->vms[i];
}

static const char *vm_name(const struct cc *c, size_t i)
{
    const char *name = vm_at(c, i)->name;

    return name ? name : "(unnamed)";
}

__attribute__((format(printf, 4, 0))) static void vreport(struct cc *c, bool error, size_t vm,
                                                          const char *fmt, va_list ap)
{
    if (c->count < c->max) {
        struct config_issue *issue = &c->out[c->count];
        size_t used = 0;

        issue->error = error;
        issue->msg[0] = '\0';
        if (vm != CC_NO_VM) {
            int n = snprintf(issue->msg, sizeof issue->msg, "VM '%s' (#%zu) ", vm_name(c, vm), vm);
            if (n > 0)
                used = (size_t)n < sizeof issue->msg ? (size_t)n : sizeof issue->msg - 1;
        }
        (void)vsnprintf(issue->msg + used, sizeof issue->msg - used, fmt, ap); /* a long message is cut at the buffer end */
    }
    c->count++;
}

__attribute__((format(printf, 3, 4))) static void error(struct cc *c, size_t vm, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    vreport(c, true, vm, fmt, ap);
    va_end(ap);
}

__attribute__((format(printf, 3, 4))) static void warning(struct cc *c, size_t vm, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    vreport(c, false, vm, fmt, ap);
    va_end(ap);
}

/* ---- platform facts */

static size_t mem_count(const struct vm_config *vm)
{
    return vm->mem ? vm->mem_count : 0;
}

static size_t devs_count(const struct vm_config *vm)
{
    return vm->devs ? vm->devs_count : 0;
}

static size_t irqs_count(const struct vm_dev_region *dev)
{
    return dev->irqs ? dev->irqs_count : 0;
}

static bool in_ram(const struct platform *p, uint64_t base, uint64_t size)
{
    for (size_t k = 0; k < p->ram_count; k++) {
        if (inside(base, size, p->ram[k].base, p->ram[k].size))
            return true;
    }
    return false;
}

/*
 * Interrupt controller windows. The emulated ones are what each VM sees at
 * the same IPAs as the physical controller (GICD, and GICR or GICC); the
 * physical ones also include the GICv2 hypervisor interfaces.
 */
static struct cc_window gic_frame(const char *name, uint64_t base, uint64_t size, uint64_t alias,
                                  unsigned blocks)
{
    if (!alias)
        return (struct cc_window){name, base, size};
    uint64_t start = base & ~(alias - 1), end = (base + size + alias - 1) & ~(alias - 1);
    return (struct cc_window){name, start, end - start + (blocks - 1) * alias};
}

/*
 * The IMSIC span from its base: up to the end of the highest hart's files,
 * hart ids as they are (sparse ones leave holes that are still the IMSIC's)
 * and each hart's block a power-of-two stride (AIA §3.6). A VM sees vCPU k's
 * guest file at its page k (vaplic.c), inside the same span: its IPA window
 * is the physical one, so a VM's device tree may describe the whole IMSIC.
 */
static uint64_t imsic_size(const struct platform *p)
{
    uint64_t end = 0;

    for (size_t k = 0; k < p->cpu_count && k < PLATFORM_MAX_CPUS; k++) {
        uint64_t hart_end = platform_imsic_hart_offset(p, p->cpu_hwid[k]) + platform_imsic_stride(p);
        if (hart_end > end)
            end = hart_end;
    }
    return end;
}

static size_t irqchip_windows(const struct platform *p, bool physical, struct cc_window w[4])
{
    size_t n = 0;

    if (p->irqchip.kind == IRQCHIP_PLIC) {
        w[n++] = (struct cc_window){"PLIC", p->irqchip.plic, CC_PLIC_SIZE};
        return n;
    }
    if (p->irqchip.kind == IRQCHIP_AIA) {
        w[n++] = (struct cc_window){"APLIC", p->irqchip.aplic, CC_APLIC_SIZE};
        w[n++] = (struct cc_window){"IMSIC", p->irqchip.imsic, imsic_size(p)};
        return n;
    }
    if (p->irqchip.kind == IRQCHIP_GICV3) {
        uint64_t stride = p->irqchip.gicr_stride ? p->irqchip.gicr_stride : CC_GICR_STRIDE;
        w[n++] = (struct cc_window){"GICD", p->irqchip.gicd, CC_GICD_SIZE};
        w[n++] = (struct cc_window){"GICR", p->irqchip.gicr, stride * p->cpu_count};
        return n;
    }
    /* GICv2: where the frames alias, every alias is the frame (checked
     * physically; a VM's emulated view has the frames once). GICH's block
     * is followed by its per-CPU copy. */
    uint64_t alias = physical ? p->irqchip.gicv2_alias : 0;
    w[n++] = gic_frame("GICD", p->irqchip.gicd, CC_GICD_SIZE, alias, 1);
    if (p->irqchip.gicc)
        w[n++] = gic_frame("GICC", p->irqchip.gicc, CC_GICC_SIZE, alias, 1);
    if (physical && p->irqchip.gich)
        w[n++] = gic_frame("GICH", p->irqchip.gich, CC_GICH_SIZE, alias, 2);
    if (physical && p->irqchip.gicv)
        w[n++] = gic_frame("GICV", p->irqchip.gicv, CC_GICV_SIZE, alias, 1);
    return n;
}

/* Index of the VM's memory region holding `ipa`, or -1. */
static long mem_holding(const struct vm_config *vm, uint64_t ipa)
{
    for (size_t j = 0; j < mem_count(vm); j++) {
        if (vm->mem[j].size != 0 && inside(ipa, 1, vm->mem[j].ipa, vm->mem[j].size))
            return (long)j;
    }
    return -1;
}

/* The console UART is Baohu's alone (its MMIO page and its interrupt): a
 * VM owning it could stall every CPU that prints (disable it, enable flow
 * control) and write bytes between Baohu's tagged lines. A VM gets a
 * virtual UART instead (vuart, docs/config.md). */
#define CC_CONSOLE_SIZE 0x1000ull

/* ---- per-VM rules */

static void check_name(struct cc *c, size_t i)
{
    const char *name = vm_at(c, i)->name;

    if (!name || !name[0]) {
        error(c, i, "name: missing");
        return;
    }
    for (size_t k = 0; k < i; k++) {
        if (vm_at(c, k)->name && strcmp(vm_at(c, k)->name, name) == 0) {
            error(c, i, "name: duplicate of VM '%s' (#%zu)", name, k);
            return;
        }
    }
}

static void check_cpus(struct cc *c, size_t i)
{
    uint64_t cpus = vm_at(c, i)->cpus;

    if (cpus == 0)
        error(c, i, "cpus: empty (no CPU assigned)");
    for (unsigned cpu = 0; cpu < 64; cpu++) {
        if (!(cpus >> cpu & 1))
            continue;
        if (cpu >= c->plat->cpu_count) {
            error(c, i, "cpus: CPU %u does not exist (platform '%s' has %zu CPUs)", cpu,
                  c->plat->name, c->plat->cpu_count);
            continue;
        }
        for (size_t k = 0; k < i; k++) {
            if (vm_at(c, k)->cpus >> cpu & 1) {
                error(c, i, "cpus: CPU %u already assigned to VM '%s' (#%zu)", cpu, vm_name(c, k), k);
                break;
            }
        }
    }
}

/* Alignment and wrap-around of one region's fields; false when the region
 * is too broken (size 0) to take part in overlap checks. */
static bool check_region_shape(struct cc *c, size_t i, const char *what, size_t j, uint64_t ipa,
                               uint64_t pa, uint64_t size)
{
    if (size == 0) {
        error(c, i, "%s[%zu]: size is 0", what, j);
        return false;
    }
    if (!aligned(ipa, CC_PAGE))
        error(c, i, "%s[%zu]: ipa " HEX " not 4 KiB aligned", what, j, ipa);
    if (!aligned(pa, CC_PAGE))
        error(c, i, "%s[%zu]: pa " HEX " not 4 KiB aligned", what, j, pa);
    if (!aligned(size, CC_PAGE))
        error(c, i, "%s[%zu]: size " HEX " not 4 KiB aligned", what, j, size);
    if (wraps(ipa, size) || wraps(pa, size))
        error(c, i, "%s[%zu]: ipa/pa + size " HEX " wraps past 2^64", what, j, size);
    return true;
}

static void check_mem(struct cc *c, size_t i)
{
    const struct vm_config *vm = vm_at(c, i);
    const struct platform *p = c->plat;

    if (!vm->mem && vm->mem_count)
        error(c, i, "mem: mem_count is %zu but mem is NULL", vm->mem_count);
    for (size_t j = 0; j < mem_count(vm); j++) {
        const struct vm_mem_region *r = &vm->mem[j];

        if (!check_region_shape(c, i, "mem", j, r->ipa, r->pa, r->size) || r->pa == 0)
            continue;
        /* A fixed-pa region is RAM given to this VM alone. */
        if (!in_ram(p, r->pa, r->size))
            error(c, i, "mem[%zu]: pa " RANGE " not inside platform RAM", j, RANGE_ARGS(r->pa, r->size));
        else if (overlaps(r->pa, r->size, p->hyp_reserved.base, p->hyp_reserved.size))
            error(c, i, "mem[%zu]: pa " RANGE " overlaps Baohu's reserved memory " RANGE, j,
                  RANGE_ARGS(r->pa, r->size), RANGE_ARGS(p->hyp_reserved.base, p->hyp_reserved.size));
        /* Against every earlier fixed region, of this VM or another. */
        for (size_t k = 0; k <= i; k++) {
            const struct vm_config *other = vm_at(c, k);
            size_t end = k == i ? j : mem_count(other);

            for (size_t l = 0; l < end; l++) {
                const struct vm_mem_region *o = &other->mem[l];

                if (o->pa != 0 && overlaps(r->pa, r->size, o->pa, o->size))
                    error(c, i, "mem[%zu]: pa " RANGE " overlaps VM '%s' (#%zu) mem[%zu] pa " RANGE, j,
                          RANGE_ARGS(r->pa, r->size), vm_name(c, k), k, l, RANGE_ARGS(o->pa, o->size));
            }
        }
    }
}

static void check_devs(struct cc *c, size_t i)
{
    const struct vm_config *vm = vm_at(c, i);
    const struct platform *p = c->plat;
    struct cc_window chip[4];
    size_t chip_count = irqchip_windows(p, true, chip);

    if (!vm->devs && vm->devs_count)
        error(c, i, "devs: devs_count is %zu but devs is NULL", vm->devs_count);
    for (size_t j = 0; j < devs_count(vm); j++) {
        const struct vm_dev_region *d = &vm->devs[j];
        bool in_mmio = false, in_ram_bank = false;

        if (!check_region_shape(c, i, "devs", j, d->ipa, d->pa, d->size))
            continue;
        for (size_t k = 0; k < p->ram_count; k++) {
            if (overlaps(d->pa, d->size, p->ram[k].base, p->ram[k].size)) {
                error(c, i, "devs[%zu]: MMIO region overlapping RAM: pa " RANGE " overlaps RAM " RANGE, j,
                      RANGE_ARGS(d->pa, d->size), RANGE_ARGS(p->ram[k].base, p->ram[k].size));
                in_ram_bank = true;
            }
        }
        for (size_t k = 0; k < p->mmio_count; k++)
            in_mmio |= inside(d->pa, d->size, p->mmio[k].base, p->mmio[k].size);
        if (!in_mmio && !in_ram_bank)
            error(c, i, "devs[%zu]: pa " RANGE " not inside any platform MMIO window", j,
                  RANGE_ARGS(d->pa, d->size));
        /* The physical interrupt controller stays Baohu's (guests get the
         * emulated one). */
        for (size_t w = 0; w < chip_count; w++) {
            if (overlaps(d->pa, d->size, chip[w].base, chip[w].size))
                error(c, i, "devs[%zu]: pa " RANGE " overlaps the physical %s " RANGE, j,
                      RANGE_ARGS(d->pa, d->size), chip[w].name, RANGE_ARGS(chip[w].base, chip[w].size));
        }
        if (overlaps(d->pa, d->size, p->console.base, CC_CONSOLE_SIZE))
            error(c, i, "devs[%zu]: pa " RANGE " overlaps the console UART " RANGE ", which Baohu owns: give the VM a virtual UART (vuart) instead",
                  j, RANGE_ARGS(d->pa, d->size), RANGE_ARGS(p->console.base, CC_CONSOLE_SIZE));
        /* The IOMMU is what confines every VM's DMA: never a guest's. */
        if (p->iommu.base && overlaps(d->pa, d->size, p->iommu.base, p->iommu.size))
            error(c, i, "devs[%zu]: pa " RANGE " overlaps the IOMMU's registers " RANGE, j,
                  RANGE_ARGS(d->pa, d->size), RANGE_ARGS(p->iommu.base, p->iommu.size));
        for (size_t k = 0; k < i; k++) {
            const struct vm_config *other = vm_at(c, k);

            for (size_t l = 0; l < devs_count(other); l++) {
                const struct vm_dev_region *o = &other->devs[l];

                if (overlaps(d->pa, d->size, o->pa, o->size))
                    error(c, i, "devs[%zu]: pa " RANGE " overlaps VM '%s' (#%zu) devs[%zu] pa " RANGE, j,
                          RANGE_ARGS(d->pa, d->size), vm_name(c, k), k, l, RANGE_ARGS(o->pa, o->size));
            }
        }
    }
}

static size_t streams_count(const struct vm_dev_region *d)
{
    return d->streams ? d->streams_count : 0;
}

/* Is stream range `r` claimed by a device listed before (VM k, device l,
 * range m) than VM i's device j's range n? */
static bool stream_earlier(const struct cc *c, const struct vm_stream_range *r, size_t i, size_t j,
                           size_t n, size_t *ok, size_t *ol)
{
    for (size_t k = 0; k <= i; k++) {
        const struct vm_config *vm = vm_at(c, k);

        for (size_t l = 0; l < devs_count(vm) && (k < i || l <= j); l++) {
            const struct vm_dev_region *d = &vm->devs[l];

            for (size_t m = 0; m < streams_count(d) && (k < i || l < j || m < n); m++) {
                if (overlaps(r->base, r->count, d->streams[m].base, d->streams[m].count)) {
                    *ok = k;
                    *ol = l;
                    return true;
                }
            }
        }
    }
    return false;
}

/*
 * DMA: without an IOMMU a DMA master reaches all of physical memory, so
 * a device that can master must be confined (streams, on a platform with
 * an IOMMU) or declared unconfined on purpose (docs/config.md, "DMA").
 */
static void check_dma(struct cc *c, size_t i)
{
    const struct vm_config *vm = vm_at(c, i);
    const struct platform *p = c->plat;

    for (size_t j = 0; j < devs_count(vm); j++) {
        const struct vm_dev_region *d = &vm->devs[j];

        if (!d->streams && d->streams_count)
            error(c, i, "devs[%zu].streams: streams_count is %zu but streams is NULL", j, d->streams_count);
        if (!d->dma) {
            if (streams_count(d))
                error(c, i, "devs[%zu].streams: %zu stream range(s) on a device without .dma", j,
                      streams_count(d));
            if (d->dma_unconfined)
                error(c, i, "devs[%zu].dma_unconfined: set on a device without .dma", j);
            continue;
        }
        /* A device no IOMMU sits in front of (none on the platform, or a
         * platform device beside it such as virt's virtio-mmio) can only be
         * unconfined, and only when the config says so. */
        if (d->dma_unconfined) {
            if (streams_count(d))
                error(c, i, "devs[%zu].dma_unconfined: set together with streams (translated DMA is "
                      "confined)", j);
            else
                warning(c, i, "devs[%zu]: DMA UNCONFINED: device at pa " RANGE " can read and write all "
                        "physical memory (%s)", j, RANGE_ARGS(d->pa, d->size),
                        p->iommu.base ? "not behind the IOMMU" : "the platform has no IOMMU");
            continue;
        }
        if (!p->iommu.base && streams_count(d)) {
            error(c, i, "devs[%zu].streams: platform %s has no IOMMU to translate streams: its DMA "
                  "reaches all memory; set .dma_unconfined (without streams) to accept that", j, p->name);
            continue;
        }
        if (!p->iommu.base) {
            error(c, i, "devs[%zu].dma: DMA-capable device at pa " RANGE " on %s, which has no IOMMU: "
                  "its DMA reaches all memory; set .dma_unconfined to accept that", j,
                  RANGE_ARGS(d->pa, d->size), p->name);
            continue;
        }
        if (streams_count(d) == 0)
            error(c, i, "devs[%zu].streams: DMA-capable device at pa " RANGE " names no streams (the "
                  "IOMMU confines DMA per stream; .dma_unconfined if it is not behind it)", j,
                  RANGE_ARGS(d->pa, d->size));
        for (size_t n = 0; n < streams_count(d); n++) {
            const struct vm_stream_range *r = &d->streams[n];
            size_t ok, ol;

            if (r->count == 0 || r->base >= p->iommu.stream_count ||
                r->count > p->iommu.stream_count - r->base) {
                error(c, i, "devs[%zu].streams[%zu]: [0x%" PRIx32 ", 0x%" PRIx64 ") empty or outside the "
                      "IOMMU's streams [0, 0x%" PRIx32 ")", j, n, r->base, (uint64_t)r->base + r->count,
                      p->iommu.stream_count);
                continue;
            }
            if (stream_earlier(c, r, i, j, n, &ok, &ol))
                error(c, i, "devs[%zu].streams[%zu]: [0x%" PRIx32 ", 0x%" PRIx64 ") also claimed by VM '%s' "
                      "(#%zu) devs[%zu]", j, n, r->base, (uint64_t)r->base + r->count, vm_name(c, ok), ok, ol);
        }
    }
}

static size_t ipcs_count(const struct vm_config *vm)
{
    return vm->ipcs ? vm->ipcs_count : 0;
}

static uint64_t shmem_size(const struct cc *c, uint32_t id)
{
    return c->cfg->shmem && id < c->cfg->shmem_count ? c->cfg->shmem[id].size : 0;
}

/* One IPA region of a VM (memory, device, shared object or doorbell page),
 * for the address-space checks. */
static void region_at(const struct cc *c, const struct vm_config *vm, size_t n, const char **what,
                      size_t *j, uint64_t *ipa, uint64_t *size)
{
    if (n < mem_count(vm)) {
        *what = "mem";
        *j = n;
        *ipa = vm->mem[n].ipa;
        *size = vm->mem[n].size;
    } else if (n < mem_count(vm) + devs_count(vm)) {
        *what = "devs";
        *j = n - mem_count(vm);
        *ipa = vm->devs[*j].ipa;
        *size = vm->devs[*j].size;
    } else if (n < mem_count(vm) + devs_count(vm) + ipcs_count(vm)) {
        *what = "ipcs";
        *j = n - mem_count(vm) - devs_count(vm);
        *ipa = vm->ipcs[*j].ipa;
        *size = shmem_size(c, vm->ipcs[*j].shmem_id);
    } else if (n == mem_count(vm) + devs_count(vm) + 2 * ipcs_count(vm)) {
        *what = "vuart";
        *j = 0;
        *ipa = vm->vuart.ipa;
        *size = vm->vuart.ipa ? 0x1000 : 0;
    } else {
        *what = "ipcs doorbell";
        *j = n - mem_count(vm) - devs_count(vm) - ipcs_count(vm);
        *ipa = vm->ipcs[*j].doorbell_ipa;
        *size = vm->ipcs[*j].doorbell_ipa ? 0x1000 : 0;
    }
}

static void check_ipa_space(struct cc *c, size_t i)
{
    const struct vm_config *vm = vm_at(c, i);
    size_t total = mem_count(vm) + devs_count(vm) + 2 * ipcs_count(vm) + 1; /* + vuart */
    struct cc_window chip[4];
    size_t chip_count = irqchip_windows(c->plat, false, chip);

    for (size_t n = 0; n < total; n++) {
        const char *what, *what2;
        size_t j, j2;
        uint64_t ipa, size, ipa2, size2;

        region_at(c, vm, n, &what, &j, &ipa, &size);
        if (size == 0)
            continue;
        for (size_t m = 0; m < n; m++) {
            region_at(c, vm, m, &what2, &j2, &ipa2, &size2);
            if (overlaps(ipa, size, ipa2, size2))
                error(c, i, "%s[%zu]: ipa " RANGE " overlaps %s[%zu] ipa " RANGE, what, j,
                      RANGE_ARGS(ipa, size), what2, j2, RANGE_ARGS(ipa2, size2));
        }
        for (size_t w = 0; w < chip_count; w++) {
            if (overlaps(ipa, size, chip[w].base, chip[w].size))
                error(c, i, "%s[%zu]: ipa " RANGE " overlaps the emulated %s " RANGE, what, j,
                      RANGE_ARGS(ipa, size), chip[w].name, RANGE_ARGS(chip[w].base, chip[w].size));
        }
    }
}

/* Earlier (VM, device, slot) holding `irq`, searched in config order. */
static bool irq_earlier(const struct cc *c, uint32_t irq, size_t i, size_t j, size_t k, size_t *oi,
                        size_t *oj, size_t *ok)
{
    for (size_t a = 0; a <= i; a++) {
        const struct vm_config *vm = vm_at(c, a);

        for (size_t b = 0; b < devs_count(vm) && (a < i || b <= j); b++) {
            const struct vm_dev_region *d = &vm->devs[b];

            for (size_t s = 0; s < irqs_count(d) && (a < i || b < j || s < k); s++) {
                if (d->irqs[s] == irq) {
                    *oi = a;
                    *oj = b;
                    *ok = s;
                    return true;
                }
            }
        }
    }
    return false;
}

static void check_irqs(struct cc *c, size_t i)
{
    const struct vm_config *vm = vm_at(c, i);
    const struct platform *p = c->plat;

    for (size_t j = 0; j < devs_count(vm); j++) {
        const struct vm_dev_region *d = &vm->devs[j];

        if (!d->irqs && d->irqs_count)
            error(c, i, "devs[%zu].irqs: irqs_count is %zu but irqs is NULL", j, d->irqs_count);
        for (size_t k = 0; k < irqs_count(d); k++) {
            uint32_t irq = d->irqs[k];
            size_t oi, oj, ok;

            if (irq == 0 && first_passthrough_irq(p) == 1) {
                error(c, i, "devs[%zu].irqs[%zu]: interrupt source 0 does not exist", j, k);
                continue;
            }
            if (irq < first_passthrough_irq(p)) {
                error(c, i, "devs[%zu].irqs[%zu]: interrupt %" PRIu32 " is an SGI/PPI (< 32), which cannot be passed through",
                      j, k, irq);
                continue;
            }
            if (irq >= p->irqchip.irq_count) {
                error(c, i, "devs[%zu].irqs[%zu]: interrupt %" PRIu32 " does not exist (irq_count is %" PRIu32 ")",
                      j, k, irq, p->irqchip.irq_count);
                continue;
            }
            if (irq_earlier(c, irq, i, j, k, &oi, &oj, &ok))
                error(c, i, "devs[%zu].irqs[%zu]: interrupt %" PRIu32 " already given to VM '%s' (#%zu) devs[%zu].irqs[%zu]",
                      j, k, irq, vm_name(c, oi), oi, oj, ok);
            if (irq == p->console.irq)
                error(c, i, "devs[%zu].irqs[%zu]: interrupt %" PRIu32 " is the console UART's, which Baohu owns",
                      j, k, irq);
        }
    }
}

/* The virtual UART: one aligned page (its overlaps: check_ipa_space) and
 * an interrupt of its own the VM's interrupt controller can deliver. */
static void check_vuart(struct cc *c, size_t i)
{
    const struct vm_config *vm = vm_at(c, i);
    const struct platform *p = c->plat;
    uint32_t irq = vm->vuart.irq;

    if (!vm->vuart.ipa)
        return;
    if (!aligned(vm->vuart.ipa, 0x1000))
        error(c, i, "vuart.ipa: " HEX " is not 4 KiB aligned", vm->vuart.ipa);
    if (irq < first_passthrough_irq(p) || irq >= p->irqchip.irq_count) {
        error(c, i, "vuart.irq: interrupt %" PRIu32 " is not one a device can raise (%" PRIu32 " to %" PRIu32 ")",
              irq, first_passthrough_irq(p), p->irqchip.irq_count - 1);
        return;
    }
    for (size_t j = 0; j < devs_count(vm); j++)
        for (size_t k = 0; k < irqs_count(&vm->devs[j]); k++)
            if (vm->devs[j].irqs[k] == irq)
                error(c, i, "vuart.irq: interrupt %" PRIu32 " is also devs[%zu].irqs[%zu]", irq, j, k);
    for (size_t j = 0; j < ipcs_count(vm); j++)
        if (vm->ipcs[j].doorbell_irq == irq)
            error(c, i, "vuart.irq: interrupt %" PRIu32 " is also ipcs[%zu].doorbell_irq", irq, j);
}

/* Image k of a VM: 0 is `image`, then `extra_images`. */
static size_t images_count(const struct vm_config *vm)
{
    return 1 + (vm->extra_images ? vm->extra_images_count : 0);
}

static const struct vm_image *image_at(const struct vm_config *vm, size_t k)
{
    return k == 0 ? &vm->image : &vm->extra_images[k - 1];
}

/* "image" or "extra_images[n]", for messages. */
static const char *image_label(size_t k, char *buf, size_t len)
{
    if (k == 0)
        return "image";
    (void)snprintf(buf, len, "extra_images[%zu]", k - 1);
    return buf;
}

/* The bytes an image copies: 0 when it is malformed (reported by check_image). */
static uint64_t image_size(const struct vm_image *im)
{
    if (im->kind == VM_IMAGE_EMBEDDED)
        return im->start && im->end && (uintptr_t)im->end >= (uintptr_t)im->start
                   ? (uint64_t)((uintptr_t)im->end - (uintptr_t)im->start)
                   : 0;
    return im->kind == VM_IMAGE_PRELOADED ? im->size : 0;
}

static void check_image(struct cc *c, size_t i, size_t k)
{
    const struct vm_config *vm = vm_at(c, i);
    const struct vm_image *im = image_at(vm, k);
    const struct platform *p = c->plat;
    uint64_t size = image_size(im);
    char buf[32];
    const char *what = image_label(k, buf, sizeof buf);
    long r;

    switch (im->kind) {
    case VM_IMAGE_EMBEDDED:
        if (!im->start || !im->end || (uintptr_t)im->end < (uintptr_t)im->start)
            error(c, i, "%s: embedded image start/end not set", what);
        else if (size == 0)
            error(c, i, "%s: embedded image is empty", what);
        break;
    case VM_IMAGE_PRELOADED:
        if (size == 0)
            error(c, i, "%s: preloaded size is 0", what);
        if (!aligned(im->pa, CC_PAGE))
            error(c, i, "%s: preloaded pa " HEX " not 4 KiB aligned", what, im->pa);
        if (size != 0 && !in_ram(p, im->pa, size))
            error(c, i, "%s: preloaded pa " RANGE " not inside platform RAM", what, RANGE_ARGS(im->pa, size));
        else if (size != 0 && overlaps(im->pa, size, p->hyp_reserved.base, p->hyp_reserved.size))
            error(c, i, "%s: preloaded pa " RANGE " overlaps Baohu's reserved memory " RANGE, what,
                  RANGE_ARGS(im->pa, size), RANGE_ARGS(p->hyp_reserved.base, p->hyp_reserved.size));
        break;
    default:
        error(c, i, "%s: unknown kind %d", what, (int)im->kind);
        return;
    }

    r = mem_holding(vm, im->ipa);
    if (r < 0) {
        error(c, i, "%s: ipa " HEX " not inside any of the VM's memory regions", what, im->ipa);
        return;
    }
    const struct vm_mem_region *m = &vm->mem[r];
    uint64_t room = m->size - (im->ipa - m->ipa);
    if (size > room)
        error(c, i, "%s: " HEX " bytes at ipa " HEX " do not fit in mem[%ld] ipa " RANGE " (" HEX " bytes left)",
              what, size, im->ipa, r, RANGE_ARGS(m->ipa, m->size), room);
}

/* Every image of VM i, and that none overlaps another where it is copied
 * to (this VM's IPA) or from (the pages a loader filled, of any VM). */
static void check_images(struct cc *c, size_t i)
{
    const struct vm_config *vm = vm_at(c, i);
    char buf[32], obuf[32];

    if (!vm->extra_images && vm->extra_images_count)
        error(c, i, "extra_images: extra_images_count is %zu but extra_images is NULL",
              vm->extra_images_count);
    if (vm->extra_images && vm->extra_images_count > VM_EXTRA_IMAGES_MAX) {
        error(c, i, "extra_images: %zu images, at most %d", vm->extra_images_count, VM_EXTRA_IMAGES_MAX);
        return;
    }
    for (size_t k = 0; k < images_count(vm); k++) {
        const struct vm_image *im = image_at(vm, k);
        uint64_t size = image_size(im);

        check_image(c, i, k);
        for (size_t l = 0; l < k; l++) {
            const struct vm_image *o = image_at(vm, l);
            if (size != 0 && overlaps(im->ipa, size, o->ipa, image_size(o)))
                error(c, i, "%s: ipa " RANGE " overlaps %s ipa " RANGE, image_label(k, buf, sizeof buf),
                      RANGE_ARGS(im->ipa, size), image_label(l, obuf, sizeof obuf),
                      RANGE_ARGS(o->ipa, image_size(o)));
        }
        if (im->kind != VM_IMAGE_PRELOADED || size == 0)
            continue;
        for (size_t j = 0; j <= i; j++) {
            const struct vm_config *other = vm_at(c, j);
            size_t end = j == i ? k : images_count(other);
            for (size_t l = 0; l < end; l++) {
                const struct vm_image *o = image_at(other, l);
                if (o->kind == VM_IMAGE_PRELOADED &&
                    overlaps(im->pa, ALIGN_UP_CC(size), o->pa, ALIGN_UP_CC(image_size(o))))
                    error(c, i, "%s: preloaded pa " RANGE " overlaps VM '%s' (#%zu) %s pa " RANGE,
                          image_label(k, buf, sizeof buf), RANGE_ARGS(im->pa, size), vm_name(c, j), j,
                          image_label(l, obuf, sizeof obuf), RANGE_ARGS(o->pa, image_size(o)));
            }
        }
    }
}

static void check_entry(struct cc *c, size_t i)
{
    const struct vm_config *vm = vm_at(c, i);

    if (mem_holding(vm, vm->entry) < 0)
        error(c, i, "entry: " HEX " not inside any of the VM's memory regions", vm->entry);
    /* A64 instructions are word aligned; a misaligned PC faults at once. */
    if (!aligned(vm->entry, 4))
        error(c, i, "entry: " HEX " not 4-byte aligned", vm->entry);
    if (vm->dtb_ipa != 0 && mem_holding(vm, vm->dtb_ipa) < 0)
        error(c, i, "dtb_ipa: " HEX " not inside any of the VM's memory regions", vm->dtb_ipa);
    /* Linux's arm64 boot protocol wants the DTB on an 8-byte boundary. */
    if (vm->dtb_ipa != 0 && !aligned(vm->dtb_ipa, 8))
        warning(c, i, "dtb_ipa: " HEX " not 8-byte aligned (Linux requires it)", vm->dtb_ipa);
    if (vm->fault_policy != VM_FAULT_INJECT && vm->fault_policy != VM_FAULT_STOP &&
        vm->fault_policy != VM_FAULT_RESET)
        error(c, i, "fault_policy: unknown value %d (VM_FAULT_INJECT, VM_FAULT_STOP or VM_FAULT_RESET)",
              (int)vm->fault_policy);
}

/* ---- whole-config rules */

static uint64_t add_sat(uint64_t a, uint64_t b)
{
    return a + b < a ? UINT64_MAX : a + b;
}

/*
 * Baohu allocates non-fixed memory from RAM that is neither reserved for
 * itself nor given as fixed-pa memory: if the VMs want more, the last VM
 * cannot be built at boot, so this is an error now.
 */
static void check_memory_total(struct cc *c)
{
    const struct platform *p = c->plat;
    uint64_t ram = 0, taken = 0, want = 0, left;

    for (size_t k = 0; k < p->ram_count; k++) {
        const struct platform_range *bank = &p->ram[k];
        uint64_t lo = bank->base > p->hyp_reserved.base ? bank->base : p->hyp_reserved.base;

        ram = add_sat(ram, bank->size);
        if (overlaps(bank->base, bank->size, p->hyp_reserved.base, p->hyp_reserved.size)) {
            uint64_t bank_end = bank->base + bank->size, hyp_end = p->hyp_reserved.base + p->hyp_reserved.size;
            taken = add_sat(taken, (bank_end < hyp_end ? bank_end : hyp_end) - lo);
        }
    }
    for (size_t i = 0; i < c->cfg->vms_count; i++) {
        const struct vm_config *vm = vm_at(c, i);

        for (size_t j = 0; j < mem_count(vm); j++) {
            const struct vm_mem_region *r = &vm->mem[j];

            if (r->pa != 0 && in_ram(p, r->pa, r->size) &&
                !overlaps(r->pa, r->size, p->hyp_reserved.base, p->hyp_reserved.size))
                taken = add_sat(taken, r->size);
        }
    }
    left = ram > taken ? ram - taken : 0;
    for (size_t i = 0; i < c->cfg->vms_count; i++) {
        const struct vm_config *vm = vm_at(c, i);

        for (size_t j = 0; j < mem_count(vm); j++) {
            if (vm->mem[j].pa != 0)
                continue;
            want = add_sat(want, vm->mem[j].size);
            if (want > left) {
                error(c, i, "mem[%zu]: non-fixed memory of all VMs reaches " HEX " bytes, more than the " HEX " bytes of RAM left (RAM minus Baohu's and fixed-pa memory)",
                      j, want, left);
                return;
            }
        }
    }
}

/* ---- inter-VM communication */

static void check_shmem(struct cc *c)
{
    const struct baohu_config *cfg = c->cfg;
    if (!cfg->shmem && cfg->shmem_count) {
        error(c, CC_NO_VM, "config shmem: shmem_count is %zu but shmem is NULL", cfg->shmem_count);
        return;
    }
    for (size_t s = 0; cfg->shmem && s < cfg->shmem_count; s++) {
        const struct shmem_config *o = &cfg->shmem[s];
        const char *name = o->name ? o->name : "(unnamed)";
        bool used = false;
        if (o->size == 0 || !aligned(o->size, 0x1000))
            error(c, CC_NO_VM, "shmem[%zu] '%s': size " HEX " is zero or not 4 KiB aligned", s, name,
                  o->size);
        if (o->pa && (!aligned(o->pa, 0x1000) || !in_ram(c->plat, o->pa, o->size)))
            error(c, CC_NO_VM, "shmem[%zu] '%s': pa " RANGE " not 4 KiB aligned or not inside RAM", s,
                  name, RANGE_ARGS(o->pa, o->size));
        if (o->pa && overlaps(o->pa, o->size, c->plat->hyp_reserved.base, c->plat->hyp_reserved.size))
            error(c, CC_NO_VM, "shmem[%zu] '%s': pa " RANGE " overlaps Baohu's reserved RAM " RANGE, s,
                  name, RANGE_ARGS(o->pa, o->size),
                  RANGE_ARGS(c->plat->hyp_reserved.base, c->plat->hyp_reserved.size));
        /* A fixed-pa object is RAM of its own: neither another object's
         * nor a VM's fixed-pa memory (found by tests/fuzz/fuzz_config_check.c;
         * at boot the second reservation of those pages would fail). */
        for (size_t t = 0; o->pa && t < s; t++) {
            const struct shmem_config *q = &cfg->shmem[t];
            if (q->pa && overlaps(o->pa, o->size, q->pa, q->size))
                error(c, CC_NO_VM, "shmem[%zu] '%s': pa " RANGE " overlaps shmem[%zu] '%s' pa " RANGE,
                      s, name, RANGE_ARGS(o->pa, o->size), t, q->name ? q->name : "(unnamed)",
                      RANGE_ARGS(q->pa, q->size));
        }
        for (size_t i = 0; o->pa && i < cfg->vms_count; i++)
            for (size_t j = 0; j < mem_count(vm_at(c, i)); j++) {
                const struct vm_mem_region *r = &vm_at(c, i)->mem[j];
                if (r->pa && overlaps(o->pa, o->size, r->pa, r->size))
                    error(c, CC_NO_VM, "shmem[%zu] '%s': pa " RANGE " overlaps VM '%s' (#%zu) mem[%zu] pa " RANGE,
                          s, name, RANGE_ARGS(o->pa, o->size), vm_name(c, i), i, j,
                          RANGE_ARGS(r->pa, r->size));
            }
        for (size_t i = 0; i < cfg->vms_count; i++)
            for (size_t j = 0; j < ipcs_count(vm_at(c, i)); j++)
                used |= vm_at(c, i)->ipcs[j].shmem_id == s;
        if (!used)
            warning(c, CC_NO_VM, "shmem[%zu] '%s': no VM uses it", s, name);
    }
    if (cfg->shmem_count > 16)
        error(c, CC_NO_VM, "config shmem: %zu objects, at most 16", cfg->shmem_count);
}

static void check_ipcs(struct cc *c, size_t i)
{
    const struct vm_config *vm = vm_at(c, i);
    if (!vm->ipcs && vm->ipcs_count) {
        error(c, i, "ipcs: ipcs_count is %zu but ipcs is NULL", vm->ipcs_count);
        return;
    }
    if (ipcs_count(vm) > VM_IPC_MAX)
        error(c, i, "ipcs: %zu entries, at most %d", ipcs_count(vm), VM_IPC_MAX);
    for (size_t j = 0; j < ipcs_count(vm); j++) {
        const struct vm_ipc *ipc = &vm->ipcs[j];
        if (!c->cfg->shmem || ipc->shmem_id >= c->cfg->shmem_count) {
            error(c, i, "ipcs[%zu]: shmem_id %" PRIu32 " does not exist (%zu objects)", j,
                  ipc->shmem_id, c->cfg->shmem ? c->cfg->shmem_count : 0);
            continue;
        }
        if (!aligned(ipc->ipa, 0x1000) || !aligned(ipc->doorbell_ipa, 0x1000))
            error(c, i, "ipcs[%zu]: ipa " HEX " or doorbell_ipa " HEX " not 4 KiB aligned", j,
                  ipc->ipa, ipc->doorbell_ipa);
        for (size_t k = 0; k < j; k++) {
            if (vm->ipcs[k].shmem_id == ipc->shmem_id)
                error(c, i, "ipcs[%zu]: shmem_id %" PRIu32 " already listed as ipcs[%zu]", j,
                      ipc->shmem_id, k);
            if (ipc->doorbell_irq && vm->ipcs[k].doorbell_irq == ipc->doorbell_irq)
                error(c, i, "ipcs[%zu].doorbell_irq: interrupt %" PRIu32 " already used by ipcs[%zu]",
                      j, ipc->doorbell_irq, k);
        }
        uint32_t irq = ipc->doorbell_irq;
        if (!irq)
            continue;
        if (irq < first_passthrough_irq(c->plat) || irq >= c->plat->irqchip.irq_count)
            error(c, i, "ipcs[%zu].doorbell_irq: interrupt %" PRIu32 " is not a device interrupt of this platform's %s (%s %" PRIu32 "..%" PRIu32 ")",
                  j, irq, irqchip_name(c->plat), irqchip_device_irqs(c->plat),
                  first_passthrough_irq(c->plat), c->plat->irqchip.irq_count - 1);
        for (size_t d = 0; d < devs_count(vm); d++)
            for (size_t k = 0; k < irqs_count(&vm->devs[d]); k++)
                if (vm->devs[d].irqs[k] == irq)
                    error(c, i, "ipcs[%zu].doorbell_irq: interrupt %" PRIu32 " is also devs[%zu].irqs[%zu], a physical one",
                          j, irq, d, k);
    }
}

/* ---- cache colouring */

static void check_colours(struct cc *c, size_t i)
{
    const struct vm_config *vm = vm_at(c, i);
    const struct platform *p = c->plat;
    if (!vm->colours)
        return;
    uint32_t n = p->llc.size && p->llc.ways ? p->llc.size / (p->llc.ways * 0x1000u) : 0;
    if (n == 0) {
        error(c, i, "colours: 0x%" PRIx64 " given, but platform '%s' declares no LLC geometry", vm->colours,
              p->name);
        return;
    }
    if (n < 64 && (vm->colours >> n))
        error(c, i, "colours: 0x%" PRIx64 " names colours beyond the platform's %" PRIu32 " (0..%" PRIu32 ")",
              vm->colours, n, n - 1);
    for (size_t o = 0; o < i; o++) {
        uint64_t shared = vm->colours & vm_at(c, o)->colours;
        if (shared)
            warning(c, i, "colours: shares colours 0x%" PRIx64 " with VM '%s' (#%zu): their LLC lines can evict each other",
                    shared, vm_name(c, o), o);
    }
}

/* ---- colouring Baohu itself (docs/config.md, "Colouring Baohu itself") */

/* Whether the colours include an aligned group of 4, 4k..4k+3: the naturally
 * aligned 16 KiB blocks of Baohu's table pool (hyp_colour.h) exist only
 * then. */
static bool has_aligned_quad(uint64_t colours, uint32_t n)
{
    for (uint32_t k = 0; k + 4u <= n && k < 64u; k += 4u)
        if (((colours >> k) & 0xfu) == 0xfu)
            return true;
    return false;
}

/* Memory no colouring applies to (a fixed-pa region, shared memory: docs/config.md,
 * "Cache colouring") has pages of every colour, Baohu's among them. */
static void uncoloured_memory(struct cc *c, bool shared, const char *what, uint64_t hyp)
{
    if (shared)
        warning(c, CC_NO_VM, "config hyp_colours: %s is uncoloured, its pages of Baohu's colours 0x%" PRIx64
                " too, as hyp_colours_shared allows", what, hyp);
    else
        error(c, CC_NO_VM, "config hyp_colours: %s is uncoloured, its pages of Baohu's colours 0x%" PRIx64
              " too (set hyp_colours_shared to allow it)", what, hyp);
}

static void check_hyp_colours_uncoloured_memory(struct cc *c, uint64_t hyp, bool shared)
{
    char what[96];

    for (size_t i = 0; i < c->cfg->vms_count; i++) {
        const struct vm_config *vm = vm_at(c, i);
        for (size_t j = 0; j < mem_count(vm); j++) {
            if (!vm->mem[j].pa)
                continue;
            (void)snprintf(what, sizeof what, "VM '%s' (#%zu) mem[%zu] at fixed pa 0x%" PRIx64, vm_name(c, i), i, j,
                           vm->mem[j].pa);
            uncoloured_memory(c, shared, what, hyp);
        }
    }
    for (size_t k = 0; c->cfg->shmem && k < c->cfg->shmem_count; k++) {
        const char *name = c->cfg->shmem[k].name;
        (void)snprintf(what, sizeof what, "shmem[%zu] '%s'", k, name ? name : "(unnamed)");
        uncoloured_memory(c, shared, what, hyp);
    }
}

static void check_hyp_colours(struct cc *c)
{
    const struct platform *p = c->plat;
    uint64_t hyp = c->cfg->hyp_colours;
    bool shared = c->cfg->hyp_colours_shared;
    uint32_t n = p->llc.size && p->llc.ways ? p->llc.size / (p->llc.ways * 0x1000u) : 0;

    if (!hyp) {
        if (shared)
            warning(c, CC_NO_VM, "config hyp_colours: hyp_colours_shared set, but Baohu is uncoloured (hyp_colours 0)");
        return;
    }
    if (n == 0) {
        error(c, CC_NO_VM, "config hyp_colours: 0x%" PRIx64 " given, but platform '%s' declares no LLC geometry",
              hyp, p->name);
        return;
    }
    if (n < 64 && (hyp >> n)) {
        error(c, CC_NO_VM, "config hyp_colours: 0x%" PRIx64 " names colours beyond the platform's %" PRIu32
              " (0..%" PRIu32 ")", hyp, n, n - 1);
        return;
    }
    /* A G-stage root (Sv39x4, priv. §9.5.1) and the SMMU's stream table
     * (IHI 0070 §6.3.23) are 16 KiB blocks aligned to their size. */
    bool riscv = p->irqchip.kind == IRQCHIP_PLIC || p->irqchip.kind == IRQCHIP_AIA;
    if ((riscv || p->iommu.base) && !has_aligned_quad(hyp, n))
        error(c, CC_NO_VM, "config hyp_colours: 0x%" PRIx64 " has no 4 adjacent colours 4k..4k+3, which %s needs "
              "(16 KiB aligned tables)", hyp, riscv ? "a G-stage root" : "the SMMU stream table");
    for (size_t i = 0; i < c->cfg->vms_count; i++) {
        uint64_t vm = vm_at(c, i)->colours;
        if (vm && !(vm & hyp))
            continue;
        if (shared)
            warning(c, CC_NO_VM, "config hyp_colours: VM '%s' (#%zu) %s 0x%" PRIx64 ", as hyp_colours_shared allows: "
                    "their LLC lines can evict each other", vm_name(c, i), i,
                    vm ? "shares Baohu's colours" : "is uncoloured, its pages of any colour, Baohu's", vm ? vm & hyp : hyp);
        else
            error(c, CC_NO_VM, "config hyp_colours: VM '%s' (#%zu) %s 0x%" PRIx64 " (set hyp_colours_shared to allow it)",
                  vm_name(c, i), i, vm ? "shares Baohu's colours" : "is uncoloured, its pages of any colour, Baohu's",
                  vm ? vm & hyp : hyp);
    }
    check_hyp_colours_uncoloured_memory(c, hyp, shared);
}

/* ---- firmware calls forwarded (Arm SMCCC, DEN 0028 §2.5) */

static void check_smc_forward(struct cc *c, size_t i)
{
    const struct vm_config *vm = vm_at(c, i);
    size_t n = vm->smc_forward ? vm->smc_forward_count : 0;
    if (vm->smc_forward_count && !vm->smc_forward) {
        error(c, i, "smc_forward: smc_forward_count is %zu but smc_forward is NULL", vm->smc_forward_count);
        return;
    }
    if (n && c->plat->irqchip.kind != IRQCHIP_GICV2 && c->plat->irqchip.kind != IRQCHIP_GICV3) {
        error(c, i, "smc_forward: SMCCC calls exist on Arm platforms only, not on '%s'", c->plat->name);
        return;
    }
    for (size_t j = 0; j < n; j++) {
        uint32_t fid = vm->smc_forward[j], owner = (fid >> 24) & 0x3f;
        if (!(fid & (1u << 31)))
            error(c, i, "smc_forward[%zu]: 0x%08" PRIx32 " is a yielding call (bit 31 clear); only fast calls are forwarded",
                  j, fid);
        else if (owner != 2 && owner != 3)
            error(c, i, "smc_forward[%zu]: 0x%08" PRIx32 " belongs to owner %" PRIu32 ", not SiP (2) or OEM (3)", j,
                  fid, owner);
        else if (fid & 0x00fe0000u)
            error(c, i, "smc_forward[%zu]: 0x%08" PRIx32 " has bits [23:17] set, which must be zero", j, fid);
        for (size_t k = 0; k < j; k++)
            if (vm->smc_forward[k] == fid)
                error(c, i, "smc_forward[%zu]: 0x%08" PRIx32 " already listed as smc_forward[%zu]", j, fid, k);
    }
}

/* ---- hardware counters (RISC-V hcounteren) */

static void check_counters(struct cc *c, size_t i)
{
    const struct vm_config *vm = vm_at(c, i);
    const struct platform *p = c->plat;
    if (!vm->counters)
        return;
    if (vm->counters & ~VM_COUNTERS_ALL)
        error(c, i, "counters: 0x%" PRIx32 " has bits 0x%" PRIx32 " that name no counter (VM_COUNTER_CYCLE, VM_COUNTER_INSTRET)",
              vm->counters, vm->counters & ~VM_COUNTERS_ALL);
    else if (p->irqchip.kind != IRQCHIP_PLIC && p->irqchip.kind != IRQCHIP_AIA)
        error(c, i, "counters: 0x%" PRIx32 " given, but platform '%s' is not RISC-V (no hcounteren)", vm->counters,
              p->name);
}

/* ---- management and watchdog */

/* The watchdog's period: at least 10 ms (well above Baohu's timer
 * resolution and a guest's tick), at most an hour. */
#define WATCHDOG_MS_MIN 10u
#define WATCHDOG_MS_MAX 3600000u

static void check_manager(struct cc *c, size_t i)
{
    if (!vm_at(c, i)->manager)
        return;
    for (size_t j = 0; j < i; j++)
        if (vm_at(c, j)->manager) {
            error(c, i, "manager: VM '%s' (#%zu) is the manager already; at most one VM may be", vm_name(c, j),
                  j);
            return;
        }
}

static void check_watchdog(struct cc *c, size_t i)
{
    const struct vm_config *vm = vm_at(c, i);
    if (vm->watchdog_ms && (vm->watchdog_ms < WATCHDOG_MS_MIN || vm->watchdog_ms > WATCHDOG_MS_MAX))
        error(c, i, "watchdog_ms: %" PRIu32 " is outside %u..%u", vm->watchdog_ms, WATCHDOG_MS_MIN,
              WATCHDOG_MS_MAX);
}

size_t config_check(const struct platform *plat, const struct baohu_config *cfg, struct config_issue *out,
                    size_t max)
{
    struct cc c = {.plat = plat, .cfg = cfg, .out = out, .max = out ? max : 0, .count = 0};

    if (!cfg->vms || cfg->vms_count == 0) {
        error(&c, CC_NO_VM, "config vms: no VMs (vms_count is %zu)", cfg->vms_count);
        return c.count;
    }
    for (size_t i = 0; i < cfg->vms_count; i++) {
        check_name(&c, i);
        check_cpus(&c, i);
        check_mem(&c, i);
        check_devs(&c, i);
        check_dma(&c, i);
        check_ipa_space(&c, i);
        check_irqs(&c, i);
        check_vuart(&c, i);
        check_images(&c, i);
        check_entry(&c, i);
        check_ipcs(&c, i);
        check_colours(&c, i);
        check_smc_forward(&c, i);
        check_counters(&c, i);
        check_manager(&c, i);
        check_watchdog(&c, i);
    }
    check_shmem(&c);
    check_memory_total(&c);
    check_hyp_colours(&c);
    return c.count;
}
