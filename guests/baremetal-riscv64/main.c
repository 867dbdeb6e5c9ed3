/* Guest flow: vCPU 0 boot checks, secondary start, and the per-vCPU tick loop. */
#include <baohu/hypercall.h>
#include "claims.h"
#include "guest.h"
#include "riscv.h"
#include "sbi.h"
#if GUEST_FORGE
#include "../common/forge.h"
#endif

struct vcpu vcpus[MAX_VCPUS];

#define APLIC_SM_EDGE1 4u /* a doorbell is an event: rising edge (AIA §4.5.2) */

/* guests/common/ipc.c: the doorbell source, to this hart (vCPU 0). */
void ipc_doorbell_enable(unsigned irq)
{
	if (GUEST_AIA)
		aplic_source_enable(irq, APLIC_SM_EDGE1);
	else
		plic_source_enable(irq);
}

/* vCPU 0's timed actions; each marker line is printed before acting. */
static void after_tick(uint32_t n)
{
	if (GUEST_HOSTILE_AFTER && n == GUEST_HOSTILE_AFTER) {
		print("hostile: writing to ipa 0x%lx\n", (uint64_t)GUEST_HOSTILE_ADDR);
		mmio_w32(GUEST_HOSTILE_ADDR, 0xdeadbeef);
		fence();
		print("hostile: still alive\n");
	}
	if (GUEST_SYSOFF_AFTER && n == GUEST_SYSOFF_AFTER) {
		print("sbi srst shutdown\n");
		print("srst shutdown returned %ld\n",
		      sbi_call(SBI_EXT_SRST, 0, SBI_SRST_SHUTDOWN, 0, 0, 0).error);
	}
	if (GUEST_RESET_AFTER && n == GUEST_RESET_AFTER) {
		print("sbi srst reboot\n");
		/* Left open: Baohu must end it, not prefix the next run's first line with it. */
		print("a line left unfinished: ");
		print("srst reboot returned %ld\n",
		      sbi_call(SBI_EXT_SRST, 0, SBI_SRST_COLD_REBOOT, 0, 0, 0).error);
	}
#ifdef GUEST_WATCHDOG_KICKS
	/* configs/<platform>/watchdog.c: kicks on the first ticks only; no manager, so denied. */
	if (n == 1)
		print("manage calls: info %ld stop %ld start %ld restart %ld stats %ld\n",
		      sbi_call(BAOHU_SBI_EXT, 5, 0, 0x80000000ul, 4096, 0).error,
		      sbi_call(BAOHU_SBI_EXT, 6, 0, 0, 0, 0).error, sbi_call(BAOHU_SBI_EXT, 7, 0, 0, 0, 0).error,
		      sbi_call(BAOHU_SBI_EXT, 8, 99, 0, 0, 0).error,
		      sbi_call(BAOHU_SBI_EXT, 9, 1, 0x80000000ul, 4096, 0).error);
	if (n <= GUEST_WATCHDOG_KICKS)
		print("watchdog kick %u = %ld%s\n", n, sbi_call(BAOHU_SBI_EXT, 10, 0, 0, 0, 0).error,
		      n == GUEST_WATCHDOG_KICKS ? ", the last" : "");
#endif
}

/*
 * Interrupts are taken only here. The check-then-WFI runs with sstatus.SIE
 * clear: WFI still wakes on a pending, enabled interrupt (RISC-V priv.
 * §3.3.3), so one arriving between the check and the WFI is not slept through.
 */
