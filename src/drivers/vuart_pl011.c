/* The virtual PL011 a VM may be given: register model of PrimeCell UART r1p5 (DDI0183G, §3.2-3.3). */
#include "vuart.h"

/*
 * Transmission is immediate (each DR write is a byte for the console), so
 * the transmit FIFO always reads empty: FR.TXFE = 1, TXFF = 0, and the
 * transmit interrupt (at or below its FIFO level, §3.4.2) is asserted
 * again by every DR write after ICR cleared it. Received bytes queue in
 * the core (levels on the PL011's 32-entry FIFO); the receive
 * interrupt follows the FIFO level in IFLS (§3.3.12) and the receive
 * timeout interrupt is taken as asserted while data sit below that level.
 * No modem lines, no DMA, no errors: RSR reads 0.
 */
enum {
    R_IBRD, R_FBRD, R_LCR_H, R_CR, R_IFLS, R_IMSC, R_RIS, R_DMACR, R_ILPR,
    R_POLLED, /* 1: the last access was an FR read */
};

#define DR 0x000
#define RSR_ECR 0x004
#define FR 0x018
#define ILPR 0x020
#define IBRD 0x024
#define FBRD 0x028
#define LCR_H 0x02c
#define CR 0x030
#define IFLS 0x034
#define IMSC 0x038
#define RIS 0x03c
#define MIS 0x040
#define ICR 0x044
#define DMACR 0x048
#define PERIPH_ID0 0xfe0

#define FR_RXFE (1u << 4)
#define FR_TXFF (1u << 5)
#define FR_RXFF (1u << 6)
#define FR_TXFE (1u << 7)
#define LCR_H_FEN (1u << 4)
#define INT_RX (1u << 4)
#define INT_TX (1u << 5)
#define INT_RT (1u << 6)
#define INT_ALL 0x7ffu
#define CR_RESET 0x300u /* TXE | RXE (§3.3.8) */
#define IFLS_RESET 0x12u /* both at 1/2 */

/* PeriphID0-3 (part 0x011, designer 0x41 'A', revision 3 = r1p5) and the
 * PrimeCell CellID, which Linux's AMBA bus reads to bind the driver (§3.3.14-15). */
static const uint8_t id_regs[8] = {0x11, 0x10, 0x34, 0x00, 0x0d, 0xf0, 0x05, 0xb1};

void vuart_dev_reset(struct vuart *u)
{
    u->reg[R_CR] = CR_RESET;
    u->reg[R_IFLS] = IFLS_RESET;
    u->reg[R_RIS] = INT_TX; /* the transmit FIFO is empty */
}

/* Receive FIFO level that asserts RXRIS: IFLS[5:3] of 32 entries, or 1 without FIFOs. */
static uint32_t rx_level(const struct vuart *u)
{
    static const uint8_t eighths[8] = {1, 2, 4, 6, 7, 7, 7, 7};
    if (!(u->reg[R_LCR_H] & LCR_H_FEN))
        return 1;
    return eighths[(u->reg[R_IFLS] >> 3) & 7] * VUART_FIFO / 8;
}

static void rx_update(struct vuart *u)
{
    uint32_t n = vuart_rx_count(u);
    if (n >= rx_level(u))
        u->reg[R_RIS] |= INT_RX;
    else
        u->reg[R_RIS] &= ~INT_RX;
    if (n)
        u->reg[R_RIS] |= INT_RT;
    else
        u->reg[R_RIS] &= ~INT_RT;
}

void vuart_dev_rx_arrived(struct vuart *u)
{
    rx_update(u);
}

bool vuart_dev_irq(const struct vuart *u)
{
    return (u->reg[R_RIS] & u->reg[R_IMSC] & INT_ALL) != 0;
}

static uint32_t fr(const struct vuart *u)
{
    uint32_t n = vuart_rx_count(u);
    uint32_t full = (u->reg[R_LCR_H] & LCR_H_FEN) ? VUART_FIFO : 1;
    return FR_TXFE | (n ? 0 : FR_RXFE) | (n >= full ? FR_RXFF : 0);
}

