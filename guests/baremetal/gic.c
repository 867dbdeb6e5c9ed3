/* GICv3 driver: distributor, this vCPU's redistributor and the ICC_* CPU interface. */
#include "arch.h"
#include "guest.h"

#define GICD_BASE 0x08000000UL
#define GICR_BASE 0x080A0000UL
#define GICR_SGI 0x10000UL /* SGI_base frame follows RD_base (GICv3 §12.10) */

/* Distributor (GICv3 §12.9). */
#define GICD_CTLR 0x0000
#define GICD_TYPER 0x0004
#define GICD_IGROUPR 0x0080
/* GICD_CTLR single Security state view, DS=1 (GICv3 §12.9.4): EnableGrp1 bit 1, ARE bit 4. */
#define GICD_CTLR_GRP1 (1u << 1)
#define GICD_CTLR_ARE (1u << 4)
#define GICD_CTLR_DS (1u << 6)
#define GICD_CTLR_RWP (1u << 31)

/* Redistributor RD_base and SGI_base registers (GICv3 §12.11). */
#define GICR_CTLR 0x0000
#define GICR_TYPER 0x0008
#define GICR_WAKER 0x0014
#define GICR_IGROUPR0 0x0080
#define GICR_ISENABLER0 0x0100
#define GICR_ICENABLER0 0x0180
#define GICR_ISPENDR0 0x0200
#define GICR_ICPENDR0 0x0280
#define GICR_IPRIORITYR 0x0400
#define GICR_CTLR_RWP (1u << 3)
#define GICR_TYPER_VLPIS (1ull << 1)
#define GICR_TYPER_LAST (1ull << 4)
#define GICR_WAKER_SLEEP (1u << 1)
#define GICR_WAKER_CHILDREN (1u << 2)

#define PRIO_DEFAULT 0x80

struct vcpu vcpus[MAX_VCPUS];

static void wait_clear(uintptr_t reg, uint32_t bit)
{
	while (mmio_r32(reg) & bit)
		cpu_relax();
}

void gic_dist_init(void)
{
	uint32_t ds = mmio_r32(GICD_BASE + GICD_CTLR) & GICD_CTLR_DS;
	uint32_t lines = ((mmio_r32(GICD_BASE + GICD_TYPER) & 0x1f) + 1) * 32;
	unsigned n;

	/* ARE may only change while the groups are disabled (GICD_CTLR, ARE). */
	mmio_w32(GICD_BASE + GICD_CTLR, ds);
	wait_clear(GICD_BASE + GICD_CTLR, GICD_CTLR_RWP);
	/* Every SPI in Group 1; IGROUPR0 (SGIs/PPIs) is banked in the redistributor. */
	for (n = 1; n < lines / 32; n++)
		mmio_w32(GICD_BASE + GICD_IGROUPR + 4 * n, ~0u);
	mmio_w32(GICD_BASE + GICD_CTLR, ds | GICD_CTLR_ARE);
	wait_clear(GICD_BASE + GICD_CTLR, GICD_CTLR_RWP);
	mmio_w32(GICD_BASE + GICD_CTLR, ds | GICD_CTLR_ARE | GICD_CTLR_GRP1);
	wait_clear(GICD_BASE + GICD_CTLR, GICD_CTLR_RWP);
}

/* Walk the redistributor frames for the one whose GICR_TYPER.Affinity (§12.11.37) is ours. */
static uintptr_t find_rd(void)
{
	uint64_t mpidr = sysreg_read(mpidr_el1);
	uint64_t aff = ((mpidr >> 8) & 0xff000000) | (mpidr & 0xffffff);
	uintptr_t rd = GICR_BASE;

	for (;;) {
		uint64_t typer = mmio_r64(rd + GICR_TYPER);

		if ((typer >> 32) == aff)
			return rd;
		if (typer & GICR_TYPER_LAST)
			return 0;
		/* With GICR_TYPER.VLPIS (GICv4) each redistributor spans 4 x 64 KiB frames. */
		rd += (typer & GICR_TYPER_VLPIS) ? 0x40000 : 0x20000;
	}
}

