/* Claims probes (tests/integration/test_claims_riscv64.py): SBI TIME, vPLIC thresholds, shared memory not executable. */
#include "claims.h"
#include "guest.h"
#include "riscv.h"
#include "sbi.h"

#if GUEST_CLAIMS
#define SBI_TIME_SET_TIMER 0

static uint64_t now(void)
{
	return csr_read(time);
}

/* Interrupts on until `until` (timebase ticks) or until the timer has been taken once more. */
static uint64_t take_timer(unsigned k, uint64_t start, uint64_t until)
{
	uint32_t before = vcpus[k].ticks;
	uint64_t t;

	irq_unmask();
	while (vcpus[k].ticks == before && (t = now()) - start < until)
		;
	irq_mask();
	return vcpus[k].ticks == before ? ~0ull : now() - start;
}

/*
 * 1: SBI TIME (SBI v2.0 §6): probed as present; set_timer(now + 10 ms) returns SBI_SUCCESS and
 * its interrupt is taken, not before the deadline; a deadline in the past is taken at once; a
 * pending timer interrupt is withdrawn by set_timer((uint64_t)-1) (§6.1: "must clear the
 * pending timer interrupt bit"). The timer interrupt is the guest's own handler's (timer.c,
 * which counts it and rearms through stimecmp); the tick loop starts again from 0 afterwards.
 * (QEMU 7.2 does not show VS-level pending bits in a VS-mode read of sip: the interrupt must
 * be taken to be seen.)
 */
static void claims_sbi_time(void)
{
	unsigned k = cpu_id();
	uint64_t us = TIMEBASE_HZ / 1000000, delay = TIMEBASE_HZ / 100, start, fired;
	struct sbiret probe = sbi_call(SBI_EXT_BASE, SBI_BASE_PROBE_EXT, SBI_EXT_TIME, 0, 0, 0);
	struct sbiret r;

	irq_mask();
	csr_set(sie, 1u << IRQ_STI);
	start = now();
	r = sbi_call(SBI_EXT_TIME, SBI_TIME_SET_TIMER, start + delay, 0, 0, 0);
	fired = take_timer(k, start, TIMEBASE_HZ);
	print("sbi time: probe %ld, set_timer(+10 ms) = %ld, taken after %ld us\n", probe.value,
	      r.error, fired == ~0ull ? -1l : (long)(fired / us));

	r = sbi_call(SBI_EXT_TIME, SBI_TIME_SET_TIMER, 0, 0, 0, 0);
	start = now();
	fired = take_timer(k, start, TIMEBASE_HZ / 10);
	print("sbi time: set_timer(0) = %ld, taken after %ld us\n", r.error,
	      fired == ~0ull ? -1l : (long)(fired / us));

	sbi_call(SBI_EXT_TIME, SBI_TIME_SET_TIMER, 0, 0, 0, 0); /* pending, interrupts masked */
	r = sbi_call(SBI_EXT_TIME, SBI_TIME_SET_TIMER, ~0ull, 0, 0, 0);
	start = now();
	fired = take_timer(k, start, TIMEBASE_HZ / 20);
	print("sbi time: set_timer(0) then set_timer(-1) = %ld, taken in the next 50 ms: %s\n", r.error,
	      fired == ~0ull ? "no" : "yes");
	vcpus[k].ticks = 0;
	print("sbi time: done\n");
}

/* QEMU virt's PLIC, hart k's S context 2k + 1 (PLIC spec §3); the RTC is source 11. */
#define PLIC_BASE 0xc000000UL
#define PLIC_PENDING(src) (PLIC_BASE + 0x1000 + 4 * ((src) / 32))
#define PLIC_THRESHOLD(ctx) (PLIC_BASE + 0x200000 + 0x1000 * (ctx))
#define RTC_SRC 11u

static unsigned rtc_pending(void)
{
	return mmio_r32(PLIC_PENDING(RTC_SRC)) >> (RTC_SRC % 32) & 1;
}

/* One priority/threshold pair: interrupts on for 20 ms; the guest's handler (irqc.c) claims,
 * acknowledges at the RTC and completes the alarm if it is delivered, so it is no longer
 * pending after. */
