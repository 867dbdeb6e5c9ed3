/*
 * A passed-through device that raises a level interrupt after a delay the
 * guest programs (GUEST_ALARM_ROLE), and two tests built on it:
 *
 *  ALARM_ROLE_SPI_OFF: vCPU 0 starts vCPU 1 and powers itself off (PSCI
 *    CPU_OFF); vCPU 1 routes the device's SPI to itself and enables it,
 *    before the alarm fires (mode 0) or after (modes 1 and 2, while the SPI
 *    was still routed to the off vCPU 0). Its handler must run on vCPU 1.
 *  ALARM_ROLE_RESET: on the first boot the handler asks for PSCI
 *    SYSTEM_RESET from inside itself, before the EOI (and in mode 0 before
 *    acknowledging at the device). A word in a shared-memory object counts
 *    the boots; the second boot's alarm must be delivered again.
 *
 * Devices: the PL031 RTC (QEMU virt, 0x09010000, SPI 2; PL031 TRM) or timer 1
 * of the Cadence TTC0 (ZynqMP, 0xFF110000, SPI 36; UG1085 "Triple-timer
 * Counter"; its timer 2 serves as a witness, its interrupt never enabled),
 * picked per platform in guests/variants.mk.
 */
#include "arch.h"
#include "guest.h"
#include "psci.h"

#if GUEST_ALARM_ROLE
#if GUEST_ALARM_PL031
#define ALARM_NAME "pl031 rtc"
#define ALARM_BASE 0x09010000UL
#define ALARM_INTID 34
#define RTCDR 0x00   /* data: seconds */
#define RTCMR 0x04   /* match */
#define RTCIMSC 0x10 /* interrupt mask set/clear: 1 = enabled */
#define RTCRIS 0x14  /* raw interrupt status */
#define RTCICR 0x1c  /* interrupt clear */
#elif GUEST_ALARM_TTC
#define ALARM_NAME "cadence ttc0"
#define ALARM_BASE 0xff110000UL
#define ALARM_INTID 68
/* Timer n's registers are at these offsets + 4 (n - 1). */
#define TTC_CLK_CTRL 0x00 /* PS_EN [0], PS_V [4:1]: count at pclk / 2^(PS_V + 1) */
#define TTC_CNT_CTRL 0x0c /* DIS [0], INT [1] (interval mode), RST [4] */
#define TTC_INTERVAL 0x24
#define TTC_ISR 0x54 /* interrupt status: cleared by reading */
#define TTC_IER 0x60 /* interrupt enable: Iv [0] = interval */
#define TTC_CNT_DIS 0x01u
#define TTC_CNT_INT 0x02u
#define TTC_CNT_RST 0x10u
#define TTC_PS_MAX ((15u << 1) | 1u) /* divide by 65536 */
#define TTC_PCLK 133000000ull        /* QEMU's model; the counter is 16 bits */
#define TTC_ALARM 0 /* timer 1 raises the interrupt */
#define TTC_TWIN 4  /* timer 2, same setup, interrupt disabled: witness of timer 1's expiry */
#else
#error "GUEST_ALARM_ROLE needs the platform's device: -DGUEST_ALARM_PL031=1 or -DGUEST_ALARM_TTC=1"
#endif

#define ALARM_PRIO 0x80

struct bootlog {
	volatile uint32_t boots; /* in a shared-memory object: zero when Baohu starts */
};
#define BOOTLOG ((struct bootlog *)GUEST_BOOTLOG_SHM)

static volatile uint32_t irqs_taken, irq_vcpu;
static uint32_t boot;
static volatile uint64_t armed_at;

static uint32_t reg_r(unsigned off) { return mmio_r32(ALARM_BASE + off); }
static void reg_w(unsigned off, uint32_t v) { mmio_w32(ALARM_BASE + off, v); }

unsigned alarm_intid(void)
{
	return ALARM_INTID;
}

/* The device quiet: no interrupt enabled, nothing latched (whatever a previous boot left). */
static void alarm_quiesce(void)
{
#if GUEST_ALARM_PL031
	reg_w(RTCIMSC, 0);
	reg_w(RTCICR, 1);
#else
	for (unsigned t = TTC_ALARM; t <= TTC_TWIN; t += TTC_TWIN) {
		reg_w(t + TTC_CNT_CTRL, TTC_CNT_DIS);
		reg_w(t + TTC_IER, 0);
		(void)reg_r(t + TTC_ISR);
	}
#endif
}

