/* GICv2 driver: the distributor (INTIDs 0-31 banked per CPU) and the memory-mapped CPU interface. */
#include "arch.h"
#include "guest.h"

/* The platform's addresses (GUEST_PLATFORM_DEFS in its platform.mk). */
#if !defined(GUEST_GICD_BASE) || !defined(GUEST_GICC_BASE)
#error "a GICv2 platform defines GUEST_GICD_BASE and GUEST_GICC_BASE"
#endif

/* Distributor (IHI 0048B §4.1.2). */
#define GICD_CTLR 0x000
#define GICD_TYPER 0x004
#define GICD_IGROUPR 0x080
#define GICD_ISENABLER 0x100
#define GICD_ICENABLER 0x180
#define GICD_ISPENDR 0x200
#define GICD_ICPENDR 0x280
#define GICD_IPRIORITYR 0x400
#define GICD_ITARGETSR 0x800
#define GICD_SGIR 0xf00
#define GICD_CTLR_ENABLE_GRP0 1u

/* CPU interface (§4.1.3): under Baohu the virtual one, at the same address. */
#define GICC_CTLR 0x00
#define GICC_PMR 0x04
#define GICC_BPR 0x08
#define GICC_IAR 0x0c
#define GICC_EOIR 0x10
#define GICC_CTLR_ENABLE_GRP0 1u /* EOImode 0: the EOI also deactivates */
#define GICC_IAR_INTID 0x3ffu

#define PRIO_DEFAULT 0x80

struct vcpu vcpus[MAX_VCPUS];
/* Each vCPU's last acknowledge: an SGI's EOI must repeat its source CPU (§4.4.5). */
static uint32_t last_iar[MAX_VCPUS];

static uintptr_t gicd(unsigned off) { return GUEST_GICD_BASE + off; }
static uintptr_t gicc(unsigned off) { return GUEST_GICC_BASE + off; }

/* Every interrupt in Group 0, signalled as IRQ (GICC_CTLR.FIQEn = 0). */
void gic_dist_init(void)
{
	uint32_t lines = ((mmio_r32(gicd(GICD_TYPER)) & 0x1f) + 1) * 32;
	unsigned n;

	mmio_w32(gicd(GICD_CTLR), 0);
	for (n = 1; n < lines / 32; n++)
		mmio_w32(gicd(GICD_IGROUPR + 4 * n), 0);
	mmio_w32(gicd(GICD_CTLR), GICD_CTLR_ENABLE_GRP0);
}

void gic_cpu_init(unsigned k)
{
	unsigned n;

	(void)k; /* the banked registers are the calling vCPU's */
	mmio_w32(gicd(GICD_ICENABLER), ~0u);
	mmio_w32(gicd(GICD_ICPENDR), ~0u);
	mmio_w32(gicd(GICD_IGROUPR), 0);
	for (n = 0; n < 32; n += 4)
		mmio_w32(gicd(GICD_IPRIORITYR + n), PRIO_DEFAULT * 0x01010101u);
	mmio_w32(gicc(GICC_PMR), 0xff);
	mmio_w32(gicc(GICC_BPR), 0);
	mmio_w32(gicc(GICC_CTLR), GICC_CTLR_ENABLE_GRP0);
	isb();
}

/* Word read-modify-write: the register is byte-accessible, a word access works everywhere. */
static void set_priority(unsigned intid, uint8_t prio)
{
	uintptr_t reg = gicd(GICD_IPRIORITYR + (intid & ~3u));
	unsigned shift = (intid & 3) * 8;

	mmio_w32(reg, (mmio_r32(reg) & ~(0xffu << shift)) | ((uint32_t)prio << shift));
}

void gic_set_priority(unsigned k, unsigned intid, uint8_t prio)
{
	(void)k;
	set_priority(intid, prio);
}

void gic_enable(unsigned k, unsigned intid)
{
	(void)k;
	mmio_w32(gicd(GICD_ISENABLER + 4 * (intid / 32)), 1u << (intid % 32));
}

void gic_spi_enable(unsigned intid, uint8_t prio)
{
	set_priority(intid, prio);
	mmio_w32(gicd(GICD_ISENABLER + 4 * (intid / 32)), 1u << (intid % 32));
}

/* GICD_ITARGETSR<n> (§4.3.12): one byte per INTID, bit k = CPU interface k (our vCPU k). */
void gic_spi_route(unsigned intid, unsigned vcpu)
{
	mmio_w8(gicd(GICD_ITARGETSR + intid), (uint8_t)(1u << vcpu));
}

void gic_dist_w32(unsigned off, uint32_t value)
{
	mmio_w32(gicd(off), value);
}

uint32_t gic_pending(unsigned k)
{
	(void)k;
	return mmio_r32(gicd(GICD_ISPENDR));
}

/* GICD_SGIR (§4.3.15): TargetListFilter 0, CPUTargetList bit = vCPU number. */
void gic_send_sgi(unsigned target, unsigned intid)
{
	dsb(); /* what the SGI announces is visible before it */
	mmio_w32(gicd(GICD_SGIR), (1u << (16 + target)) | (intid & 0xf));
}

uint32_t gic_ack(void)
{
	uint32_t iar = mmio_r32(gicc(GICC_IAR));

	last_iar[cpu_id() % MAX_VCPUS] = iar;
	dsb(); /* order the acknowledge before the handler's accesses */
	return iar & GICC_IAR_INTID;
}

void gic_eoi(uint32_t intid)
{
	uint32_t iar = last_iar[cpu_id() % MAX_VCPUS];

	mmio_w32(gicc(GICC_EOIR), (iar & GICC_IAR_INTID) == intid ? iar : intid);
	isb();
}
