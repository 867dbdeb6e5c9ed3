/* A VM's virtual console UART: the core's half (input queue, interrupt line, console output). */
#ifndef BAOHU_VUART_H
#define BAOHU_VUART_H

#include <stdbool.h>
#include <stdint.h>
#include "mmio.h"
#include "spinlock.h"

struct vm;
struct vcpu;

/* Typed bytes waiting for the guest: more than a hardware FIFO holds, since
 * Baohu takes them from the console UART at once (a pasted command line of a
 * few hundred bytes arrives whole); a power of two. The device models
 * compute their FIFO levels on VUART_FIFO entries. */
#define VUART_RX_SIZE 1024u
#define VUART_FIFO 32u
#define VUART_REGS 16u

struct vuart {
    spinlock_t lock;
    char rx[VUART_RX_SIZE];
    uint32_t rx_head, rx_tail; /* free-running */
    uint32_t rx_dropped;       /* typed while the queue was full */
    uint32_t reg[VUART_REGS];  /* the device model's registers (vuart_<device>.c names them) */
    bool irq_level;            /* the interrupt line as last raised */
};

/* Is `ipa` in the VM's virtual UART page? */
bool vuart_owns(const struct vm *vm, ipa_t ipa);
/* A trapped access to it; false: no such register or width (the caller aborts). */
bool vuart_mmio_access(struct vcpu *vcpu, struct mmio_access *acc);
/* A byte typed for this VM (console_in.c); dropped and counted if the queue is full. */
void vuart_input(struct vm *vm, char c);
/* Back to its reset state (VM creation and reset). */
void vuart_reset(struct vm *vm);

/* Receive queue, for the device model (called with the lock held). */
static inline uint32_t vuart_rx_count(const struct vuart *u)
{
    return u->rx_head - u->rx_tail;
}
int vuart_rx_pop(struct vuart *u); /* -1 if empty */

/* The device model: src/drivers/vuart_pl011.c (Arm) or vuart_ns16550.c (RISC-V).
 * Every call is made with the lock held and never waits. */
void vuart_dev_reset(struct vuart *u);
/* What an access asks of the core: a byte to transmit (else -1), and
 * whether the guest looks done writing for now (its driver stopped the
 * transmit interrupt, or polls the status with nothing sent in between:
 * waiting for input), so its unfinished line (a prompt) is shown. */
struct vuart_effects {
    int tx;
    bool idle;
};
/* Register access at `off` in the page. */
bool vuart_dev_access(struct vuart *u, uint64_t off, struct mmio_access *acc, struct vuart_effects *e);
/* A byte was queued for the guest. */
void vuart_dev_rx_arrived(struct vuart *u);
/* The device's interrupt output: asserted or not. */
bool vuart_dev_irq(const struct vuart *u);

#endif
