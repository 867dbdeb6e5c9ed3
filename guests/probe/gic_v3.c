/* GICv3 for the probe: distributor, this CPU's redistributor, ICC_* system registers. */
#include "hw.h"
#include "probe.h"

#define GICD 0x08000000UL
#define GICR 0x080A0000UL
#define RD_STRIDE 0x20000UL      /* RD_base + SGI_base frames (GICv3 §12.10) */
#define SGI_FRAME 0x10000UL

#define GICD_CTLR 0x0000
#define CTLR_GRP1 (1u << 1)
#define CTLR_ARE (1u << 4)
#define CTLR_RWP (1u << 31)
#define GICR_TYPER 0x0008
#define TYPER_VLPIS (1ull << 1)
#define TYPER_LAST (1ull << 4)
#define GICR_WAKER 0x0014
#define WAKER_SLEEP (1u << 1)
#define WAKER_ASLEEP (1u << 2)
#define GICR_IGROUPR0 0x0080
#define GICR_ISENABLER0 0x0100
#define GICR_IPRIORITYR 0x0400

static uintptr_t redist[4];

const char *gic_name(void) { return "GICv3"; }

static void wait_bit_clear(uintptr_t reg, uint32_t bit)
{
	while (rd32(reg) & bit)
		relax();
}

void gic_dist_init(void)
{
	wr32(GICD + GICD_CTLR, 0);
	wait_bit_clear(GICD + GICD_CTLR, CTLR_RWP);
	wr32(GICD + GICD_CTLR, CTLR_ARE);
	wait_bit_clear(GICD + GICD_CTLR, CTLR_RWP);
	wr32(GICD + GICD_CTLR, CTLR_ARE | CTLR_GRP1);
	wait_bit_clear(GICD + GICD_CTLR, CTLR_RWP);
}

void gic_cpu_init(unsigned cpu)
{
	uint64_t mpidr = SYSREG_GET(mpidr_el1);
	uint32_t aff = (uint32_t)(((mpidr >> 8) & 0xff000000u) | (mpidr & 0xffffffu));
	uintptr_t rd = GICR;

	/* The redistributor whose GICR_TYPER affinity (bits 63:32) is ours. */
	for (;;) {
		uint64_t typer = rd64(rd + GICR_TYPER);
		if ((uint32_t)(typer >> 32) == aff)
			break;
		if (typer & TYPER_LAST) {
			say("probe: no redistributor for cpu %u\n", cpu);
			for (;;)
				relax();
		}
		rd += (typer & TYPER_VLPIS) ? 2 * RD_STRIDE : RD_STRIDE;
	}
	redist[cpu] = rd;
	wr32(rd + GICR_WAKER, rd32(rd + GICR_WAKER) & ~WAKER_SLEEP);
	wait_bit_clear(rd + GICR_WAKER, WAKER_ASLEEP);
	/* SGIs and PPIs in Group 1 at one middle priority; enabled one by one later. */
	wr32(rd + SGI_FRAME + GICR_IGROUPR0, ~0u);
	for (unsigned n = 0; n < 32; n += 4)
		wr32(rd + SGI_FRAME + GICR_IPRIORITYR + n, 0x80808080u);

	SYSREG_SET(icc_sre_el1, SYSREG_GET(icc_sre_el1) | 1);
	isb();
	SYSREG_SET(icc_pmr_el1, 0xff);
	SYSREG_SET(icc_bpr1_el1, 0);
	SYSREG_SET(icc_igrpen1_el1, 1);
	isb();
}

void gic_enable(unsigned cpu, unsigned intid)
{
	wr32(redist[cpu] + SGI_FRAME + GICR_ISENABLER0, 1u << intid);
	dsb();
}

uint32_t gic_ack(void)
{
	uint32_t iar = (uint32_t)SYSREG_GET(icc_iar1_el1);
	dsb();
	return iar;
}

uint32_t gic_intid(uint32_t iar) { return iar & 0xffffffu; }

void gic_eoi(uint32_t iar)
{
	SYSREG_SET(icc_eoir1_el1, iar);
	isb();
}

uint64_t gic_sgi_timed(unsigned cpu, unsigned intid)
{
	/* ICC_SGI1R_EL1 (GICv3 §12.2.22): INTID [27:24], RS [47:44], TargetList [15:0];
	 * our CPUs have Aff3..1 = 0. */
	uint64_t v = ((uint64_t)(cpu >> 4) << 44) | ((uint64_t)intid << 24) | (1u << (cpu & 15));
	uint64_t t;

	__asm__ __volatile__("isb\n\t"
			     "mrs %0, cntvct_el0\n\t"
			     "msr icc_sgi1r_el1, %1\n\t"
			     "isb"
			     : "=&r"(t)
			     : "r"(v)
			     : "memory");
	return t;
}
