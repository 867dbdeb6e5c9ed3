/* The hostile guest's GICv3 attacks: every width and instruction form on the distributor and
 * redistributors, registers of interrupts and CPUs the VM does not own, SGI storms. */
#include "arch.h"
#include "guest.h"
#include "hostile.h"

#define GICD GUEST_GICD_BASE
#define GICR 0x080A0000UL
#define GICR_STRIDE 0x20000UL /* RD_base + SGI_base (GICv3 §12.10) */
#define GICR_SGI 0x10000UL
/* Register offsets (GICv3 §12.9, §12.11). */
#define GICD_CTLR 0x0000
#define GICD_TYPER 0x0004
#define GICD_ISENABLER 0x0100
#define GICD_ISPENDR 0x0200
#define GICD_ISACTIVER 0x0300
#define GICD_IPRIORITYR 0x0400
#define GICD_ITARGETSR 0x0800
#define GICD_ICFGR 0x0c00
#define GICD_SGIR 0x0f00
#define GICD_IROUTER 0x6000
#define GICR_IPRIORITYR 0x0400


static void widths(void)
{
	uint64_t v = 0;
	uint32_t w = 0;
	uintptr_t prio = GICR + GICR_SGI + GICR_IPRIORITYR; /* vCPU 0's SGI 0-3 priorities */

	/* GICv3 §12.1.3: byte access only for the priority / target / SGI-pending registers,
	 * 64-bit for GICD_IROUTER<n> (and GICR_TYPER), 32-bit for every register. */
	TRY("gicd-ctlr-ldrb", "emulated", v = r8(GICD + GICD_CTLR));
	TRY("gicd-ctlr-ldrh", "emulated", ASM("ldrh %w0, [%1]" : "=r"(w) : "r"(GICD) : "memory"));
	TRY("gicd-ctlr-ldr32", "emulated", w = mmio_r32(GICD + GICD_CTLR));
	TRY("gicd-ctlr-ldr64", "emulated", v = mmio_r64(GICD + GICD_CTLR));
	TRY("gicd-ctlr-strb", "emulated", mmio_w8(GICD + GICD_CTLR, 0));
	TRY("gicd-typer-strh", "emulated", ASM("strh wzr, [%0]" : : "r"(GICD + GICD_TYPER) : "memory"));
	TRY("gicd-irouter-ldr64", "emulated", v = mmio_r64(GICD + GICD_IROUTER + 8 * 32));
	TRY("gicd-irouter-ldr32-high", "emulated", w = mmio_r32(GICD + GICD_IROUTER + 8 * 32 + 4));
	TRY("gicd-unaligned-ldr32", "emulated", w = mmio_r32(GICD + 0x102));
	TRY("gicd-unaligned-ldr64", "emulated", v = mmio_r64(GICD + GICD_IROUTER + 8 * 32 + 4));
	TRY("gicd-ldp", "emulated", ASM("ldp w9, w10, [%0]" : : "r"(GICD) : "x9", "x10", "memory"));
	TRY("gicd-stp", "emulated", ASM("stp wzr, wzr, [%0]" : : "r"(GICD + GICD_ISENABLER) : "memory"));
	TRY("gicd-ldp-x", "emulated", ASM("ldp x9, x10, [%0]" : : "r"(GICD) : "x9", "x10", "memory"));
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
	TRY("gicd-ldaxr", "emulated", ASM("ldaxr %w0, [%1]" : "=r"(w) : "r"(GICD) : "memory"));
	TRY("gicd-ldar", "emulated", ASM("ldar %w0, [%1]" : "=r"(w) : "r"(GICD) : "memory"));
	TRY("gicd-stlr", "emulated",
	    ASM("stlr %w0, [%1]" : : "r"(mmio_r32(GICD)), "r"(GICD) : "memory"));
	TRY("gicd-prfm", "ok", ASM("prfm pldl1keep, [%0]" : : "r"(GICD) : "memory"));
	TRY("gicd-dc-civac", "ok", ASM("dc civac, %0" : : "r"(GICD) : "memory"));

	/* Sign extension and the zero register (ESR ISS SSE, SRT 31): the emulation must give the
	 * architectural result, not just not crash. */
	probe_begin();
	mmio_w8(prio, 0x80);
	ASM("ldrsb %0, [%1]" : "=r"(v) : "r"(prio) : "memory");
	{
		const char *o = probe_end();
		if (o)
			report("gicr-ldrsb-sign-extend", o);
		else
			report("gicr-ldrsb-sign-extend", v == 0xffffffffffffff80ul ? "emulated" : "wrong value");
	}
	probe_begin();
	mmio_w8(prio + 1, 0xa0);
	ASM("strb wzr, [%0]" : : "r"(prio + 1) : "memory");
	w = r8(prio + 1);
	{
		const char *o = probe_end();
		report("gicr-strb-wzr", o ? o : w == 0 ? "emulated" : "wrong value");
	}
	mmio_w32(prio, 0);

	/* Redistributor frames of vCPUs this VM does not have, and beyond the last one. */
	TRY("gicr-frame-vcpu2", "emulated", w = mmio_r32(GICR + 2 * GICR_STRIDE));
	TRY("gicr-frame-vcpu3-sgi", "emulated", w = mmio_r32(GICR + 3 * GICR_STRIDE + GICR_SGI + 0x100));
	TRY("gicr-frame-vcpu1", "emulated", w = mmio_r32(GICR + 1 * GICR_STRIDE));
	TRY("gicr-gap-offset", "emulated", w = mmio_r32(GICR + 0x8000));
	TRY("gicd-reserved-offset", "emulated", w = mmio_r32(GICD + 0xf000));
	TRY("gicd-end", "emulated", w = mmio_r32(GICD + 0xfffc));
	(void)v;
	(void)w;
}

