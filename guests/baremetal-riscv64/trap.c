/* C side of the guest's trap entry: interrupt dispatch, the Sstc probe, fatal report. */
#include "guest.h"
#include "riscv.h"

int timer_probe_trap(void);

void trap_handler(uint64_t *frame)
{
	uint64_t cause = csr_read(scause);
	unsigned k = cpu_id();

	if (cause == (SCAUSE_IRQ | IRQ_STI)) {
		timer_irq(k);
		return;
	}
	if (cause == (SCAUSE_IRQ | IRQ_SSI)) {
		csr_clear(sip, 1u << IRQ_SSI); /* SBI §7: the IPI is cleared by the receiver */
		vcpus[k].pings++;
		return;
	}
	if (cause == (SCAUSE_IRQ | IRQ_SEI)) {
		if (GUEST_AIA)
			imsic_irq(k);
		else
			rtc_irq(k);
		return;
	}
	/* frame[0] is the trapping pc (vectors.S); the probe's csrr is 4 bytes. */
	if (cause == EXC_ILLEGAL && timer_probe_trap()) {
		frame[0] += 4;
		return;
	}
	print("guest exception scause=0x%lx sepc=0x%lx stval=0x%lx\n", cause, frame[0],
	      csr_read(stval));
	for (;;)
		wfi(); /* sstatus.SIE is 0 in the handler: this vCPU stays here */
}
