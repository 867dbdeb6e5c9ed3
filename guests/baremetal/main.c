/* Guest flow: vCPU 0 boot checks, secondary start, and the per-vCPU tick loop. */
#include <baohu/hypercall.h>
#include "arch.h"
#include "guest.h"
#include "psci.h"

static void cpu_setup(unsigned k)
{
	sysreg_write(vbar_el1, (uintptr_t)vectors);
	isb();
	gic_cpu_init(k);
	gic_enable(k, INTID_SGI_PING);
}

/* vCPU 0's timed actions; each marker line is printed before acting. */
static void after_tick(uint32_t n)
{
	if (GUEST_HOSTILE_AFTER && n == GUEST_HOSTILE_AFTER) {
		print("hostile: writing to ipa 0x%lx\n", (uint64_t)GUEST_HOSTILE_ADDR);
		mmio_w32(GUEST_HOSTILE_ADDR, 0xdeadbeef);
		dsb();
		print("hostile: still alive\n");
	}
	if (GUEST_SYSOFF_AFTER && n == GUEST_SYSOFF_AFTER) {
		print("psci system_off\n");
		print("system_off returned %d\n", psci(PSCI_SYSTEM_OFF, 0, 0, 0));
	}
	if (GUEST_BADMMIO_AFTER && n == GUEST_BADMMIO_AFTER) {
		/* A load pair reports no syndrome (ESR ISV=0, Arm ARM D13.2.37), so
		 * a trap-and-emulate device cannot be emulated for it. */
		uint64_t a, b;
		print("hostile: load pair from the distributor\n");
		__asm__ __volatile__("ldp %0, %1, [%2]" : "=r"(a), "=r"(b) : "r"(0x08000000UL) : "memory");
		print("hostile: still alive (0x%lx 0x%lx)\n", a, b);
	}
	if (GUEST_RESET_AFTER && n == GUEST_RESET_AFTER) {
		print("psci system_reset\n");
		print("system_reset returned %d\n", psci(PSCI_SYSTEM_RESET, 0, 0, 0));
	}
#if GUEST_FLOOD_ROLE == FLOOD_ROLE_PEER
	flood_peer_tick(n);
#endif
}

/*
 * Interrupts are taken only here. The check-then-WFI runs with IRQs masked:
 * WFI still wakes on a pending IRQ (Arm ARM D1.16.2, wake-up events), so an
 * interrupt arriving between the check and the WFI cannot be slept through.
 */
static void __attribute__((noreturn)) tick_loop(unsigned k)
{
	struct vcpu *v = &vcpus[k];
	uint32_t ticks = 0, pings = 0, rx_lines = 0;

	timer_start(k);
	for (;;) {
		irq_mask();
		if (v->ticks == ticks && v->pings == pings && (!GUEST_UART_RX || k != 0 || rx_lines == uart_rx_lines) &&
		    !(GUEST_LATENCY && k == 0))
			wfi();
		irq_unmask();
#if GUEST_UART_RX
		if (k == 0 && rx_lines != uart_rx_lines) {
			rx_lines = uart_rx_lines;
			print("uart rx: %s\n", uart_rx_line);
		}
#endif
		for (; pings != v->pings; pings++)
			print("vcpu%u got sgi %u\n", k, INTID_SGI_PING);
		while (ticks != v->ticks) {
			print("vcpu%u tick %u\n", k, ++ticks);
#if GUEST_DMA_ROLE == 2
			dma_victim_tick();
#endif
			if (k == 0)
				after_tick(ticks);
#if GUEST_LATENCY
			if (k == 0 && ticks == GUEST_LATENCY_SAMPLES)
				print("timer irq latency: avg %lu min %lu max %lu counter ticks (n=%u)\n",
				      latency.sum / latency.samples, latency.min, latency.max, latency.samples);
#endif
		}
	}
}

static void boot_checks(void)
{
	char smc[24];
	int64_t v;

	v = smc_call(PSCI_VERSION, 0, 0, 0);
	if (smc_undefined)
		sfmt(smc, sizeof(smc), "undefined");
	else
		sfmt(smc, sizeof(smc), "0x%x", (uint32_t)v);
	print("psci version smc=%s hvc=0x%x\n", smc, (uint32_t)psci(PSCI_VERSION, 0, 0, 0));
	if (GUEST_BADCALL) {
		print("bad hypercall = %ld\n", hvc_call(BAOHU_HC_ID(0x777), 0, 0, 0));
		print("baohu abi = %lx\n", hvc_call(BAOHU_HC_VERSION, 0, 0, 0));
	}
}

/* Entered from start.S on vCPU 0 with .bss cleared and a stack. */
void boot_main(void)
{
	uint64_t el = (sysreg_read(CurrentEL) >> 2) & 3;

	sysreg_write(vbar_el1, (uintptr_t)vectors); /* catch an UNDEFINED smc */
	isb();
	print("guest %s up on vcpu0 at EL%u\n", GUEST_NAME, (unsigned)el);
	boot_checks();
	gic_dist_init();
	cpu_setup(0);
#if GUEST_FLOOD_ROLE == FLOOD_ROLE_FLOOD
	flood_main();
#elif GUEST_FLOOD_ROLE == FLOOD_ROLE_PEER
	flood_peer_init();
#endif
#if GUEST_ALARM_ROLE
	alarm_main();
#endif
#if GUEST_FAULT_ROLE
	fault_main();
#endif
#if GUEST_DMA_ROLE == 1
	dma_main();
#elif GUEST_DMA_ROLE == 2
	dma_victim_init();
#endif
#if GUEST_UART_RX
	uart_rx_init();
	print("uart rx ready\n");
#endif
	if (GUEST_SMP)
		smp_boot();
	if (GUEST_BURST)
		burst_run();
#if GUEST_IPC_ROLE
	if (GUEST_IPC_ROLE != 3)
		ipc_init();
	irq_unmask();
	if (GUEST_IPC_ROLE == 1)
		ipc_ping();
	if (GUEST_IPC_ROLE == 3)
		ipc_intrude();
#endif
	tick_loop(0);
}

/* PSCI CPU_ON target, via start.S: k from MPIDR_EL1.Aff0, ctx from x0. */
void secondary_main(unsigned k, uint64_t ctx)
{
	cpu_setup(k);
	if (ctx != k)
		print("vcpu%u: context id %lu\n", k, ctx);
	print("vcpu%u online\n", k);
	dmb();
	vcpus[k].online = 1;
#if GUEST_FLOOD_ROLE == FLOOD_ROLE_FLOOD
	flood_secondary(k);
#elif GUEST_ALARM_ROLE
	alarm_secondary(k);
#endif
	tick_loop(k);
}
