/* Line-at-a-time console: one bakery lock per VM, output via Baohu's putc hypercall or a PL011. */
#include <baohu/hypercall.h>
#include "arch.h"
#include "guest.h"

#ifdef CONSOLE_PL011
#define PL011_BASE 0x09000000UL
#define PL011_DR 0x000
#define PL011_FR 0x018
#define PL011_FR_TXFF (1u << 5) /* PL011 TRM: transmit FIFO full */

static void out_char(char c)
{
	while (mmio_r32(PL011_BASE + PL011_FR) & PL011_FR_TXFF)
		cpu_relax();
	mmio_w32(PL011_BASE + PL011_DR, (uint8_t)c);
}
#endif

static void emit(const char *s)
{
	for (; *s; s++) {
#ifdef CONSOLE_PL011
		if (*s == '\n')
			out_char('\r');
		out_char(*s);
#else
		/* Baohu tags and buffers per VM, so a line must go out unbroken. */
		hvc_call(BAOHU_HC_CONSOLE_PUTC, (uint8_t)*s, 0, 0);
#endif
	}
}

static struct bakery console_lock;
static volatile uint32_t holder; /* vCPU number + 1 while the lock is held */

void print(const char *fmt, ...)
{
	char line[160];
	unsigned me = cpu_id();
	va_list ap;

	va_start(ap, fmt);
	vfmt(line, sizeof(line), fmt, ap);
	va_end(ap);
	/* A fault while this vCPU prints must still report, not self-deadlock. */
	if (holder == me + 1) {
		emit(line);
		return;
	}
	bakery_lock(&console_lock, me);
	holder = me + 1;
	emit(line);
	holder = 0;
	bakery_unlock(&console_lock, me);
}