void gic_cpu_init(unsigned k)
{
	uintptr_t rd = find_rd(), sgi = rd + GICR_SGI;
	unsigned n;

	if (!rd) {
		print("vcpu%u: no redistributor\n", k);
		for (;;)
			wfi();
	}
	vcpus[k].rd = rd;
	/* Wake the redistributor (GICR_WAKER): the interface may not be used asleep. */
	mmio_w32(rd + GICR_WAKER, mmio_r32(rd + GICR_WAKER) & ~GICR_WAKER_SLEEP);
	wait_clear(rd + GICR_WAKER, GICR_WAKER_CHILDREN);
	/* All SGIs/PPIs disabled, not pending, Group 1, one default priority. */
	mmio_w32(sgi + GICR_ICENABLER0, ~0u);
	wait_clear(rd + GICR_CTLR, GICR_CTLR_RWP);
	mmio_w32(sgi + GICR_ICPENDR0, ~0u);
	mmio_w32(sgi + GICR_IGROUPR0, ~0u);
	for (n = 0; n < 32; n += 4)
		mmio_w32(sgi + GICR_IPRIORITYR + n, PRIO_DEFAULT * 0x01010101u);

	/* CPU interface (GICv3 §12.2): system registers, Group 1, EOImode 0. */
	sysreg_write(icc_sre_el1, sysreg_read(icc_sre_el1) | 1);
	isb();
	sysreg_write(icc_pmr_el1, 0xff);
	sysreg_write(icc_bpr1_el1, 0);
	sysreg_write(icc_ctlr_el1, sysreg_read(icc_ctlr_el1) & ~2ull);
	sysreg_write(icc_igrpen1_el1, 1);
	isb();
}

/* Word read-modify-write: hypervisors commonly emulate only 32-bit GICR accesses. */
void gic_set_priority(unsigned k, unsigned intid, uint8_t prio)
{
	uintptr_t reg = vcpus[k].rd + GICR_SGI + GICR_IPRIORITYR + (intid & ~3u);
	unsigned shift = (intid & 3) * 8;

	mmio_w32(reg, (mmio_r32(reg) & ~(0xffu << shift)) | ((uint32_t)prio << shift));
}

void gic_enable(unsigned k, unsigned intid)
{
	mmio_w32(vcpus[k].rd + GICR_SGI + GICR_ISENABLER0, 1u << intid);
}

/* SPIs live in the distributor (GICv3 §12.9): priority byte, then the set-enable bit. */
void gic_spi_enable(unsigned intid, uint8_t prio)
{
	uintptr_t reg = GICD_BASE + 0x400 + (intid & ~3u);
	unsigned shift = (intid & 3) * 8;

	mmio_w32(reg, (mmio_r32(reg) & ~(0xffu << shift)) | ((uint32_t)prio << shift));
	mmio_w32(GICD_BASE + 0x100 + (intid / 32) * 4, 1u << (intid % 32));
}

/*
 * GICD_IROUTER<n> (GICv3 §12.9.22), one 64-bit register per SPI at 0x6000 + 8n:
 * IRM = 0 and the target's affinity; our vCPU k is Aff0 = k.
 */
void gic_spi_route(unsigned intid, unsigned vcpu)
{
	mmio_w64(GICD_BASE + 0x6000 + 8 * intid, vcpu);
}

void gic_dist_w32(unsigned off, uint32_t value)
{
	mmio_w32(GICD_BASE + off, value);
}

uint32_t gic_pending(unsigned k)
{
	return mmio_r32(vcpus[k].rd + GICR_SGI + GICR_ISPENDR0);
}

/*
 * ICC_SGI1R_EL1 (GICv3 §12.2.22): INTID in [27:24], Aff1/2/3 = 0 for our vCPUs,
 * and the target as bit (Aff0 % 16) of TargetList with RS = Aff0 / 16.
 */
void gic_send_sgi(unsigned target, unsigned intid)
{
	uint64_t v = ((uint64_t)(target >> 4) << 44) | ((uint64_t)intid << 24) |
		     (1u << (target & 15));

	sysreg_write(icc_sgi1r_el1, v);
	isb();
}

uint32_t gic_ack(void)
{
	uint32_t intid = (uint32_t)sysreg_read(icc_iar1_el1) & 0xffffff;

	dsb(); /* order the acknowledge before the handler's accesses */
	return intid;
}

void gic_eoi(uint32_t intid)
{
	sysreg_write(icc_eoir1_el1, intid);
	isb(); /* the priority drop takes effect before the next acknowledge */
}
