/* NS16550A console UART (QEMU virt: byte registers, no stride), the console's transmitter. */
#include "console.h"

#define NS16550_RBR 0x0
#define NS16550_THR 0x0
#define NS16550_IER 0x1
#define NS16550_IER_ERBFI (1u << 0) /* received data available */
#define NS16550_LSR_DR (1u << 0)    /* data ready */
#define NS16550_LSR 0x5
#define NS16550_LSR_THRE (1u << 5) /* transmit holding register empty */

static volatile uint8_t *ns16550_base;

/* The firmware has already set the line up (baud rate, 8N1); leave it so. */
void uart_init(unsigned long base)
{
    ns16550_base = (volatile uint8_t *)base;
}

/* Never waits: the console bounds the wait (console_out.c). */
bool uart_tx_ready(void)
{
    return ns16550_base[NS16550_LSR] & NS16550_LSR_THRE;
}

void uart_tx(char c)
{
    ns16550_base[NS16550_THR] = (uint8_t)c;
}

void uart_rx_enable(void)
{
    ns16550_base[NS16550_IER] = NS16550_IER_ERBFI;
}

int uart_rx(void)
{
    if (!(ns16550_base[NS16550_LSR] & NS16550_LSR_DR))
        return -1;
    return ns16550_base[NS16550_RBR];
}
