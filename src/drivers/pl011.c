/* Arm PL011 UART, the console's transmitter (PrimeCell UART TRM DDI0183, §3.3: UARTDR, UARTFR). */
#include <stdint.h>
#include "console.h"

#define PL011_DR 0x00
#define PL011_FR 0x18
#define PL011_IMSC 0x38
#define PL011_ICR 0x44
#define PL011_FR_RXFE (1u << 4) /* receive FIFO empty (§3.3.3) */
#define PL011_FR_TXFF (1u << 5) /* transmit FIFO full */
#define PL011_INT_RX (1u << 4)  /* RXIM (§3.3.10) */
#define PL011_INT_RT (1u << 6)  /* RTIM: a short line below the FIFO level */

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

void uart_rx_enable(void)
{
    *(volatile uint32_t *)(pl011_base + PL011_ICR) = PL011_INT_RX | PL011_INT_RT;
    *(volatile uint32_t *)(pl011_base + PL011_IMSC) = PL011_INT_RX | PL011_INT_RT;
}

/* Reading DR until the FIFO is empty clears RXRIS and RTRIS (§3.4.3). */
int uart_rx(void)
{
    if (*(volatile uint32_t *)(pl011_base + PL011_FR) & PL011_FR_RXFE)
        return -1;
    return (int)(*(volatile uint32_t *)(pl011_base + PL011_DR) & 0xff);
}
