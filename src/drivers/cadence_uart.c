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
#define CDNS_IER 0x08  /* Intrpt_en */
#define CDNS_ISR 0x14  /* Chnl_int_sts, write 1 to clear */
#define CDNS_RXWM 0x20 /* Rcvr_FIFO_trigger_level */
#define CDNS_SR_RXEMPTY (1u << 1)
#define CDNS_SR_TXFULL (1u << 4)
#define CDNS_INT_RTRIG (1u << 0)   /* receive FIFO at its trigger level */
#define CDNS_INT_TIMEOUT (1u << 8) /* receiver timeout */

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

void uart_rx_enable(void)
{
    *cdns_reg(CDNS_RXWM) = 1;
    *cdns_reg(CDNS_ISR) = CDNS_INT_RTRIG | CDNS_INT_TIMEOUT;
    *cdns_reg(CDNS_IER) = CDNS_INT_RTRIG;
}

int uart_rx(void)
{
    if (*cdns_reg(CDNS_SR) & CDNS_SR_RXEMPTY) {
        *cdns_reg(CDNS_ISR) = CDNS_INT_RTRIG | CDNS_INT_TIMEOUT;
        return -1;
    }
    return (int)(*cdns_reg(CDNS_FIFO) & 0xff);
}
