/* Arm PL011 UART, the console's transmitter (PrimeCell UART TRM DDI0183, §3.3: UARTDR, UARTFR). */
#include <stdint.h>
#include "console.h"

#define PL011_DR 0x00
#define PL011_FR 0x18
#define PL011_FR_TXFF (1u << 5) /* transmit FIFO full (§3.3.3) */

static volatile uint8_t *pl011_base;

void uart_init(unsigned long base)
{
    /* The firmware or QEMU already configured baud rate and enabled the UART. */
    pl011_base = (volatile uint8_t *)base;
}

/* Never waits: the console bounds the wait (console_out.c). A UART that is
 * disabled or held by CTS flow control just stays "full". */
bool uart_tx_ready(void)
{
    return !(*(volatile uint32_t *)(pl011_base + PL011_FR) & PL011_FR_TXFF);
}

void uart_tx(char c)
{
    *(volatile uint32_t *)(pl011_base + PL011_DR) = (uint32_t)(uint8_t)c;
}