static bool read_reg(struct vuart *u, uint64_t off, uint32_t *v, struct vuart_effects *e)
{
    /* FR read twice with no DR write between: a driver polling for input
     * (U-Boot's getc; EDK2's, which reads CR between), not one sending
     * (each byte reads FR once). Only a DR write ends the poll. */
    if (off == FR) {
        e->idle = u->reg[R_POLLED];
        u->reg[R_POLLED] = 1;
    }
    switch (off) {
    case DR: {
        int c = vuart_rx_pop(u);
        *v = c < 0 ? 0 : (uint32_t)c;
        rx_update(u);
        return true;
    }
    case RSR_ECR: *v = 0; return true;
    case FR: *v = fr(u); return true;
    case ILPR: *v = u->reg[R_ILPR]; return true;
    case IBRD: *v = u->reg[R_IBRD]; return true;
    case FBRD: *v = u->reg[R_FBRD]; return true;
    case LCR_H: *v = u->reg[R_LCR_H]; return true;
    case CR: *v = u->reg[R_CR]; return true;
    case IFLS: *v = u->reg[R_IFLS]; return true;
    case IMSC: *v = u->reg[R_IMSC]; return true;
    case RIS: *v = u->reg[R_RIS]; return true;
    case MIS: *v = u->reg[R_RIS] & u->reg[R_IMSC]; return true;
    case ICR: *v = 0; return true; /* write-only: RAZ */
    case DMACR: *v = u->reg[R_DMACR]; return true;
    default:
        if (off >= PERIPH_ID0 && off <= 0xffc)
            *v = id_regs[(off - PERIPH_ID0) / 4];
        else
            *v = 0; /* reserved and test registers (ITCR...): RAZ */
        return true;
    }
}

static bool write_reg(struct vuart *u, uint64_t off, uint32_t v, struct vuart_effects *e)
{
    switch (off) {
    case DR:
        u->reg[R_POLLED] = 0;
        e->tx = (int)(v & 0xff);
        u->reg[R_RIS] |= INT_TX;
        return true;
    case RSR_ECR: return true; /* clears errors: there are none */
    case FR: case RIS: case MIS: return true; /* read-only: WI */
    case ILPR: u->reg[R_ILPR] = v & 0xff; return true;
    case IBRD: u->reg[R_IBRD] = v & 0xffff; return true;
    case FBRD: u->reg[R_FBRD] = v & 0x3f; return true;
    case LCR_H: u->reg[R_LCR_H] = v & 0xff; rx_update(u); return true;
    case CR: u->reg[R_CR] = v & 0xff87; return true;
    case IFLS: u->reg[R_IFLS] = v & 0x3f; rx_update(u); return true;
    case IMSC:
        /* Linux's pl011_stop_tx: nothing more to send for now. */
        e->idle = !(v & INT_TX);
        u->reg[R_IMSC] = v & INT_ALL;
        return true;
    case ICR:
        u->reg[R_RIS] &= ~(v & INT_ALL);
        return true;
    case DMACR: u->reg[R_DMACR] = v & 0x7; return true; /* no DMA behind it */
    default:
        return true; /* ID, reserved and test registers: WI */
    }
}

bool vuart_dev_access(struct vuart *u, uint64_t off, struct mmio_access *acc, struct vuart_effects *e)
{
    /* 8-, 16- and 32-bit accesses to a register's low bits (Linux's
     * amba-pl011 uses 16-bit ones by default, its AMBA bus 32-bit ones). */
    if (acc->size > 4 || (off & 3) || off >= 0x1000)
        return false;
    if (!acc->write) {
        uint32_t v;
        if (!read_reg(u, off, &v, e))
            return false;
        acc->value = v;
        return true;
    }
    return write_reg(u, off, (uint32_t)acc->value, e);
}
