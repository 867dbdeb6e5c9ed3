/* C side of the EL1 vectors: IRQ dispatch, UNDEFINED-conduit recovery, fatal report. */
#include "arch.h"
#include "guest.h"
#include "psci.h"

/* Saved by vectors.S; the layout must match its offsets. */
struct frame {
	uint64_t x[31];
	uint64_t elr, spsr, pad;
};

#define EC_UNKNOWN 0x00
#define INSN_HVC0 0xd4000002u
#define INSN_SMC0 0xd4000003u

static void irq_dispatch(void)
{
	unsigned k = cpu_id();
	uint32_t intid;

	/* Drain in priority order; 1020..1023 are special/spurious (GICv3 §2.2.1). */
	while ((intid = gic_ack()) < 1020) {
		if (intid == INTID_VTIMER)
			timer_irq(k);
		else if (intid == INTID_SGI_PING)
			vcpus[k].pings++;
		else if (intid >= INTID_BURST_FIRST && intid < INTID_BURST_FIRST + 8)
			burst_record(intid);
#if GUEST_IPC_ROLE
		else if (intid == GUEST_IPC_IRQ)
			ipc_irq();
#endif
#if GUEST_UART_RX
		else if (intid == INTID_UART)
			uart_rx_irq();
#endif
#if GUEST_FLOOD_ROLE == FLOOD_ROLE_FLOOD
		else if (intid == INTID_SGI_FLOOD)
			flood_sgi(k);
#elif GUEST_FLOOD_ROLE == FLOOD_ROLE_PEER
		else if (intid == GUEST_FLOOD_IRQ)
			flood_peer_doorbell();
#endif
#if GUEST_FAULT_ROLE
		else if (intid == INTID_PMU)
			fault_pmu_irq();
#endif
#if GUEST_ALARM_ROLE
		else if (intid == alarm_intid())
			alarm_irq(k); /* may reset the VM from here (ALARM_ROLE_RESET) */
#endif
		gic_eoi(intid);
	}
}

/*
 * An `smc #0` with no EL3 (or `hvc #0` with no EL2) is UNDEFINED and comes
 * back here with EC 0 and ELR at the instruction (Arm ARM, "SMC"/"HVC").
 * Treat that as "nobody implements the call": return NOT_SUPPORTED.
 */
static int conduit_undefined(struct frame *f, uint64_t esr)
{
	uint32_t insn;

	if (ESR_EC(esr) != EC_UNKNOWN)
		return 0;
	insn = mmio_r32(f->elr);
	if (insn != INSN_SMC0 && insn != INSN_HVC0)
		return 0;
	if (insn == INSN_SMC0)
		smc_undefined = 1;
	f->x[0] = (uint64_t)(int64_t)PSCI_NOT_SUPPORTED;
	f->elr += 4;
	return 1;
}

void exc_handler(struct frame *f, uint64_t vec)
{
	uint64_t esr = sysreg_read(esr_el1);

	if (vec == VEC_SPX_IRQ) {
		irq_dispatch();
		return;
	}
#if GUEST_FAULT_ROLE
	if (fault_probe_exception(&f->elr, &f->spsr, (unsigned)vec, esr))
		return;
#endif
	if (vec == VEC_SPX_SYNC && conduit_undefined(f, esr))
		return;
	print("guest exception esr=0x%lx elr=0x%lx far=0x%lx\n", esr, f->elr,
	      sysreg_read(far_el1));
	for (;;)
		wfi(); /* DAIF is all-masked on exception entry: this vCPU stays here */
}
