/* The physical GICv2 (GIC-400): distributor and memory-mapped CPU interface as Baohu drives them. */
#include "arch.h"
#include "gic.h"
#include "spinlock.h"
#include "platform.h"
#include "sysreg.h"

/* Distributor (IHI 0048B §4.1.2 "Distributor register map"). */
#define GICD_CTLR 0x000
#define GICD_TYPER 0x004
#define GICD_IGROUPR 0x080
#define GICD_ISENABLER 0x100
#define GICD_ICENABLER 0x180
#define GICD_ISPENDR 0x200
#define GICD_ICPENDR 0x280
#define GICD_ISACTIVER 0x300
#define GICD_ICACTIVER 0x380
#define GICD_IPRIORITYR 0x400
#define GICD_ICFGR 0xc00
#define GICD_ITARGETSR 0x800
#define GICD_SGIR 0xf00
#define GICD_CTLR_ENABLE 0x3 /* EnableGrp0 | EnableGrp1 (NS view: bit 0 = EnableGrp1) */

/* CPU interface (§4.1.3 "CPU interface register map"). */
#define GICC_CTLR 0x0000
#define GICC_PMR 0x0004
#define GICC_BPR 0x0008
#define GICC_IAR 0x000c
#define GICC_EOIR 0x0010
#define GICC_DIR 0x1000
/* GICC_CTLR (§4.4.1): EnableGrp0 (the Non-secure view's EnableGrp1) and
 * EOImode (EOImodeS without Security Extensions, the NS view's EOImodeNS):
 * GICC_EOIR only drops the priority, GICC_DIR deactivates. */
#define GICC_CTLR_ENABLE (1u << 0)
#define GICC_CTLR_EOIMODE (1u << 9)
#define GICC_IAR_INTID 0x3ffu
#define GICC_IAR_CPUID (7u << 10) /* an SGI's source CPU, needed again at EOI/DIR */

/* Virtual interface control, banked per CPU (§5.3.1 GICH_HCR.En). */
#define GICH_HCR 0x000
#define GICH_HCR_EN 1u

#define GIC_DEFAULT_PRIO 0xa0

/* GICD_ITARGETSR CPU interface bit of each pCPU (its interface number),
 * learnt on that CPU; 0 until then. */
static uint8_t cpu_if_mask[PLATFORM_MAX_CPUS];
/* The last GICC_IAR value of each SGI on each pCPU: EOI and DIR of an SGI
 * must name its source CPU as the acknowledge returned it (§4.4.5). */
static uint16_t sgi_iar[PLATFORM_MAX_CPUS][16];
static uint32_t gic_lines;

static inline volatile uint8_t *gicd(void)
{
    return (volatile uint8_t *)(uintptr_t)platform.irqchip.gicd;
}

static inline volatile uint8_t *gicc(void)
{
    return (volatile uint8_t *)(uintptr_t)platform.irqchip.gicc;
}

static inline uint32_t rd32(volatile uint8_t *base, uint32_t off)
{
    return *(volatile uint32_t *)(base + off);
}

static inline void wr32(volatile uint8_t *base, uint32_t off, uint32_t v)
{
    *(volatile uint32_t *)(base + off) = v;
}

/* GICD_ITARGETSR0-7 are banked: each byte reads as the reading CPU's own
 * interface bit (§4.3.12), whatever its MPIDR says. */
static uint8_t own_if_mask(void)
{
    for (uint32_t off = 0; off < 32; off += 4) {
        uint32_t v = rd32(gicd(), GICD_ITARGETSR + off);
        for (unsigned b = 0; b < 4; b++)
            if ((v >> (8 * b)) & 0xff)
                return (uint8_t)(v >> (8 * b));
    }
    return 0;
}

static uint8_t if_mask_of(cpuid_t cpu)
{
    if (cpu >= PLATFORM_MAX_CPUS)
        return 0;
    /* Not known yet (that CPU has not initialised its interface): the
     * interface number is the CPU's position in the cluster on every
     * GIC-400 system Baohu knows. */
    return cpu_if_mask[cpu] ? cpu_if_mask[cpu] : (uint8_t)(1u << cpu);
}

void gic_init(void)
{
    volatile uint8_t *d = gicd();
    wr32(d, GICD_CTLR, 0);

    /* GICD_TYPER.ITLinesNumber: 32 * (N + 1) interrupt lines, at most 1020. */
    gic_lines = 32 * ((rd32(d, GICD_TYPER) & 0x1f) + 1);
    if (gic_lines > 1020)
        gic_lines = 1020;
    if (platform.irqchip.irq_count && platform.irqchip.irq_count < gic_lines)
        gic_lines = platform.irqchip.irq_count;

    cpu_if_mask[arch_cpu_id()] = own_if_mask();
    uint32_t boot = if_mask_of(arch_cpu_id());
    for (uint32_t i = 32; i < gic_lines; i += 32) {
        wr32(d, GICD_ICENABLER + i / 8, ~0u);
        wr32(d, GICD_ICPENDR + i / 8, ~0u);
        wr32(d, GICD_ICACTIVER + i / 8, ~0u);
        /* Group 0: signalled as IRQ without Security Extensions (QEMU,
         * GICC_CTLR.FIQEn 0); under a secure firmware these writes are
         * ignored and its Group 1 is what the Non-secure view enables. */
        wr32(d, GICD_IGROUPR + i / 8, 0);
    }
    for (uint32_t i = 32; i < gic_lines; i += 4) {
        wr32(d, GICD_IPRIORITYR + i, GIC_DEFAULT_PRIO * 0x01010101u);
        wr32(d, GICD_ITARGETSR + i, boot * 0x01010101u);
    }
    wr32(d, GICD_CTLR, GICD_CTLR_ENABLE);
}

