/* C side of the guest's trap entry: interrupt dispatch, the Sstc probe, fatal report. */
#include "guest.h"
#include "riscv.h"

int timer_probe_trap(void);

/* Source ids are the PLIC's, and under the AIA also the EIIDs (rtc.c, irqc.c).
 * Returns 0 if the handler keeps the source claimed (completes it later). */
int source_irq(unsigned k, unsigned src)
{
	if (src == EIID_RTC && (GUEST_IRQ_HSM || GUEST_IRQ_RESET))
		irqtest_rtc(k);
	else if (src == EIID_RTC)
		rtc_event(k);
	else if (GUEST_TICK_GAP && src == GUEST_IPC_IRQ)
		return ticker_doorbell(k, src);
	else if (GUEST_IPC_ROLE && src == GUEST_IPC_IRQ)
		ipc_irq();
#if GUEST_UART16550
	else if (src == 10)
		uart16550_irq();
#endif
	return 1;
}

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
			plic_irq(k);
		return;
	}
#if GUEST_FEATURES
	if (feature_probe_trap(frame, cause))
		return;
#endif
#if GUEST_FAULT_ROLE
	if (fault_probe_trap(frame, cause))
		return;
#endif
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
