/* A passthrough PL011's receive interrupt: proves a physical SPI reaches the owning vCPU. */
#include "arch.h"
#include "guest.h"

#if GUEST_UART_RX
#define PL011_BASE 0x09000000UL
#define PL011_DR 0x000
#define PL011_FR 0x018
#define PL011_IMSC 0x038
#define PL011_ICR 0x044
#define PL011_FR_RXFE (1u << 4) /* PL011 TRM §3.3.3: receive FIFO empty */
#define PL011_INT_RX (1u << 4)  /* RXIM / RXIC */
#define PL011_INT_RT (1u << 6)  /* receive timeout: a short line sits below the FIFO level */

volatile uint32_t uart_rx_lines;
static char line[64];
static unsigned len;
char uart_rx_line[64];

void uart_rx_init(void)
{
	mmio_w32(PL011_BASE + PL011_ICR, 0x7ff);
	mmio_w32(PL011_BASE + PL011_IMSC, PL011_INT_RX | PL011_INT_RT);
	gic_spi_enable(INTID_UART, 0x80);
}

/* Runs in the IRQ handler: collect characters, publish each completed line. */
void uart_rx_irq(void)
{
	while (!(mmio_r32(PL011_BASE + PL011_FR) & PL011_FR_RXFE)) {
		char c = (char)(mmio_r32(PL011_BASE + PL011_DR) & 0xff);
		if (c == '\r' || c == '\n') {
			if (len == 0)
				continue;
			line[len] = '\0';
			for (unsigned i = 0; i <= len; i++)
				uart_rx_line[i] = line[i];
			len = 0;
			uart_rx_lines++;
		} else if (len + 1 < sizeof(line)) {
			line[len++] = c;
		}
	}
	mmio_w32(PL011_BASE + PL011_ICR, PL011_INT_RX | PL011_INT_RT);
}
#endif
