/* SGI burst: eight self-SGIs with shuffled priorities must be taken strictly by priority. */
#include "arch.h"
#include "guest.h"

/*
 * Priorities of SGIs 8..15: distinct multiples of 0x10 so that they stay
 * distinct with as few as 4 implemented priority bits (GICv3 §4.8).
 */
static const uint8_t prio[8] = { 0x80, 0x20, 0x60, 0x40, 0xa0, 0x30, 0x70, 0x50 };
static volatile uint32_t got;
static volatile uint8_t order[8];

void burst_record(unsigned intid)
{
	if (got < 8)
		order[got] = (uint8_t)intid;
	got++;
}

static int in_priority_order(void)
{
	unsigned i;

	for (i = 1; i < 8; i++)
		if (prio[order[i - 1] - INTID_BURST_FIRST] >= prio[order[i] - INTID_BURST_FIRST])
			return 0;
	return 1;
}

/*
 * All eight are made pending while IRQs are masked, so on unmasking the
 * interface (or a hypervisor juggling its list registers) must present them
 * highest priority first.
 */
void burst_run(void)
{
	const uint32_t mask = 0xffu << INTID_BURST_FIRST;
	char seen[40];
	unsigned i, n = 0;
	uint64_t deadline;

	irq_mask();
	for (i = 0; i < 8; i++) {
		gic_set_priority(0, INTID_BURST_FIRST + i, prio[i]);
		gic_enable(0, INTID_BURST_FIRST + i);
	}
	for (i = 0; i < 8; i++)
		gic_send_sgi(0, INTID_BURST_FIRST + i);
	/* SGI delivery is asynchronous: wait (bounded) until all show pending. */
	deadline = timer_now() + timer_ms(100);
	while ((gic_pending(0) & mask) != mask && timer_now() < deadline)
		cpu_relax();
	irq_unmask();
	deadline = timer_now() + timer_ms(1000);
	while (got < 8 && timer_now() < deadline)
		cpu_relax();
	irq_mask();

	if (got == 8 && in_priority_order()) {
		print("sgi burst: %u/8 delivered, order ok\n", got);
		return;
	}
	seen[0] = '\0';
	for (i = 0; i < got && i < 8; i++)
		n += sfmt(seen + n, sizeof(seen) - n, " %u", order[i]);
	print("sgi burst: %u/8 delivered, order BAD (seen:%s)\n", got, seen);
}
