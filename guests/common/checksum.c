/* Victim mode (GUEST_CHECKSUM): each tick prints a checksum of the guest's own image and of a
 * pattern page it wrote at boot, and reports a tick that came more than two periods late, so a
 * test can show that a neighbour VM neither wrote into this partition nor stalled this vCPU.
 * Shared by both test guests (each gives print, timer_now and timer_ms in its guest.h). */
#include "guest.h"

#if GUEST_CHECKSUM
extern char _start[], __bss_start[];

/* In .bss, never written after boot: 64 KiB the victim fills with a known pattern. */
static uint32_t pattern[16384];
static uint64_t last_tick;

static uint32_t sum_words(const volatile uint32_t *p, const volatile uint32_t *end, uint32_t s)
{
	/* Order-sensitive (a multiply per word), so swapped or moved words change it too. */
	for (; p < end; p++)
		s = s * 31u + *p;
	return s;
}

void checksum_init(void)
{
	uint32_t x = 0x2545f491u;
	unsigned i;

	for (i = 0; i < sizeof(pattern) / sizeof(pattern[0]); i++) {
		x ^= x << 13; /* xorshift32: no two words alike */
		x ^= x >> 17;
		x ^= x << 5;
		pattern[i] = x;
	}
	last_tick = timer_now();
}

void checksum_tick(unsigned k, uint32_t n)
{
	uint64_t now = timer_now(), gap = now - last_tick;
	uint32_t s = sum_words((const uint32_t *)(uintptr_t)_start,
			       (const uint32_t *)(uintptr_t)__bss_start, 0);

	s = sum_words(pattern, pattern + sizeof(pattern) / sizeof(pattern[0]), s);
	last_tick = now;
	print("vcpu%u tick %u sum %x\n", k, n, s);
	/* Ticks are printed from the thread loop, so "late" allows for one period of slack. */
	if (gap > 2 * timer_ms(TICK_MS) + timer_ms(TICK_MS) / 2)
		print("vcpu%u tick %u late: %lu ms since the last\n", k, n,
		      gap * 1000 / timer_ms(1000));
}
#endif
