/* Line-at-a-time console through SBI console_putchar (tagged per VM by Baohu). */
#include "guest.h"
#include "sbi.h"

static void out_char(char c)
{
#if GUEST_UART16550
	if (c == '\n')
		uart16550_putc('\r');
	uart16550_putc(c);
#else
	sbi_putchar(c);
#endif
}

static struct ticket_lock console_lock;
static volatile uint32_t holder; /* vCPU number + 1 while the lock is held */

void print(const char *fmt, ...)
{
	char line[160];
	unsigned me = cpu_id();
	va_list ap;
	const char *s;

	va_start(ap, fmt);
	vfmt(line, sizeof(line), fmt, ap);
	va_end(ap);
	/* A trap while this vCPU prints must still report, not self-deadlock. */
	if (holder == me + 1) {
		for (s = line; *s; s++)
			out_char(*s);
		return;
	}
	/* Baohu buffers per VM, so a line must go out unbroken. */
	lock_take(&console_lock);
	holder = me + 1;
	for (s = line; *s; s++)
		out_char(*s);
	holder = 0;
	lock_give(&console_lock);
}
