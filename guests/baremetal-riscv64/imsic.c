/* The vCPU's interrupt file (IMSIC, RISC-V AIA spec §3): MSI IPIs between vCPUs and external interrupts. */
#include "guest.h"
#include "riscv.h"

/* siselect / sireg / stopei by number (AIA §2.3, §3.8): older assemblers lack the names. */
#define CSR_WRITE(num, v) __asm__ __volatile__("csrw " #num ", %0" : : "r"((uint64_t)(v)) : "memory")
#define IMSIC_EIDELIVERY 0x70
#define IMSIC_EITHRESHOLD 0x72
#define IMSIC_EIE0 0xc0
/* QEMU virt (as this guest is told): its S-level files, one 4 KiB page per hart. */
#define IMSIC_BASE 0x28000000UL

static void ireg_write(uint64_t sel, uint64_t v)
{
	CSR_WRITE(0x150, sel);
	CSR_WRITE(0x151, v);
}

void imsic_init(void)
{
	ireg_write(IMSIC_EITHRESHOLD, 0);
	ireg_write(IMSIC_EIE0, (1ull << EIID_IPI) | (1ull << EIID_RTC) |
			       (GUEST_IPC_ROLE || GUEST_TICK_GAP ? 1ull << EIID_IPC : 0));
	ireg_write(IMSIC_EIDELIVERY, 1);
	csr_set(sie, 1u << IRQ_SEI);
}

/* One identity (below 64) on or off in eie0 (§3.8.4): a masked one still
 * becomes pending, and fires once enabled again. */
void imsic_enable(unsigned eiid, int on)
{
	CSR_WRITE(0x150, IMSIC_EIE0);
	if (on)
		__asm__ __volatile__("csrs 0x151, %0" : : "r"(1ull << eiid) : "memory");
	else
		__asm__ __volatile__("csrc 0x151, %0" : : "r"(1ull << eiid) : "memory");
}

/* An MSI is a store of its identity to the target's seteipnum_le (offset 0, §3.5). */
void imsic_send(unsigned k, unsigned eiid)
{
	mmio_w32(IMSIC_BASE + 0x1000UL * k, eiid);
}

/* Claim each pending identity by swapping stopei (§3.8.5). */
void imsic_irq(unsigned k)
{
	uint64_t top;

	for (;;) {
		__asm__ __volatile__("csrrw %0, 0x15c, zero" : "=r"(top) : : "memory");
		if ((top >> 16) == 0)
			return;
		if ((top >> 16) == EIID_IPI)
			vcpus[k].pings++;
		else
			source_irq(k, (unsigned)(top >> 16)); /* wired or virtual source: EIID = id */
	}
}