/* Raise the interrupt `ms` from now (the PL031 counts whole seconds: rounded up). */
static void alarm_arm(unsigned ms)
{
	armed_at = timer_now();
#if GUEST_ALARM_PL031
	reg_w(RTCICR, 1);
	reg_w(RTCMR, reg_r(RTCDR) + (ms + 999) / 1000);
	reg_w(RTCIMSC, 1);
#else
	/* The twin starts after the alarm timer: once it has expired, so has the alarm. */
	for (unsigned t = TTC_ALARM; t <= TTC_TWIN; t += TTC_TWIN) {
		reg_w(t + TTC_CNT_CTRL, TTC_CNT_DIS);
		reg_w(t + TTC_CLK_CTRL, TTC_PS_MAX);
		reg_w(t + TTC_INTERVAL, (uint32_t)(TTC_PCLK * ms / 65536 / 1000));
		(void)reg_r(t + TTC_ISR);
		reg_w(t + TTC_IER, t == TTC_ALARM ? 1 : 0);
		reg_w(t + TTC_CNT_CTRL, TTC_CNT_INT | TTC_CNT_RST);
	}
#endif
}

/* Acknowledge at the device: the line drops and the alarm does not come back. */
static void alarm_ack(void)
{
#if GUEST_ALARM_PL031
	reg_w(RTCIMSC, 0);
	reg_w(RTCICR, 1);
#else
	(void)reg_r(TTC_ISR);
	reg_w(TTC_CNT_CTRL, TTC_CNT_DIS);
	reg_w(TTC_IER, 0);
	reg_w(TTC_TWIN + TTC_CNT_CTRL, TTC_CNT_DIS);
#endif
}

/*
 * Wait (bounded) until the alarm has fired at the device, without touching
 * its interrupt state: the PL031 shows it in its raw status; the TTC's status
 * clears when read, so there the twin timer's status is polled instead.
 */
static int alarm_wait_raised(unsigned ms)
{
	uint64_t deadline = timer_now() + timer_ms(ms + 1500);
	int raised = 0;

	while (!raised && timer_now() < deadline) {
#if GUEST_ALARM_PL031
		raised = reg_r(RTCRIS) & 1;
#else
		raised = reg_r(TTC_TWIN + TTC_ISR) & 1;
#endif
		cpu_relax();
	}
	return raised;
}

static unsigned ms_since_armed(void)
{
	return (unsigned)((timer_now() - armed_at) * 1000 / sysreg_read(cntfrq_el0));
}

static void __attribute__((noreturn)) system_off(void)
{
	print("psci system_off\n");
	print("system_off returned %d\n", psci(PSCI_SYSTEM_OFF, 0, 0, 0));
	for (;;)
		wfi();
}

/* Sleep until the handler has run or `ms` pass; the vCPU's own tick wakes the WFI. */
static int wait_irq(unsigned k, unsigned ms)
{
	uint64_t deadline = timer_now() + timer_ms(ms);

	timer_start(k);
	for (;;) {
		irq_mask();
		if (irqs_taken || timer_now() >= deadline) {
			irq_unmask();
			return irqs_taken != 0;
		}
		wfi();
		irq_unmask();
	}
}

void alarm_irq(unsigned k)
{
	if (GUEST_ALARM_ROLE == ALARM_ROLE_RESET) {
		print("alarm irq: intid %u on vcpu%u, boot %u (%u ms after arming)\n", ALARM_INTID, k,
		      boot, ms_since_armed());
		if (boot == 1) {
			if (GUEST_ALARM_MODE == 1)
				alarm_ack();
			print("system_reset from the handler: device %s, no eoi\n",
			      GUEST_ALARM_MODE == 1 ? "acknowledged" : "not acknowledged");
			print("system_reset returned %d\n", psci(PSCI_SYSTEM_RESET, 0, 0, 0));
		}
	} else {
		print("alarm irq: intid %u on vcpu%u (%u ms after arming)\n", ALARM_INTID, k,
		      ms_since_armed());
	}
	alarm_ack();
	irq_vcpu = k;
	dmb();
	irqs_taken++;
}

