/* The virtual NS16550A a VM may be given: the 16550A register set (TI/NatSemi PC16550D datasheet), byte-wide, no stride. */
#include "vuart.h"

/*
 * Transmission is immediate: LSR.THRE and TEMT always read 1, and the
 * THR-empty interrupt (IIR 0x2) is pending from each THR write or IER
 * enable of ETBEI until IIR is read with it the highest cause, or THR is
 * written again (datasheet, "Interrupt Identification Register").
 * Received bytes queue in the core (a 16-byte FIFO class); the received
 * data interrupt (IIR 0x4) is pending while data are there (the FIFO
 * trigger level and character timeout fold into that). No modem
 * interrupts, no line errors.
 */
enum { R_IER, R_LCR, R_MCR, R_SCR, R_DLL, R_DLM, R_FCR, R_THRI, R_POLLED };

#define RBR_THR_DLL 0
#define IER_DLM 1
#define IIR_FCR 2
#define LCR 3
#define MCR 4
#define LSR 5
#define MSR 6
#define SCR 7

#define IER_ERBFI (1u << 0)
#define IER_ETBEI (1u << 1)
#define LCR_DLAB (1u << 7)
#define MCR_LOOP (1u << 4)
#define LSR_DR (1u << 0)
#define LSR_THRE (1u << 5)
#define LSR_TEMT (1u << 6)
#define IIR_NONE 0x01u
#define IIR_THRI 0x02u
#define IIR_RDI 0x04u
#define IIR_FIFO 0xc0u /* FIFOs enabled (FCR bit 0) */
#define MSR_CTS_DSR_DCD 0xb0u

void vuart_dev_reset(struct vuart *u)
{
    (void)u; /* every register 0 (vuart_reset) is the 16550A's reset state */
}

void vuart_dev_rx_arrived(struct vuart *u)
{
    (void)u;
}

static uint32_t iir(const struct vuart *u)
{
    uint32_t fifo = (u->reg[R_FCR] & 1) ? IIR_FIFO : 0;
    if ((u->reg[R_IER] & IER_ERBFI) && vuart_rx_count(u))
        return fifo | IIR_RDI;
    if ((u->reg[R_IER] & IER_ETBEI) && u->reg[R_THRI])
        return fifo | IIR_THRI;
    return fifo | IIR_NONE;
}

bool vuart_dev_irq(const struct vuart *u)
{
    return !(iir(u) & IIR_NONE);
}

static uint32_t read_reg(struct vuart *u, uint64_t off, struct vuart_effects *e)
{
    bool dlab = u->reg[R_LCR] & LCR_DLAB;
    /* LSR read twice with no THR write between: a driver polling for
     * input, whatever else it reads between, not one sending (each byte
     * reads LSR once). Only a THR write ends the poll. */
    if (off == LSR) {
        e->idle = u->reg[R_POLLED];
        u->reg[R_POLLED] = 1;
    }
    switch (off) {
    case RBR_THR_DLL: {
        if (dlab)
            return u->reg[R_DLL];
        int c = vuart_rx_pop(u);
        return c < 0 ? 0 : (uint32_t)c;
    }
    case IER_DLM:
        return dlab ? u->reg[R_DLM] : u->reg[R_IER];
    case IIR_FCR: {
        uint32_t v = iir(u);
        if ((v & 0xf) == IIR_THRI)
            u->reg[R_THRI] = 0; /* reading IIR with THRE the cause clears it */
        return v;
    }
    case LCR: return u->reg[R_LCR];
    case MCR: return u->reg[R_MCR];
    case LSR: return LSR_THRE | LSR_TEMT | (vuart_rx_count(u) ? LSR_DR : 0);
    /* Modem lines: connected (CTS, DSR, DCD), or in loopback the MCR outputs (§8.6). */
    case MSR: return (u->reg[R_MCR] & MCR_LOOP) ? (u->reg[R_MCR] & 0xf) << 4 : MSR_CTS_DSR_DCD;
    default: return u->reg[R_SCR];
    }
}

static void write_reg(struct vuart *u, uint64_t off, uint32_t v, struct vuart_effects *e)
{
    bool dlab = u->reg[R_LCR] & LCR_DLAB;
    switch (off) {
    case RBR_THR_DLL:
        if (dlab) {
            u->reg[R_DLL] = v;
        } else {
            u->reg[R_POLLED] = 0;
            /* In loopback (MCR bit 4) nothing leaves the UART: Linux's
             * 8250 probe sends itself bytes this way; they are dropped. */
            if (!(u->reg[R_MCR] & MCR_LOOP))
                e->tx = (int)v;
            u->reg[R_THRI] = 1;
        }
        return;
    case IER_DLM:
        if (dlab) {
            u->reg[R_DLM] = v;
            return;
        }
        if ((v & IER_ETBEI) && !(u->reg[R_IER] & IER_ETBEI))
            u->reg[R_THRI] = 1; /* THR is empty: enabling ETBEI interrupts at once */
        /* Linux's __stop_tx: nothing more to send for now. */
        e->idle = !(v & IER_ETBEI);
        u->reg[R_IER] = v & 0x0f;
        return;
    case IIR_FCR:
        u->reg[R_FCR] = v & 0xc9;
        if (v & 2) /* clear the receive FIFO */
            while (vuart_rx_pop(u) >= 0)
                ;
        return;
    case LCR: u->reg[R_LCR] = v; return;
    case MCR: u->reg[R_MCR] = v & 0x1f; return;
    case SCR: u->reg[R_SCR] = v; return;
    default: return; /* LSR, MSR: read-only */
    }
}

bool vuart_dev_access(struct vuart *u, uint64_t off, struct mmio_access *acc, struct vuart_effects *e)
{
    /* Byte registers 0-7 (QEMU virt's reg-shift 0); anything else is no register. */
    if (acc->size != 1 || off > SCR)
        return false;
    if (acc->write)
        write_reg(u, off, (uint32_t)acc->value & 0xff, e);
    else
        acc->value = read_reg(u, off, e);
    return true;
}
