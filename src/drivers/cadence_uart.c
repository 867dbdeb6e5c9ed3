/* Cadence UART (Zynq UltraScale+ UART0/1), the console's transmitter (UG1085, UART controller registers). */
#include <stdint.h>
#include "console.h"

#define CDNS_CR 0x00   /* Control */
#define CDNS_SR 0x2c   /* Channel_sts */
#define CDNS_FIFO 0x30 /* TX_RX_FIFO */
#define CDNS_CR_RX_EN (1u << 2)
#define CDNS_CR_RX_DIS (1u << 3)
#define CDNS_CR_TX_EN (1u << 4)
#define CDNS_CR_TX_DIS (1u << 5)
#define CDNS_SR_TXFULL (1u << 4)

static volatile uint8_t *cdns_base;

static inline volatile uint32_t *cdns_reg(uint32_t off)
{
    return (volatile uint32_t *)(cdns_base + off);
}

void uart_init(unsigned long base)
{
    cdns_base = (volatile uint8_t *)base;
    /* The boot firmware set the baud rate and frame format; the transmitter
     * only has to be on (out of reset TX_DIS and RX_DIS are set). Keep RX on
     * for whoever owns the UART's input. */
    uint32_t cr = *cdns_reg(CDNS_CR) & ~(CDNS_CR_TX_DIS | CDNS_CR_RX_DIS);
    *cdns_reg(CDNS_CR) = cr | CDNS_CR_TX_EN | CDNS_CR_RX_EN;
}

/* Never waits: the console bounds the wait (console_out.c). */
bool uart_tx_ready(void)
{
    return !(*cdns_reg(CDNS_SR) & CDNS_SR_TXFULL);
}

void uart_tx(char c)
{
    *cdns_reg(CDNS_FIFO) = (uint32_t)(uint8_t)c;
}
