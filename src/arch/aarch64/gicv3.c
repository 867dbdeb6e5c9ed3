/* The physical GICv3: distributor, redistributors and the CPU interface as Baohu drives them. */
#include "gic.h"
#include "spinlock.h"
#include "platform.h"
#include "sysreg.h"

/*
 * Register offsets (GICv3 architecture specification, IHI 0069, chapter 12
 * "Programmers' model": GICD_*, GICR_* and the ICC_* system registers).
 */
#define GICD_CTLR 0x0000
#define GICD_TYPER 0x0004
#define GICD_IGROUPR 0x0080
#define GICD_ISENABLER 0x0100
#define GICD_ICENABLER 0x0180
#define GICD_ISPENDR 0x0200
#define GICD_ICPENDR 0x0280
#define GICD_ISACTIVER 0x0300
#define GICD_ICACTIVER 0x0380
#define GICD_IPRIORITYR 0x0400
#define GICD_ICFGR 0x0c00
#define GICD_IROUTER 0x6000

#define GICD_CTLR_EN_GRP0_OR_G1 (1u << 0) /* DS=1: EnableGrp0; NS view: EnableGrp1 */
#define GICD_CTLR_EN_GRP1_OR_G1A (1u << 1) /* DS=1: EnableGrp1; NS view: EnableGrp1A */
#define GICD_CTLR_ARE (1u << 4)
#define GICD_CTLR_RWP (1u << 31)

#define GICR_FRAME_SIZE 0x20000
#define GICR_SGI_OFFSET 0x10000
#define GICR_CTLR 0x0000
#define GICR_TYPER 0x0008
#define GICR_WAKER 0x0014
#define GICR_CTLR_RWP (1u << 3)
#define GICR_TYPER_LAST (1ull << 4)
#define GICR_TYPER_VLPIS (1ull << 1)
#define GICR_WAKER_PROCESSOR_SLEEP (1u << 1)
#define GICR_WAKER_CHILDREN_ASLEEP (1u << 2)
/* SGI frame registers share the distributor's offsets for INTIDs 0-31. */

#define ICC_SRE_SRE (1u << 0)
#define ICC_SRE_ENABLE (1u << 3)
#define ICC_CTLR_EOIMODE (1u << 1)
#define ICH_HCR_EN (1u << 0)

#define GIC_DEFAULT_PRIO 0xa0
#define MPIDR_AFF_MASK 0xff00ffffffull

static volatile uint8_t *rd_base[PLATFORM_MAX_CPUS]; /* RD frame of each pCPU */
static uint32_t gic_lines;                          /* INTIDs the distributor implements */

static inline volatile uint8_t *gicd(void)
{
    return (volatile uint8_t *)(uintptr_t)platform.irqchip.gicd;
}

static inline uint32_t rd32(volatile uint8_t *base, uint32_t off)
{
    return *(volatile uint32_t *)(base + off);
}

static inline void wr32(volatile uint8_t *base, uint32_t off, uint32_t v)
{
    *(volatile uint32_t *)(base + off) = v;
}

static inline uint64_t rd64(volatile uint8_t *base, uint32_t off)
{
    return *(volatile uint64_t *)(base + off);
}

static inline void wr64(volatile uint8_t *base, uint32_t off, uint64_t v)
{
    *(volatile uint64_t *)(base + off) = v;
}

/* The calling CPU's index, from its MPIDR: usable before the core's per-CPU state is. */
static cpuid_t this_cpu(void)
{
    uint64_t mpidr = sysreg_read(mpidr_el1) & MPIDR_AFF_MASK;
    for (cpuid_t c = 0; c < platform.cpu_count; c++)
        if ((platform.cpu_hwid[c] & MPIDR_AFF_MASK) == mpidr)
            return c;
    return 0;
}

/* GICD_CTLR.RWP / GICR_CTLR.RWP: enable and group changes are only
 * guaranteed visible once the register write has been processed. */
static void gicd_wait_rwp(void)
{
    while (rd32(gicd(), GICD_CTLR) & GICD_CTLR_RWP)
        ;
}

static void gicr_wait_rwp(volatile uint8_t *rd)
{
    while (rd32(rd, GICR_CTLR) & GICR_CTLR_RWP)
        ;
}

/* The SGI/PPI registers of the calling CPU (SGI frame of its redistributor). */
static volatile uint8_t *local_sgi_frame(void)
{
    return rd_base[this_cpu()] + GICR_SGI_OFFSET;
}

static void sgi_targets_init(void);