static void foreign(void)
{
	uint32_t b0, b1;
	uint64_t v;

	/* SPIs 32.. are none of this VM's (it has no device): RAZ/WI (GICv3 §12.9). */
	rw32("gicd-isenabler-foreign-spi", GICD + GICD_ISENABLER + 4 * FOREIGN_WORD, ~0u);
	rw32("gicd-ispendr-foreign-spi", GICD + GICD_ISPENDR + 4 * FOREIGN_WORD, ~0u);
	rw32("gicd-isactiver-foreign-spi", GICD + GICD_ISACTIVER + 4 * FOREIGN_WORD, ~0u);
	rw32("gicd-ipriorityr-foreign-spi", GICD + GICD_IPRIORITYR + FOREIGN_SPI, 0x10101010u);
	rw32("gicd-icfgr-foreign-spi", GICD + GICD_ICFGR + 4 * (FOREIGN_SPI / 16), 0xaaaaaaaau);
	rw32("gicd-isenabler-last", GICD + GICD_ISENABLER + 4 * 31, ~0u);
	rw32("gicd-itargetsr-foreign", GICD + GICD_ITARGETSR + FOREIGN_SPI, 0x0f0f0f0fu);
	rw32("gicd-typer-write", GICD + GICD_TYPER, 0);
	probe_begin();
	mmio_w64(GICD + GICD_IROUTER + 8 * FOREIGN_SPI, 3); /* SPI 40 to Aff0 3, a foreign pCPU's number */
	v = mmio_r64(GICD + GICD_IROUTER + 8 * FOREIGN_SPI);
	{
		const char *o = probe_end();
		report("gicd-irouter-foreign-spi", o ? o : v == 0 ? "raz-wi" : "written");
	}
	probe_begin();
	mmio_w64(GICD + GICD_IROUTER + 8 * FOREIGN_SPI, 1ul << 31); /* IRM: 1-of-N */
	v = mmio_r64(GICD + GICD_IROUTER + 8 * FOREIGN_SPI);
	{
		const char *o = probe_end();
		report("gicd-irouter-irm", o ? o : v == 0 ? "raz-wi" : "written");
	}
	rw32("gicd-sgir", GICD + GICD_SGIR, 0x00ff0001u);

	/* Its own SPI: routed to CPUs it does not have, then made pending. The route is the
	 * guest's register (GICv3 §12.9.22: an IROUTER naming no PE is allowed, the interrupt then
	 * goes nowhere), but no physical route may follow it to another VM's pCPU. */
	probe_begin();
	mmio_w64(GICD + GICD_IROUTER + 8 * HOSTILE_SPI, 5); /* Aff0 5: no such vCPU */
	v = mmio_r64(GICD + GICD_IROUTER + 8 * HOSTILE_SPI);
	{
		const char *o = probe_end();
		if (o)
			report("gicd-irouter-own-spi-nonexistent", o);
		else
			reportf("gicd-irouter-own-spi-nonexistent", "read 0x%lx", v);
	}
	probe_begin();
	mmio_w64(GICD + GICD_IROUTER + 8 * HOSTILE_SPI, (1ul << 31) | (0xfful << 32) | 0xffff00ul);
	v = mmio_r64(GICD + GICD_IROUTER + 8 * HOSTILE_SPI);
	{
		const char *o = probe_end();
		if (o)
			report("gicd-irouter-own-spi-irm-aff", o);
		else
			reportf("gicd-irouter-own-spi-irm-aff", "read 0x%lx", v);
	}
	mmio_w64(GICD + GICD_IROUTER + 8 * HOSTILE_SPI, 5);
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
	mmio_w64(GICD + GICD_IROUTER + 8 * HOSTILE_SPI, 0);

	/* ICC_SGI1R_EL1 (GICv3 §12.2.22): TargetList bit n = Aff0 n; Aff1 bits 23:16, IRM 40,
	 * RS 47:44, INTID 27:24. The VM has vCPUs 0 and 1 only. */
#define SGI1R(intid, aff1, list) (((uint64_t)(intid) << 24) | ((uint64_t)(aff1) << 16) | (list))
	b0 = hs[0].sgi[5];
	b1 = hs[1].sgi[5];
	sysreg_write(S3_0_C12_C11_5, SGI1R(5, 0, 0xfffc)); /* Aff0 2..15 */
	report_sgi("icc-sgi1r-nonexistent", 5, b0, b1);
	b0 = hs[0].sgi[5];
	b1 = hs[1].sgi[5];
	sysreg_write(S3_0_C12_C11_5, SGI1R(5, 1, 0xffff)); /* Aff1 1 */
	sysreg_write(S3_0_C12_C11_5, SGI1R(5, 0xff, 0xffff) | (0xfful << 32) | (0xfful << 48));
	report_sgi("icc-sgi1r-foreign-aff", 5, b0, b1);
	b0 = hs[0].sgi[5];
	b1 = hs[1].sgi[5];
	sysreg_write(S3_0_C12_C11_5, SGI1R(5, 0, 0x3) | (15ul << 44)); /* RS 15: Aff0 240.. */
	report_sgi("icc-sgi1r-range-selector", 5, b0, b1);
	b0 = hs[0].sgi[6];
	b1 = hs[1].sgi[6];
	sysreg_write(S3_0_C12_C11_5, SGI1R(6, 0, 0) | (1ul << 40)); /* IRM: all but self */
	report_sgi("icc-sgi1r-broadcast", 6, b0, b1);
	b0 = hs[0].sgi[7];
	b1 = hs[1].sgi[7];
	sysreg_write(S3_0_C12_C11_6, SGI1R(7, 0, 0xfffc)); /* ICC_ASGI1R_EL1 */
	sysreg_write(S3_0_C12_C11_7, SGI1R(7, 0, 0xfffc)); /* ICC_SGI0R_EL1 */
	report_sgi("icc-asgi1r-sgi0r-nonexistent", 7, b0, b1);
	TRY("icc-sgi1r-read", "read", v = sysreg_read(S3_0_C12_C11_5));
	TRY("icc-sre-write-0", "ok", sysreg_write(S3_0_C12_C12_5, 0));
	isb();
	TRY("icc-sre-after", "ok", v = sysreg_read(S3_0_C12_C12_5));
	(void)v;
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
			sysreg_write(S3_0_C12_C11_5, SGI1R(4, 0, (rnd() & 0xffff) | 2));
	for (i = 0; i < 5000; i++)
		sysreg_write(S3_0_C12_C11_5, rnd() | ((uint64_t)rnd() << 32));
	irq_unmask();
	for (i = 0; i < 200 && hs[1].sgi[4] == b1; i++)
		delay_ms(1);
	irq_mask();
	reportf("sgi-storm", "vcpu1 %s", hs[1].sgi[4] != b1 ? "got sgis" : "got none");
	for (i = 0; i < 5000; i++)
		mmio_w32(GICD + GICD_ISPENDR + 4 * (1 + rnd() % 31), ~0u);
	report("gicd-write-storm", "survived");
}
