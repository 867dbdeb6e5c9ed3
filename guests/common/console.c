/* Line-at-a-time console of the bare-metal guests: one lock per VM, each line written whole through the guest's console_putc. */
#include "guest.h"

static struct guest_lock console_lock;
static volatile uint32_t holder; /* vCPU number + 1 while the lock is held */

static void emit(const char *s)
{
	for (; *s; s++)
		console_putc(*s);
}

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
	/* Baohu tags and buffers per VM, so a line must go out unbroken. */
	lock_take(&console_lock, me);
	holder = me + 1;
	emit(line);
	holder = 0;
	lock_give(&console_lock, me);
}