static void threshold_case(unsigned ctx, unsigned prio, unsigned thr)
{
	uint64_t start;

	plic_source_priority(RTC_SRC, prio);
	mmio_w32(PLIC_THRESHOLD(ctx), thr);
	start = now();
	irq_unmask();
	while (rtc_pending() && now() - start < TIMEBASE_HZ / 50)
		;
	irq_mask();
	print("plic: priority %u threshold %u: %s\n", prio, thr, rtc_pending() ? "not delivered" : "delivered");
}

/*
 * 2: vPLIC thresholds (PLIC spec §7: a context takes only interrupts whose priority is above its
 * threshold; priority 0 never interrupts). The RTC's alarm is left pending; each pair of
 * priority and threshold lets interrupts in for a while; only the last, above the threshold, is
 * taken.
 */
static void claims_plic_threshold(void)
{
	unsigned k = cpu_id(), ctx = 2 * k + 1;
	uint64_t start;

	irq_mask();
	csr_set(sie, 1u << IRQ_SEI);
	mmio_w32(PLIC_THRESHOLD(ctx), 7);
	plic_source_priority(RTC_SRC, 1);
	plic_source_route(RTC_SRC, k, 1);
	rtc_irq_on();
	start = rtc_time();
	rtc_alarm(start + 20000000ull); /* 20 ms */
	while (!rtc_pending() && rtc_time() - start < 2000000000ull)
		;
	print("plic: rtc alarm %s\n", rtc_pending() ? "pending" : "not pending after 2 s");
	threshold_case(ctx, 1, 1);
	threshold_case(ctx, 2, 2);
	threshold_case(ctx, 3, 7);
	threshold_case(ctx, 0, 0);
	threshold_case(ctx, 3, 2);
	plic_source_priority(RTC_SRC, 1);
	mmio_w32(PLIC_THRESHOLD(ctx), 0);
	print("plic: thresholds done\n");
}

/*
 * 3: the VM's own shared-memory object is readable and writable but never executable: a
 * `c.jr ra` written there and called must not return; the exception the VM receives is printed
 * by trap.c ("guest exception scause=... sepc=... stval=...").
 */
static void claims_shmem_exec(void)
{
	volatile uint16_t *code = (volatile uint16_t *)GUEST_CLAIMS_SHM;
	void (*call)(void) = (void (*)(void))GUEST_CLAIMS_SHM;

	code[0] = 0x8082u; /* c.jr ra */
	__asm__ __volatile__("fence.i" : : : "memory");
	print("shmem: wrote ret at 0x%lx, reads back 0x%x; calling it\n", (uint64_t)GUEST_CLAIMS_SHM,
	      code[0]);
	call();
	print("shmem: the call returned: shared memory is executable\n");
}

/*
 * 4: the instruction read behind an emulated access faults (a Baohu built with
 * BAOHU_TEST_HLVX_FAULT reads it elsewhere when t6 = "HLVX"): the VM gets the access fault of an
 * access that cannot be emulated, printed by trap.c; Baohu goes on.
 */
static void claims_hlvx(void)
{
	uintptr_t reg = GUEST_CLAIMS_IRQC + 4;
	uint32_t v = mmio_r32(reg);

	print("hlvx: emulated read of 0x%lx = 0x%x\n", (uint64_t)reg, v);
	print("hlvx: the same read with t6 = HLVX\n");
	__asm__ __volatile__("li t6, 0x58564c48\n\tlw %0, 0(%1)\n\tli t6, 0"
			     : "=r"(v) : "r"(reg) : "t6", "memory");
	print("hlvx: the read returned 0x%x\n", v);
}

void claims_main(void)
{
	if (GUEST_CLAIMS == CLAIMS_HLVX)
		claims_hlvx();
	else if (GUEST_CLAIMS == CLAIMS_SBI_TIME)
		claims_sbi_time();
	else if (GUEST_CLAIMS == CLAIMS_PLIC_THRESHOLD)
		claims_plic_threshold();
	else if (GUEST_CLAIMS == CLAIMS_SHMEM_EXEC)
		claims_shmem_exec();
}
#endif