/* Route the SPI to vCPU k, enable it, arm the alarm, wait for the handler. */
static void __attribute__((noreturn)) reset_take(unsigned k)
{
	if (k != 0)
		gic_spi_route(ALARM_INTID, k);
	gic_spi_enable(ALARM_INTID, ALARM_PRIO);
	alarm_arm(1000);
	print("alarm armed: 1000 ms, spi %u routed to vcpu%u (boot %u)\n", ALARM_INTID, k, boot);
	if (!wait_irq(k, 6000))
		print("alarm irq: NOT delivered within 6 s (boot %u)\n", boot);
	else if (boot >= 2)
		print("irqreset: alarm delivered after the reset\n");
	system_off();
}

/* vCPU 1 of ALARM_ROLE_SPI_OFF, once vCPU 0 is off. */
static void __attribute__((noreturn)) spi_off_take(void)
{
	const unsigned me = 1;
	int raised;

	switch (GUEST_ALARM_MODE) {
	case 0:
		gic_spi_route(ALARM_INTID, me);
		gic_spi_enable(ALARM_INTID, ALARM_PRIO);
		print("vcpu1: spi %u routed to vcpu1 and enabled\n", ALARM_INTID);
		alarm_arm(2000);
		print("alarm armed: 2000 ms\n");
		break;
	case 1:
	case 2:
		alarm_arm(1000);
		print("alarm armed: 1000 ms, spi %u still routed to vcpu0 and disabled\n", ALARM_INTID);
		raised = alarm_wait_raised(1000);
		print("alarm raised at the device before the spi is routed: %s (%u ms after arming)\n",
		      raised ? "yes" : "NO", ms_since_armed());
		if (GUEST_ALARM_MODE == 1) {
			gic_spi_route(ALARM_INTID, me);
			gic_spi_enable(ALARM_INTID, ALARM_PRIO);
			print("vcpu1: spi %u routed to vcpu1, then enabled\n", ALARM_INTID);
		} else {
			gic_spi_enable(ALARM_INTID, ALARM_PRIO);
			print("vcpu1: spi %u enabled while routed to the off vcpu0\n", ALARM_INTID);
			uint64_t later = timer_now() + timer_ms(200);
			while (timer_now() < later)
				cpu_relax();
			gic_spi_route(ALARM_INTID, me);
			print("vcpu1: spi %u then routed to vcpu1\n", ALARM_INTID);
		}
		break;
	default:
		break;
	}
	if (wait_irq(me, 5000))
		print("spi-off: alarm delivered to vcpu%u\n", irq_vcpu);
	else
		print("spi-off: alarm NOT delivered within 5 s\n");
	system_off();
}

void alarm_main(void)
{
	int32_t ret;

	alarm_quiesce();
	if (GUEST_ALARM_ROLE == ALARM_ROLE_RESET) {
		boot = ++BOOTLOG->boots;
		dsb();
		print("boot %u: %s, intid %u\n", boot, ALARM_NAME, ALARM_INTID);
		if (boot > 2) {
			print("boot %u: more resets than asked for\n", boot);
			system_off();
		}
		if (GUEST_ALARM_VCPU == 0)
			reset_take(0);
	} else {
		print("alarm device: %s, intid %u\n", ALARM_NAME, ALARM_INTID);
	}
	ret = psci(PSCI_CPU_ON, 1, (uintptr_t)secondary_entry, 1);
	print("psci cpu_on(1) = %d\n", ret);
	if (GUEST_ALARM_ROLE == ALARM_ROLE_RESET)
		return; /* vCPU 1 takes the alarm; vCPU 0 ticks meanwhile */
	uint64_t deadline = timer_now() + timer_ms(2000);
	while (!vcpus[1].online && timer_now() < deadline)
		cpu_relax();
	print("vcpu0: cpu_off\n");
	ret = psci(PSCI_CPU_OFF, 0, 0, 0);
	print("cpu_off returned %d\n", ret);
	for (;;)
		wfi();
}

void alarm_secondary(unsigned k)
{
	if (k != 1)
		for (;;)
			wfi();
	if (GUEST_ALARM_ROLE == ALARM_ROLE_RESET)
		reset_take(k);
	/* AFFINITY_INFO (PSCI §5.7): 1 = OFF. */
	uint64_t deadline = timer_now() + timer_ms(2000);
	while (psci(PSCI_AFFINITY_INFO, 0, 0, 0) != 1 && timer_now() < deadline)
		cpu_relax();
	print("vcpu1: affinity_info(0) = %d\n", psci(PSCI_AFFINITY_INFO, 0, 0, 0));
	spi_off_take();
}
#endif
