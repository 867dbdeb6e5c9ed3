/* The console device (console_putc, for guests/common/console.c): SBI console_putchar (tagged per VM by Baohu), or an NS16550A. */
#include "guest.h"
#include "sbi.h"

void console_putc(char c)
{
#if GUEST_UART16550
	if (c == '\n')
		uart16550_putc('\r');
	uart16550_putc(c);
#else
	sbi_putchar(c);
#endif
}
