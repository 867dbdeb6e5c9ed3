/* The console device (console_putc, for guests/common/console.c): Baohu's putc hypercall, or a PL011. */
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

void console_putc(char c)
{
#ifdef CONSOLE_PL011
	if (c == '\n')
		out_char('\r');
	out_char(c);
#else
	hvc_call(BAOHU_HC_CONSOLE_PUTC, (uint8_t)c, 0, 0);
#endif
}
