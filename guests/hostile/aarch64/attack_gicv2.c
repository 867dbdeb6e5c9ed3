/* The hostile guest's GICv2 attacks: every width and instruction form on the distributor, the
 * hypervisor interface it must not reach, registers of interrupts and CPUs the VM does not own,
 * GICD_SGIR storms. */
#include "arch.h"
#include "guest.h"
#include "hostile.h"

#define GICD GUEST_GICD_BASE
#ifndef HOSTILE_GICH
#error "a GICv2 platform names its GICH frame (guests/hostile/variants.mk)"
#endif
/* Register offsets (IHI 0048B §4.1.2). */
#define GICD_CTLR 0x000
#define GICD_TYPER 0x004
#define GICD_ISENABLER 0x100
#define GICD_ISPENDR 0x200
#define GICD_ISACTIVER 0x300
#define GICD_IPRIORITYR 0x400
#define GICD_ITARGETSR 0x800
#define GICD_ICFGR 0xc00
#define GICD_SGIR 0xf00
#define GICD_SPENDSGIR 0xf20
/* GICD_SGIR (§4.3.15): TargetListFilter 25:24, CPUTargetList 23:16, SGIINTID 3:0. */
#define SGIR(filter, list, intid) (((uint32_t)(filter) << 24) | ((uint32_t)(list) << 16) | (intid))

static void widths(void)
{
	uint64_t v = 0;
	uint32_t w = 0;
	uintptr_t prio = GICD + GICD_IPRIORITYR; /* this vCPU's banked SGI 0-3 priorities */

	/* IHI 0048B §4.1.4: byte access for IPRIORITYR, ITARGETSR, CPENDSGIR, SPENDSGIR; word for
	 * every register; nothing else. */
	TRY("gicd-ctlr-ldrb", "emulated", v = r8(GICD + GICD_CTLR));
	TRY("gicd-ctlr-ldrh", "emulated", ASM("ldrh %w0, [%1]" : "=r"(w) : "r"(GICD) : "memory"));
	TRY("gicd-ctlr-ldr32", "emulated", w = mmio_r32(GICD + GICD_CTLR));
	TRY("gicd-ctlr-ldr64", "emulated", v = mmio_r64(GICD + GICD_CTLR));
	TRY("gicd-ctlr-strb", "emulated", mmio_w8(GICD + GICD_CTLR, 1));
	TRY("gicd-typer-strh", "emulated", ASM("strh wzr, [%0]" : : "r"(GICD + GICD_TYPER) : "memory"));
	TRY("gicd-itargetsr-ldrb", "emulated", v = r8(GICD + GICD_ITARGETSR + 1));
	TRY("gicd-unaligned-ldr32", "emulated", w = mmio_r32(GICD + 0x102));
	TRY("gicd-ldp", "emulated", ASM("ldp w9, w10, [%0]" : : "r"(GICD) : "x9", "x10", "memory"));
	TRY("gicd-stp", "emulated", ASM("stp wzr, wzr, [%0]" : : "r"(GICD + GICD_ISENABLER) : "memory"));
	{
		uintptr_t a = GICD;
		TRY("gicd-ldr-post-index", "emulated",
		    ASM("ldr %w0, [%1], #4" : "=r"(w), "+r"(a) : : "memory"));
		a = GICD;
		TRY("gicd-ldr-pre-index", "emulated",
		    ASM("ldr %w0, [%1, #4]!" : "=r"(w), "+r"(a) : : "memory"));
		a = GICD + GICD_ISENABLER;
		TRY("gicd-str-pre-index", "emulated", ASM("str wzr, [%0, #4]!" : "+r"(a) : : "memory"));
	}
	TRY("gicd-ldxr", "emulated", ASM("ldxr %w0, [%1]" : "=r"(w) : "r"(GICD) : "memory"));
	TRY("gicd-stxr", "emulated",
	    ASM("stxr w9, wzr, [%0]" : : "r"(GICD + GICD_ISENABLER) : "x9", "memory"));
	TRY("gicd-ldar", "emulated", ASM("ldar %w0, [%1]" : "=r"(w) : "r"(GICD) : "memory"));
	TRY("gicd-stlr", "emulated",
	    ASM("stlr %w0, [%1]" : : "r"(mmio_r32(GICD)), "r"(GICD) : "memory"));
	TRY("gicd-prfm", "ok", ASM("prfm pldl1keep, [%0]" : : "r"(GICD) : "memory"));
	TRY("gicd-dc-civac", "ok", ASM("dc civac, %0" : : "r"(GICD) : "memory"));
	probe_begin();
	mmio_w8(prio, 0x80);
	ASM("ldrsb %0, [%1]" : "=r"(v) : "r"(prio) : "memory");
	{
		const char *o = probe_end();
		report("gicd-ldrsb-sign-extend", o ? o : v == 0xffffffffffffff80ul ? "emulated" : "wrong value");
	}
	probe_begin();
	mmio_w8(prio + 1, 0xa0);
	ASM("strb wzr, [%0]" : : "r"(prio + 1) : "memory");
	w = r8(prio + 1);
	{
		const char *o = probe_end();
		report("gicd-strb-wzr", o ? o : w == 0 ? "emulated" : "wrong value");
	}
	mmio_w32(prio, 0);
	TRY("gicd-reserved-offset", "emulated", w = mmio_r32(GICD + 0xd00));
	TRY("gicd-end", "emulated", w = mmio_r32(GICD + 0xffc));
	/* The hypervisor interface (GICH) is Baohu's, in no VM's stage 2. */
	TRY("gich-read", "read", w = mmio_r32(HOSTILE_GICH));
	TRY("gich-write", "written", mmio_w32(HOSTILE_GICH, 0));
	(void)v;
	(void)w;
}

