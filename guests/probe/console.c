/*
 * Console of the probe: Baohu's putc hypercall when EL2 exists (the probe then
 * runs in a VM), the PL011 of QEMU virt otherwise (bare metal at EL1). One
 * image serves both runs. Only CPU 0 prints in normal operation. The formatter
 * (say) is guests/common/probe_out.c.
 */
#include <baohu/hypercall.h>
#include "hw.h"
#include "probe.h"

#define PL011 0x09000000UL
#define PL011_DR 0x00
#define PL011_FR 0x18
#define PL011_FR_TXFF (1u << 5)

static int under_hypervisor;

#define PSCI_FEATURES 0x8400000au
#define SMCCC_VERSION 0x80000000u

/*
 * Under a hypervisor or bare? ID_AA64PFR0_EL1.EL2 [11:8] says EL2 exists
 * only where the hypervisor does not hide it (Baohu now sanitises the ID
 * registers and reads it as 0). Baohu's PSCI offers SMCCC_VERSION
 * (PSCI_FEATURES answers 0); QEMU's own PSCI, what answers bare, does not
 * (-1, NOT_SUPPORTED). PSCI_FEATURES is a PSCI call, so it is safe bare.
 */
void console_init(void)
{
	under_hypervisor = ((SYSREG_GET(id_aa64pfr0_el1) >> 8) & 0xf) != 0 ||
			   hvc(PSCI_FEATURES, SMCCC_VERSION, 0, 0) == 0;
}

int console_hypervisor(void) { return under_hypervisor; }

void say_putc(char c)
{
	if (under_hypervisor) {
		hvc(BAOHU_HC_CONSOLE_PUTC, (uint8_t)c, 0, 0);
		return;
	}
	if (c == '\n')
		say_putc('\r');
	while (rd32(PL011 + PL011_FR) & PL011_FR_TXFF)
		;
	wr32(PL011 + PL011_DR, (uint8_t)c);
}

/* SMCCC call through `hvc #0` (Baohu's hypercalls and PSCI; bare QEMU virt
 * without EL2 answers PSCI on HVC too: its DT says method = "hvc"). */
int64_t hvc(uint64_t x0, uint64_t x1, uint64_t x2, uint64_t x3)
{
	register uint64_t r0 __asm__("x0") = x0;
	register uint64_t r1 __asm__("x1") = x1;
	register uint64_t r2 __asm__("x2") = x2;
	register uint64_t r3 __asm__("x3") = x3;

	__asm__ __volatile__("hvc #0"
			     : "+r"(r0), "+r"(r1), "+r"(r2), "+r"(r3)
			     :
			     : "x4", "x5", "x6", "x7", "x8", "x9", "x10", "x11", "x12", "x13",
			       "x14", "x15", "x16", "x17", "memory");
	return (int64_t)r0;
}