void gic_init(void)
{
    sgi_targets_init();
    volatile uint8_t *d = gicd();

    /* Affinity routing may only change while the groups are disabled
     * (GICD_CTLR.ARE: UNPREDICTABLE otherwise). */
    wr32(d, GICD_CTLR, 0);
    gicd_wait_rwp();
    wr32(d, GICD_CTLR, GICD_CTLR_ARE);
    gicd_wait_rwp();

    /* GICD_TYPER.ITLinesNumber: 32 * (N + 1) INTIDs, at most 1020. */
    gic_lines = 32 * ((rd32(d, GICD_TYPER) & 0x1f) + 1);
    if (gic_lines > 1020)
        gic_lines = 1020;
    if (platform.irqchip.irq_count && platform.irqchip.irq_count < gic_lines)
        gic_lines = platform.irqchip.irq_count;

    uint64_t boot = platform.cpu_hwid[this_cpu()] & MPIDR_AFF_MASK;
    for (uint32_t i = 32; i < gic_lines; i += 32) {
        wr32(d, GICD_ICENABLER + i / 8, ~0u);
        wr32(d, GICD_ICPENDR + i / 8, ~0u);
        wr32(d, GICD_ICACTIVER + i / 8, ~0u);
        /* Group 1 (with GICD_IGRPMODR 0): what ICC_IAR1_EL1 acknowledges. */
        wr32(d, GICD_IGROUPR + i / 8, ~0u);
    }
    for (uint32_t i = 32; i < gic_lines; i++) {
        *(d + GICD_IPRIORITYR + i) = GIC_DEFAULT_PRIO;
        /* GICD_IROUTER<n>: Aff3 in [39:32], Aff2..Aff0 in [23:0] as in MPIDR, IRM = 0. */
        wr64(d, GICD_IROUTER + 8 * i, boot);
    }
    gicd_wait_rwp();

    /* Bits 0 and 1 are Grp0/Grp1 with one security state (DS=1) and
     * Grp1/Grp1A in the Non-secure view of a two-state GIC: setting both
     * enables Group 1 in either case. */
    wr32(d, GICD_CTLR, GICD_CTLR_ARE | GICD_CTLR_EN_GRP0_OR_G1 | GICD_CTLR_EN_GRP1_OR_G1A);
    gicd_wait_rwp();
}

/* GICR_TYPER.Affinity_Value is Aff3.Aff2.Aff1.Aff0 in bits [63:32]. */
static uint32_t mpidr_to_aff32(uint64_t mpidr)
{
    return (uint32_t)(((mpidr >> 8) & 0xff000000u) | (mpidr & 0xffffffu));
}

static volatile uint8_t *find_redistributor(cpuid_t cpu)
{
    uint32_t want = mpidr_to_aff32(platform.cpu_hwid[cpu]);
    volatile uint8_t *rd = (volatile uint8_t *)(uintptr_t)platform.irqchip.gicr;
    for (unsigned i = 0; i < 2 * PLATFORM_MAX_CPUS + 64; i++) {
        uint64_t typer = rd64(rd, GICR_TYPER);
        if ((uint32_t)(typer >> 32) == want)
            return rd;
        if (typer & GICR_TYPER_LAST)
            break;
        /* A GICv4 redistributor with direct virtual LPIs has two more 64 KiB
         * frames (VLPI, reserved) after RD_base and SGI_base (GICv3 §9.1.1,
         * GICR_TYPER.VLPIS). */
        rd += (typer & GICR_TYPER_VLPIS) ? 2 * GICR_FRAME_SIZE : GICR_FRAME_SIZE;
    }
    return NULL;
}

void gic_cpu_init(cpuid_t cpu)
{
    volatile uint8_t *rd = find_redistributor(cpu);
    if (!rd)
        return;
    rd_base[cpu] = rd;

    /* GICR_WAKER: a redistributor starts asleep; wake it and wait until its
     * interface to the CPU is up. */
    wr32(rd, GICR_WAKER, rd32(rd, GICR_WAKER) & ~GICR_WAKER_PROCESSOR_SLEEP);
    while (rd32(rd, GICR_WAKER) & GICR_WAKER_CHILDREN_ASLEEP)
        ;

    volatile uint8_t *sgi = rd + GICR_SGI_OFFSET;
    wr32(sgi, GICD_ICENABLER, ~0u);
    gicr_wait_rwp(rd);
    wr32(sgi, GICD_ICPENDR, ~0u);
    wr32(sgi, GICD_ICACTIVER, ~0u);
    wr32(sgi, GICD_IGROUPR, ~0u);
    for (unsigned i = 0; i < 32; i++)
        *(sgi + GICD_IPRIORITYR + i) = GIC_DEFAULT_PRIO;
    wr32(sgi, GICD_ISENABLER, gic_private_irqs_enabled());
    gicr_wait_rwp(rd);

    /* ICC_SRE_EL2: system-register interface for EL2, and Enable so that EL1
     * may use its (virtual, HCR_EL2.IMO/FMO=1) system-register interface too. */
    sysreg_write(ICC_SRE_EL2, sysreg_read(ICC_SRE_EL2) | ICC_SRE_SRE | ICC_SRE_ENABLE);
    isb();
    sysreg_write(ICC_PMR_EL1, 0xff); /* no priority masking */
    sysreg_write(ICC_BPR1_EL1, 0);
    /* ICC_CTLR_EL1.EOImode=1: ICC_EOIR1_EL1 only drops the priority; the
     * interrupt stays active until ICC_DIR_EL1 or the guest's deactivation
     * through a hardware list register. */
    sysreg_write(ICC_CTLR_EL1, ICC_CTLR_EOIMODE);
    sysreg_write(ICC_IGRPEN1_EL1, 1);
    /* ICH_HCR_EL2.En: the virtual CPU interface signals list-register interrupts. */
    sysreg_write(ICH_HCR_EL2, ICH_HCR_EN);
    isb();
}