static void sgi(const char *attack, uint32_t sgir, unsigned intid)
{
	uint32_t b0 = hs[0].sgi[intid], b1 = hs[1].sgi[intid];

	mmio_w32(GICD + GICD_SGIR, sgir);
	report_sgi(attack, intid, b0, b1);
}

static void foreign(void)
{
	rw32("gicd-isenabler-foreign-spi", GICD + GICD_ISENABLER + 4 * FOREIGN_WORD, ~0u);
	rw32("gicd-ispendr-foreign-spi", GICD + GICD_ISPENDR + 4 * FOREIGN_WORD, ~0u);
	rw32("gicd-isactiver-foreign-spi", GICD + GICD_ISACTIVER + 4 * FOREIGN_WORD, ~0u);
	rw32("gicd-ipriorityr-foreign-spi", GICD + GICD_IPRIORITYR + FOREIGN_SPI, 0x10101010u);
	rw32("gicd-icfgr-foreign-spi", GICD + GICD_ICFGR + 4 * (FOREIGN_SPI / 16), 0xaaaaaaaau);
	rw32("gicd-isenabler-last", GICD + GICD_ISENABLER + 4 * 31, ~0u);
	/* ITARGETSR of a foreign SPI to every CPU; of its own SGIs (read-only, §4.3.12). */
	rw32("gicd-itargetsr-foreign", GICD + GICD_ITARGETSR + FOREIGN_SPI, 0xffffffffu);
	rw32("gicd-itargetsr-sgi", GICD + GICD_ITARGETSR, 0xfcfcfcfcu);
	rw32("gicd-typer-write", GICD + GICD_TYPER, 0);
	/* Its own SPI: targets naming CPU interfaces it does not have (bits of unimplemented
	 * interfaces are RAZ/WI, §4.3.12), then pending. */
	probe_begin();
	mmio_w8(GICD + GICD_ITARGETSR + HOSTILE_SPI, 0xfc);
	{
		uint32_t t = r8(GICD + GICD_ITARGETSR + HOSTILE_SPI);
		const char *o = probe_end();
		if (o)
			report("gicd-itargetsr-own-spi-nonexistent", o);
		else
			reportf("gicd-itargetsr-own-spi-nonexistent", "read 0x%x", t);
	}
	mmio_w32(GICD + GICD_ISENABLER + 4 * (HOSTILE_SPI / 32), 1u << (HOSTILE_SPI % 32));
	hs[0].spi = 0;
	mmio_w32(GICD + GICD_ISPENDR + 4 * (HOSTILE_SPI / 32), 1u << (HOSTILE_SPI % 32));
	irq_unmask();
	for (unsigned i = 0; i < 200 && !hs[0].spi; i++)
		delay_ms(1);
	irq_mask();
	reportf("gicd-own-spi-pend", "taken by vcpu0 %s", hs[0].spi ? "yes" : "no");
	mmio_w32(GICD + 0x180 + 4 * (HOSTILE_SPI / 32), 1u << (HOSTILE_SPI % 32)); /* ICENABLER */
	mmio_w32(GICD + 0x280 + 4 * (HOSTILE_SPI / 32), 1u << (HOSTILE_SPI % 32)); /* ICPENDR */
	mmio_w8(GICD + GICD_ITARGETSR + HOSTILE_SPI, 1);
	rw32("gicd-spendsgir-foreign-source", GICD + GICD_SPENDSGIR, 0xfcfcfcfcu);
	/* The VM has CPU interfaces 0 and 1 only. */
	sgi("gicd-sgir-nonexistent", SGIR(0, 0xfc, 5), 5);
	sgi("gicd-sgir-filter-reserved", SGIR(3, 0xff, 5), 5);
	sgi("gicd-sgir-broadcast", SGIR(1, 0, 6), 6);
	sgi("gicd-sgir-self", SGIR(2, 0, 7), 7);
	sgi("gicd-sgir-nsatt", SGIR(0, 0x02, 8) | (1u << 15), 8);
}

void attack_gic(void)
{
	widths();
	foreign();
}

void attack_gic_storm(void)
{
	uint32_t b1 = hs[1].sgi[4];
	unsigned i;

	/* One second of virtual time, so the victim ticks throughout. */
	for (uint64_t end = timer_now() + timer_ms(1000); timer_now() < end;)
		for (i = 0; i < 1000; i++)
			mmio_w32(GICD + GICD_SGIR, SGIR(0, (rnd() & 0xfc) | 2, 4));
	for (i = 0; i < 5000; i++)
		mmio_w32(GICD + GICD_SGIR, rnd());
	irq_unmask();
	for (i = 0; i < 200 && hs[1].sgi[4] == b1; i++)
		delay_ms(1);
	irq_mask();
	reportf("sgi-storm", "vcpu1 %s", hs[1].sgi[4] != b1 ? "got sgis" : "got none");
	for (i = 0; i < 5000; i++)
		mmio_w32(GICD + GICD_ISPENDR + 4 * (1 + rnd() % 31), ~0u);
	report("gicd-write-storm", "survived");
}
