/* The guest's interrupt controller: enabling a source at the PLIC or APLIC, and the PLIC's claim loop. */
#include "guest.h"
#include "riscv.h"

/* QEMU virt's PLIC: contexts 2k (M) and 2k + 1 (S) for hart k (PLIC spec §3). */
#define PLIC_BASE 0xc000000UL
#define PLIC_PRIORITY(src) (PLIC_BASE + 4 * (src))
#define PLIC_ENABLE(ctx, src) (PLIC_BASE + 0x2000 + 0x80 * (ctx) + 4 * ((src) / 32))
#define PLIC_THRESHOLD(ctx) (PLIC_BASE + 0x200000 + 0x1000 * (ctx))
#define PLIC_CLAIM(ctx) (PLIC_BASE + 0x200004 + 0x1000 * (ctx))

/* The APLIC's S domain in MSI mode (AIA §4.5): EIID = source id, to this hart. */
#define APLIC_BASE 0xd000000UL
#define APLIC_DOMAINCFG_IE (1u << 8)
#define APLIC_SOURCECFG(i) (APLIC_BASE + 0x4 + 4 * ((i) - 1))
#define APLIC_SETIENUM (APLIC_BASE + 0x1edc)
#define APLIC_TARGET(i) (APLIC_BASE + 0x3004 + 4 * ((i) - 1))

/* Priority 1 (above threshold 0) and enabled in this hart's S context. */
void plic_source_enable(unsigned src)
{
	unsigned ctx = 2 * cpu_id() + 1;

	mmio_w32(PLIC_PRIORITY(src), 1);
	mmio_w32(PLIC_ENABLE(ctx, src), mmio_r32(PLIC_ENABLE(ctx, src)) | 1u << (src % 32));
	mmio_w32(PLIC_THRESHOLD(ctx), 0);
	csr_set(sie, 1u << IRQ_SEI);
}

/* Source mode `sm` (§4.5.2), an MSI with EIID = src to this hart (§4.5.16);
 * the interrupt file must enable that EIID (imsic.c). */
void aplic_source_enable(unsigned src, unsigned sm)
{
	mmio_w32(APLIC_BASE, APLIC_DOMAINCFG_IE);
	mmio_w32(APLIC_SOURCECFG(src), sm);
	mmio_w32(APLIC_TARGET(src), (cpu_id() << 18) | src);
	mmio_w32(APLIC_SETIENUM, src);
}

void plic_source_priority(unsigned src, unsigned prio)
{
	mmio_w32(PLIC_PRIORITY(src), prio);
}

/* Source `src` on or off in hart k's S context (the PLIC's per-context
 * enable bits, spec §6: a source goes to every context that enables it). */
void plic_source_route(unsigned src, unsigned k, int on)
{
	unsigned ctx = 2 * k + 1;
	uint32_t en = mmio_r32(PLIC_ENABLE(ctx, src));

	if (on)
		en |= 1u << (src % 32);
	else
		en &= ~(1u << (src % 32));
	mmio_w32(PLIC_ENABLE(ctx, src), en);
}

/* The source this hart's target in the APLIC (§4.5.16), EIID = source id. */
void aplic_source_target(unsigned src, unsigned k)
{
	mmio_w32(APLIC_TARGET(src), (k << 18) | src);
}

void plic_complete(unsigned k, unsigned src)
{
	mmio_w32(PLIC_CLAIM(2 * k + 1), src);
}

/* Claim, handle, complete until nothing is left (PLIC spec §8, §9); a
 * handler may keep its source claimed and complete it later. */
void plic_irq(unsigned k)
{
	unsigned ctx = 2 * k + 1;
	uint32_t src;

	while ((src = mmio_r32(PLIC_CLAIM(ctx))) != 0) {
		if (source_irq(k, src))
			mmio_w32(PLIC_CLAIM(ctx), src);
	}
}