void tick_loop(unsigned k)
{
	struct vcpu *v = &vcpus[k];
	uint32_t ticks = 0, pings = 0, rtc = 0, rx = 0;

	timer_start(k);
	for (;;) {
		irq_mask();
		if (v->ticks == ticks && v->pings == pings && v->rtc == rtc && v->rx == rx)
			wfi();
		irq_unmask();
#if GUEST_UART16550
		if (rx != v->rx) {
			rx = v->rx;
			print("uart rx: %s\n", uart16550_line);
		}
#endif
		for (; pings != v->pings; pings++)
			print("vcpu%u got %s\n", k, GUEST_AIA ? "msi 1" : "ipi");
		for (; rtc != v->rtc; rtc++)
			print("vcpu%u rtc alarm irq %u\n", k, 11u);
		while (ticks != v->ticks) {
			if (GUEST_TICK_GAP && k == 0)
				ticker_tick(ticks + 1);
#if GUEST_CHECKSUM
			checksum_tick(k, ++ticks);
#else
			print("vcpu%u tick %u\n", k, ++ticks);
#endif
			if (k == 0)
				after_tick(ticks);
		}
	}
}

static void boot_checks(void)
{
	struct sbiret r = sbi_call(SBI_EXT_BASE, SBI_BASE_GET_SPEC_VERSION, 0, 0, 0, 0);

	print("sbi spec 0x%lx impl 0x%lx\n", r.value,
	      sbi_call(SBI_EXT_BASE, SBI_BASE_GET_IMPL_ID, 0, 0, 0, 0).value);
	if (GUEST_BADCALL) {
		print("bad hypercall = %ld\n", sbi_call(BAOHU_SBI_EXT, 0x777, 0, 0, 0, 0).error);
		print("baohu abi = %lx\n", sbi_call(BAOHU_SBI_EXT, 0, 0, 0, 0, 0).value);
		print("unknown extension = %ld\n", sbi_call(0x0b000000, 0, 0, 0, 0, 0).error);
		print("probe hsm = %ld\n",
		      sbi_call(SBI_EXT_BASE, SBI_BASE_PROBE_EXT, SBI_EXT_HSM, 0, 0, 0).value);
	}
}

/* Entered from start.S on vCPU 0 with .bss cleared and a stack. */
void boot_main(void)
{
	print("guest %s up on vcpu0 in S-mode\n", GUEST_NAME);
	if (GUEST_LIFECYCLE)
		lifecycle_main();
	if (GUEST_AIA)
		imsic_init();
	boot_checks();
#if GUEST_FORGE
	console_forge();
#endif
#if GUEST_CHECKSUM
	checksum_init();
#endif
	if (GUEST_IRQ_HSM)
		irq_hsm_boot();
	if (GUEST_FLOOD)
		flood_boot();
	if (GUEST_IRQ_RESET)
		irq_reset_boot();
	if (GUEST_TICK_GAP)
		ticker_init();
	if (GUEST_SMP)
		smp_boot();
	if (GUEST_RTC_IRQ)
		rtc_test();
#if GUEST_UART16550
	uart16550_rx_init();
	print("uart rx ready\n");
#endif
#if GUEST_FAULT_ROLE
	fault_main();
#endif
#if GUEST_FEATURES
	features_main();
#endif
#if GUEST_CLAIMS
	claims_main();
#endif
#if GUEST_IPC_ROLE
	/* Ping waits for its doorbell with interrupts on (the tick loop's rule
	 * does not hold before it starts). */
	ipc_run();
#endif
	tick_loop(0);
}

/* SBI HSM hart_start target, via start.S: k = hart id, opaque from a1. */
void secondary_main(unsigned k, uint64_t opaque)
{
	csr_set(sie, 1u << IRQ_SSI);
	if (GUEST_LIFECYCLE)
		lifecycle_secondary(k, opaque); /* its interrupt file as the vCPU reset left it */
	if (GUEST_AIA)
		imsic_init();
	if (opaque != k)
		print("vcpu%u: opaque %lu\n", k, opaque);
	print("vcpu%u online\n", k);
	fence();
	vcpus[k].online = 1;
	if (GUEST_IRQ_HSM)
		irq_hsm_secondary(k);
	if (GUEST_FLOOD)
		flood_secondary(k);
	tick_loop(k);
}
