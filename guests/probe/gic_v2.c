/* GICv2 for the probe: distributor (banked SGI/PPI registers) and the memory-mapped CPU interface. */
#include "hw.h"
#include "probe.h"

#ifndef GUEST_GICD_BASE
#define GUEST_GICD_BASE 0x08000000UL
#endif
#ifndef GUEST_GICC_BASE
#define GUEST_GICC_BASE 0x08010000UL
#endif
#define GICD GUEST_GICD_BASE
#define GICC GUEST_GICC_BASE

#define GICD_CTLR 0x000
#define GICD_ISENABLER 0x100
#define GICD_IPRIORITYR 0x400
#define GICD_SGIR 0xf00
#define GICC_CTLR 0x00
#define GICC_PMR 0x04
#define GICC_BPR 0x08
#define GICC_IAR 0x0c
#define GICC_EOIR 0x10

const char *gic_name(void) { return "GICv2"; }

void gic_dist_init(void)
{
	wr32(GICD + GICD_CTLR, 1);
}

void gic_cpu_init(unsigned cpu)
{
	(void)cpu;
	/* Priorities of SGIs/PPIs (banked per CPU), then the CPU interface. */
	for (unsigned n = 0; n < 32; n += 4)
		wr32(GICD + GICD_IPRIORITYR + n, 0x80808080u);
	wr32(GICC + GICC_PMR, 0xff);
	wr32(GICC + GICC_BPR, 0);
	wr32(GICC + GICC_CTLR, 1);
	dsb();
}

void gic_enable(unsigned cpu, unsigned intid)
{
	(void)cpu; /* GICD_ISENABLER0 is banked: the caller's own */
	wr32(GICD + GICD_ISENABLER + 4 * (intid / 32), 1u << (intid % 32));
	dsb();
}

uint32_t gic_ack(void)
{
	uint32_t iar = rd32(GICC + GICC_IAR);
	dsb();
	return iar;
}

/* GICC_IAR: interrupt id [9:0], source CPU [12:10] for SGIs. */
uint32_t gic_intid(uint32_t iar) { return iar & 0x3ffu; }

void gic_eoi(uint32_t iar)
{
	wr32(GICC + GICC_EOIR, iar);
	dsb();
}

uint64_t gic_sgi_timed(unsigned cpu, unsigned intid)
{
	/* GICD_SGIR: TargetListFilter 0, CPUTargetList [23:16], SGIINTID [3:0]. */
	uint32_t v = (1u << (16 + cpu)) | intid;
	uint64_t t;

	__asm__ __volatile__("isb\n\t"
			     "mrs %0, cntvct_el0\n\t"
			     "str %w1, [%2]\n\t"
			     "dsb sy"
			     : "=&r"(t)
			     : "r"(v), "r"(GICD + GICD_SGIR)
			     : "memory");
	return t;
}