irqid_t gic_ack(void)
{
    irqid_t intid = (irqid_t)(sysreg_read(ICC_IAR1_EL1) & 0xffffff);
    /* The acknowledge must complete before the handler touches the device. */
    dsb(sy);
    return intid;
}

void gic_eoi(irqid_t intid)
{
    /* No ISB: nothing at EL2 depends on the priority drop (Baohu runs with
     * interrupts masked), and the ERET back to the guest synchronises it. */
    sysreg_write(ICC_EOIR1_EL1, intid);
}

void gic_deactivate(irqid_t intid)
{
    sysreg_write(ICC_DIR_EL1, intid);
    isb();
}

/* ICC_SGI1R_EL1 target fields of each CPU: TargetList [15:0] selects
 * Aff0 = RS * 16 + bit, Aff1 [23:16], Aff2 [39:32], RS [47:44], Aff3
 * [55:48]. Computed once: an IPI is on every cross-CPU request's path. */
static uint64_t sgi_target[PLATFORM_MAX_CPUS];

static void sgi_targets_init(void)
{
    for (cpuid_t c = 0; c < platform.cpu_count && c < PLATFORM_MAX_CPUS; c++) {
        uint64_t aff = platform.cpu_hwid[c];
        uint64_t aff0 = aff & 0xff;
        sgi_target[c] = (1ull << (aff0 & 0xf)) | (((aff >> 8) & 0xff) << 16) |
                        (((aff >> 16) & 0xff) << 32) | ((aff0 >> 4) << 44) |
                        (((aff >> 32) & 0xff) << 48);
    }
}

void gic_send_sgi(cpuid_t target, irqid_t sgi)
{
    /* The message the SGI announces must be visible before the SGI is. */
    dsb(ishst);
    sysreg_write(ICC_SGI1R_EL1, sgi_target[target] | ((uint64_t)(sgi & 0xf) << 24));
    isb();
}

void gic_irq_enable(irqid_t intid, bool enable)
{
    uint32_t bit = 1u << (intid % 32);
    if (intid < 32) {
        volatile uint8_t *sgi = local_sgi_frame();
        wr32(sgi, enable ? GICD_ISENABLER : GICD_ICENABLER, bit);
        gicr_wait_rwp(sgi - GICR_SGI_OFFSET);
    } else if (intid < gic_lines) {
        wr32(gicd(), (enable ? GICD_ISENABLER : GICD_ICENABLER) + 4 * (intid / 32), bit);
        gicd_wait_rwp();
    }
}

void gic_irq_set_priority(irqid_t intid, uint8_t prio)
{
    /* GICD_IPRIORITYR / GICR_IPRIORITYR are byte-accessible. */
    if (intid < 32)
        *(local_sgi_frame() + GICD_IPRIORITYR + intid) = prio;
    else if (intid < gic_lines)
        *(gicd() + GICD_IPRIORITYR + intid) = prio;
}

void gic_spi_route(irqid_t spi, cpuid_t cpu)
{
    if (spi < 32 || spi >= gic_lines || cpu >= platform.cpu_count)
        return;
    wr64(gicd(), GICD_IROUTER + 8 * spi, platform.cpu_hwid[cpu] & MPIDR_AFF_MASK);
}

void gic_irq_set_pending(irqid_t intid, bool pending)
{
    uint32_t bit = 1u << (intid % 32);
    if (intid < 32)
        wr32(local_sgi_frame(), pending ? GICD_ISPENDR : GICD_ICPENDR, bit);
    else if (intid < gic_lines)
        wr32(gicd(), (pending ? GICD_ISPENDR : GICD_ICPENDR) + 4 * (intid / 32), bit);
}

bool gic_irq_is_active(irqid_t intid)
{
    uint32_t bit = 1u << (intid % 32);
    if (intid < 32)
        return rd32(local_sgi_frame(), GICD_ISACTIVER) & bit;
    if (intid < gic_lines)
        return rd32(gicd(), GICD_ISACTIVER + 4 * (intid / 32)) & bit;
    return false;
}

/* GICD_ICFGR<n> (IHI 0069 §12.9.x): bit [2i+1] of each 2-bit field set =
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
    if (enabled) {
        wr32(gicd(), GICD_ICENABLER + en_off, en);
        gicd_wait_rwp();
    }
    uint32_t v = rd32(gicd(), off);
    wr32(gicd(), off, edge ? (v | bit) : (v & ~bit));
    if (enabled)
        wr32(gicd(), GICD_ISENABLER + en_off, en);
    spin_unlock(&icfgr_lock);
}