void gic_cpu_init(cpuid_t cpu)
{
    volatile uint8_t *d = gicd();
    if (cpu < PLATFORM_MAX_CPUS)
        cpu_if_mask[cpu] = own_if_mask();

    /* The banked INTID 0-31 registers of this CPU. */
    wr32(d, GICD_ICENABLER, ~0u);
    wr32(d, GICD_ICPENDR, ~0u);
    wr32(d, GICD_ICACTIVER, ~0u);
    wr32(d, GICD_IGROUPR, 0);
    for (uint32_t i = 0; i < 32; i += 4)
        wr32(d, GICD_IPRIORITYR + i, GIC_DEFAULT_PRIO * 0x01010101u);
    wr32(d, GICD_ISENABLER, gic_private_irqs_enabled());

    volatile uint8_t *c = gicc();
    wr32(c, GICC_PMR, 0xff); /* no priority masking */
    wr32(c, GICC_BPR, 0);
    wr32(c, GICC_CTLR, GICC_CTLR_ENABLE | GICC_CTLR_EOIMODE);
    /* GICH_HCR.En: the virtual CPU interface signals list-register interrupts. */
    wr32((volatile uint8_t *)(uintptr_t)platform.irqchip.gich, GICH_HCR, GICH_HCR_EN);
    dsb(sy);
}

/* The value GICC_EOIR / GICC_DIR need for `intid`: an SGI's with its source CPU. */
static uint32_t iar_value(irqid_t intid)
{
    cpuid_t cpu = arch_cpu_id();
    if (intid < 16 && cpu < PLATFORM_MAX_CPUS)
        return sgi_iar[cpu][intid];
    return intid;
}

irqid_t gic_ack(void)
{
    uint32_t iar = rd32(gicc(), GICC_IAR);
    irqid_t intid = iar & GICC_IAR_INTID;
    cpuid_t cpu = arch_cpu_id();
    if (intid < 16 && cpu < PLATFORM_MAX_CPUS)
        sgi_iar[cpu][intid] = (uint16_t)(iar & (GICC_IAR_INTID | GICC_IAR_CPUID));
    /* The acknowledge must complete before the handler touches the device. */
    dsb(sy);
    return intid;
}

void gic_eoi(irqid_t intid)
{
    wr32(gicc(), GICC_EOIR, iar_value(intid));
    dsb(sy);
}

void gic_deactivate(irqid_t intid)
{
    wr32(gicc(), GICC_DIR, iar_value(intid));
    dsb(sy);
}

void gic_send_sgi(cpuid_t target, irqid_t sgi)
{
    /* GICD_SGIR (§4.3.15): TargetListFilter [25:24] = 0 (the list),
     * CPUTargetList [23:16], SGIINTID [3:0]. */
    uint32_t v = ((uint32_t)if_mask_of(target) << 16) | (sgi & 0xf);
    /* The message the SGI announces must be visible before the SGI is. */
    dsb(ishst);
    wr32(gicd(), GICD_SGIR, v);
    dsb(sy);
}

void gic_irq_enable(irqid_t intid, bool enable)
{
    /* INTIDs 0-31 are banked per CPU at the same offsets (§4.3.5). */
    if (intid < gic_lines || intid < 32)
        wr32(gicd(), (enable ? GICD_ISENABLER : GICD_ICENABLER) + 4 * (intid / 32),
             1u << (intid % 32));
}

void gic_irq_set_priority(irqid_t intid, uint8_t prio)
{
    /* GICD_IPRIORITYR is byte-accessible (§4.3.11). */
    if (intid < gic_lines || intid < 32)
        *(gicd() + GICD_IPRIORITYR + intid) = prio;
}

void gic_spi_route(irqid_t spi, cpuid_t cpu)
{
    /* GICD_ITARGETSR, one byte per SPI (§4.3.12): only this CPU. */
    if (spi < 32 || spi >= gic_lines || cpu >= platform.cpu_count)
        return;
    *(gicd() + GICD_ITARGETSR + spi) = if_mask_of(cpu);
}

void gic_irq_set_pending(irqid_t intid, bool pending)
{
    if (intid < gic_lines || intid < 32)
        wr32(gicd(), (pending ? GICD_ISPENDR : GICD_ICPENDR) + 4 * (intid / 32),
             1u << (intid % 32));
}

bool gic_irq_is_active(irqid_t intid)
{
    if (intid >= gic_lines && intid >= 32)
        return false;
    return rd32(gicd(), GICD_ISACTIVER + 4 * (intid / 32)) & (1u << (intid % 32));
}

/* GICD_ICFGR<n> (IHI 0048B §4.3.13): bit [2i+1] of each 2-bit field set =
 * edge-triggered. Registers are shared by 16 SPIs of possibly different
 * VMs: the read-modify-write holds a lock. Changing the field of an enabled
 * interrupt is UNPREDICTABLE, so the SPI is disabled around the write. */
static spinlock_t icfgr_lock = SPINLOCK_INIT;

void gic_irq_set_edge(irqid_t spi, bool edge)
{
    if (spi < 32 || spi >= gic_lines)
        return;
    uint32_t off = GICD_ICFGR + 4 * (spi / 16), bit = 2u << (2 * (spi % 16));
    uint32_t en = 1u << (spi % 32), en_off = 4 * (spi / 32);
    spin_lock(&icfgr_lock);
    bool enabled = rd32(gicd(), GICD_ISENABLER + en_off) & en;
    if (enabled)
        wr32(gicd(), GICD_ICENABLER + en_off, en);
    uint32_t v = rd32(gicd(), off);
    wr32(gicd(), off, edge ? (v | bit) : (v & ~bit));
    if (enabled)
        wr32(gicd(), GICD_ISENABLER + en_off, en);
    spin_unlock(&icfgr_lock);
}
