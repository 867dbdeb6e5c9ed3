/* Passthrough interrupt test: the goldfish RTC's alarm through the (emulated) PLIC, source 11. */
#include "guest.h"
#include "riscv.h"

/* QEMU virt: goldfish RTC at 0x101000 on source 11; PLIC at 0xc000000
 * with contexts 2k (M) and 2k + 1 (S) for hart k (PLIC spec §3). */
#define RTC_BASE 0x101000UL
#define RTC_TIME_LOW 0x00
#define RTC_TIME_HIGH 0x04
#define RTC_ALARM_LOW 0x08
#define RTC_ALARM_HIGH 0x0c
#define RTC_IRQ_ENABLED 0x10
#define RTC_CLEAR_INTERRUPT 0x1c
#define RTC_SRC 11u
#define PLIC_BASE 0xc000000UL
#define PLIC_ENABLE(ctx) (PLIC_BASE + 0x2000 + 0x80 * (ctx))
#define PLIC_THRESHOLD(ctx) (PLIC_BASE + 0x200000 + 0x1000 * (ctx))

/* A level source in MSI mode can be sent twice when it is still high as its
 * first MSI goes out (AIA §4.7): only an armed alarm counts. */
static volatile uint32_t armed;

/* TIME_LOW latches TIME_HIGH (nanoseconds). */
uint64_t rtc_time(void)
{
	uint64_t now = mmio_r32(RTC_BASE + RTC_TIME_LOW);

	return now | (uint64_t)mmio_r32(RTC_BASE + RTC_TIME_HIGH) << 32;
}

/* ALARM_LOW arms with the high half written first. */
void rtc_alarm(uint64_t at_ns)
{
	mmio_w32(RTC_BASE + RTC_ALARM_HIGH, (uint32_t)(at_ns >> 32));
	mmio_w32(RTC_BASE + RTC_ALARM_LOW, (uint32_t)at_ns);
}

/* The device's interrupt line: enabled, and lowered. */
void rtc_irq_on(void)
{
	mmio_w32(RTC_BASE + RTC_IRQ_ENABLED, 1);
}

void rtc_ack(void)
{
	mmio_w32(RTC_BASE + RTC_CLEAR_INTERRUPT, 1);
}

static void rtc_arm(uint64_t delay_ns)
{
	armed = 1;
	rtc_alarm(rtc_time() + delay_ns);
}

/* The device's part: quiet it, re-arm twice more. */
void rtc_event(unsigned k)
{
	rtc_ack();
	if (!armed)
		return;
	armed = 0;
	if (++vcpus[k].rtc < 3)
		rtc_arm(300000000ull);
}

/* AIA: the APLIC (S domain, MSI mode, AIA §4.5) sends source 11 as MSI 11
 * to this hart's interrupt file. */
#define APLIC_BASE 0xd000000UL
#define APLIC_DOMAINCFG_IE (1u << 8)
#define APLIC_SOURCECFG(i) (APLIC_BASE + 0x4 + 4 * ((i) - 1))
#define APLIC_SM_LEVEL_HIGH 6u
#define APLIC_SETIENUM (APLIC_BASE + 0x1edc)
#define APLIC_TARGET(i) (APLIC_BASE + 0x3004 + 4 * ((i) - 1))

static void rtc_test_aia(void)
{
	mmio_w32(APLIC_BASE, APLIC_DOMAINCFG_IE);
	mmio_w32(APLIC_SOURCECFG(RTC_SRC), APLIC_SM_LEVEL_HIGH);
	mmio_w32(APLIC_SOURCECFG(10), APLIC_SM_LEVEL_HIGH); /* the UART's: not this VM's */
	print("aplic sourcecfg(%u) = %u, sourcecfg(10) = %u\n", RTC_SRC,
	      mmio_r32(APLIC_SOURCECFG(RTC_SRC)), mmio_r32(APLIC_SOURCECFG(10)));
	mmio_w32(APLIC_TARGET(RTC_SRC), (cpu_id() << 18) | EIID_RTC);
	mmio_w32(APLIC_SETIENUM, RTC_SRC);
	mmio_w32(RTC_BASE + RTC_IRQ_ENABLED, 1);
	rtc_arm(300000000ull);
}

void rtc_test(void)
{
	unsigned ctx = 2 * cpu_id() + 1;

	if (GUEST_AIA) {
		rtc_test_aia();
		return;
	}

	mmio_w32(PLIC_BASE + 4 * RTC_SRC, 1);
	mmio_w32(PLIC_BASE + 4 * 10, 1); /* the console UART's: not this VM's */
	print("plic priority(%u) = %u, priority(10) = %u\n", RTC_SRC,
	      mmio_r32(PLIC_BASE + 4 * RTC_SRC), mmio_r32(PLIC_BASE + 4 * 10));
	mmio_w32(PLIC_ENABLE(ctx), 1u << RTC_SRC);
	mmio_w32(PLIC_THRESHOLD(ctx), 0);
	csr_set(sie, 1u << IRQ_SEI);
	mmio_w32(RTC_BASE + RTC_IRQ_ENABLED, 1);
	rtc_arm(300000000ull); /* 300 ms */
}
