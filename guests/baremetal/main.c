/* Guest flow: vCPU 0 boot checks, secondary start, and the per-vCPU tick loop. */
#include <baohu/hypercall.h>
#include "arch.h"
#include "guest.h"
#include "psci.h"
#if GUEST_FORGE
#include "../common/forge.h"
#endif
#include "claims.h"

/* guests/common/ipc.c: the doorbell SPI, to vCPU 0 (the reset routing). */
void ipc_doorbell_enable(unsigned irq)
{
	gic_spi_enable(irq, 0x80);
}

static void cpu_setup(unsigned k)
{
	sysreg_write(vbar_el1, (uintptr_t)vectors);
	isb();
	gic_cpu_init(k);
	gic_enable(k, INTID_SGI_PING);
}

/*
 * The reset demo checks that a VM reset hands the new run clean FP/SIMD
 * state: at boot every V register and FPCR/FPSR must be 0, and before the
 * reset they are all set to a pattern. The guest is built without FP
 * registers, so the instructions are encodings (FMOV Xd, Dn 0x9e660000;
 * UMOV Xd, Vn.D[1] 0x4e183c00; FMOV Dd, Xn 0x9e670000; INS Vd.D[1], Xn
 * 0x4e181c00).
 */
#define FP_READ(n, lo, hi)                                                              \
	__asm__ __volatile__(".inst 0x9e660000 | (" #n " << 5) | 9\n\t"                  \
			     ".inst 0x4e183c00 | (" #n " << 5) | 10\n\t"                 \
			     "mov %0, x9\n\tmov %1, x10" : "=r"(lo), "=r"(hi) : : "x9", "x10")
#define FP_WRITE(n, v)                                                                  \
	__asm__ __volatile__("mov x9, %0\n\t"                                            \
			     ".inst 0x9e670000 | (9 << 5) | " #n "\n\t"                  \
			     ".inst 0x4e181c00 | (9 << 5) | " #n : : "r"(v) : "x9")
#define FP_EACH(op) op(0) op(1) op(2) op(3) op(4) op(5) op(6) op(7) op(8) op(9) op(10) \
	op(11) op(12) op(13) op(14) op(15) op(16) op(17) op(18) op(19) op(20) op(21) op(22) \
	op(23) op(24) op(25) op(26) op(27) op(28) op(29) op(30) op(31)

static void fp_enable(void)
{
	sysreg_write(cpacr_el1, 3ul << 20); /* FPEN: no trap at EL1/EL0 */
	isb();
}

static void fp_check_clean(void)
{
	uint64_t lo, hi, dirty = 0;

	fp_enable();
#define FP_CHECK(n) FP_READ(n, lo, hi); dirty |= lo | hi;
	FP_EACH(FP_CHECK)
	dirty |= sysreg_read(S3_3_C4_C4_0) | sysreg_read(S3_3_C4_C4_1); /* FPCR, FPSR */
	print("fpsimd at boot: %s\n", dirty ? "BAD (state of an earlier run)" : "clean");
}

static void fp_dirty(void)
{
	uint64_t v = 0x5a5a5a5a00000000ul;

	fp_enable();
#define FP_SET(n) FP_WRITE(n, v + n);
	FP_EACH(FP_SET)
	sysreg_write(S3_3_C4_C4_0, 0x03000000ul); /* FPCR.DN, FZ */
	sysreg_write(S3_3_C4_C4_1, 0x08000000ul); /* FPSR.QC */
	print("fpsimd dirtied\n");
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
		fp_dirty();
		print("psci system_reset\n");
		/* Left open: Baohu must end it, not prefix the next run's first line with it. */
		print("a line left unfinished: ");
		print("system_reset returned %d\n", psci(PSCI_SYSTEM_RESET, 0, 0, 0));
	}
#if GUEST_FLOOD_ROLE == FLOOD_ROLE_PEER
	flood_peer_tick(n);
#endif
#ifdef GUEST_WATCHDOG_KICKS
	/* configs/<platform>/watchdog.c: kicks on the first ticks only; no manager, so denied. */
	if (n == 1)
		print("manage calls: info %ld stop %ld start %ld restart %ld stats %ld\n",
		      hvc_call(BAOHU_HC_VM_INFO, 0, 0x40000000, 4096), hvc_call(BAOHU_HC_VM_STOP, 0, 0, 0),
		      hvc_call(BAOHU_HC_VM_START, 0, 0, 0), hvc_call(BAOHU_HC_VM_RESTART, 99, 0, 0),
		      hvc_call(BAOHU_HC_VM_STATS, 1, 0x40000000, 4096));
	if (n <= GUEST_WATCHDOG_KICKS)
		print("watchdog kick %u = %ld%s\n", n, hvc_call(BAOHU_HC_WATCHDOG_KICK, 0, 0, 0),
		      n == GUEST_WATCHDOG_KICKS ? ", the last" : "");
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
#if GUEST_CHECKSUM
			checksum_tick(k, ++ticks);
#else
			print("vcpu%u tick %u\n", k, ++ticks);
#endif
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
	if (GUEST_LIFECYCLE)
		lifecycle_main();
	boot_checks();
#if GUEST_FORGE
	console_forge();
#endif
	if (GUEST_RESET_AFTER)
		fp_check_clean();
	gic_dist_init();
	cpu_setup(0);
#if GUEST_CHECKSUM
	checksum_init();
#endif
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
#if GUEST_CLAIMS
	claims_main();
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
	ipc_run();
#endif
	tick_loop(0);
}

/* PSCI CPU_ON target, via start.S: k from MPIDR_EL1.Aff0, ctx from x0. */
void secondary_main(unsigned k, uint64_t ctx)
{
	cpu_setup(k);
	if (GUEST_LIFECYCLE)
		lifecycle_secondary(k, ctx);
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
