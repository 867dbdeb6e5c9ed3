/* Arm PL011 UART, transmit only (PrimeCell UART TRM, §3.3: UARTDR, UARTFR). */
#include <stdint.h>
#include "console.h"

#define PL011_DR 0x00
#define PL011_FR 0x18
#define PL011_FR_TXFF (1u << 5)

static volatile uint8_t *pl011_base;

void uart_init(unsigned long base)
{
    /* The firmware or QEMU already configured baud rate and enabled the UART. */
    pl011_base = (volatile uint8_t *)base;
}

void uart_putc(char c)
{
    while (*(volatile uint32_t *)(pl011_base + PL011_FR) & PL011_FR_TXFF)
        ;
    *(volatile uint32_t *)(pl011_base + PL011_DR) = (uint32_t)(uint8_t)c;
}
