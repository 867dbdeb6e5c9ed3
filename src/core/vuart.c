/* Virtual console UARTs: guest output to the tagged console, typed input to the guest, the interrupt line. */
#include "arch.h"
#include "console.h"
#include "vm.h"
#include "vuart.h"

bool vuart_owns(const struct vm *vm, ipa_t ipa)
{
    uint64_t base = vm->config->vuart.ipa;
    uint64_t a = ipa_addr(ipa);
    return base && a >= base && a - base < PAGE_SIZE;
}

int vuart_rx_pop(struct vuart *u)
{
    if (!vuart_rx_count(u))
        return -1;
    return (unsigned char)u->rx[u->rx_tail++ % VUART_RX_SIZE];
}

/* The device's line is level-sensitive; the virtual interrupt is raised on
 * each rising edge. While it stays high the guest has not serviced the
 * device yet: its handler runs until the cause is gone (Linux's pl011_int
 * and serial8250 loop on MIS / IIR), so the line falls in between. Called
 * with the lock held; returns whether to raise (after unlocking). */
static bool vuart_irq_edge(struct vuart *u)
{
    bool level = vuart_dev_irq(u);
    bool rise = level && !u->irq_level;
    u->irq_level = level;
    return rise;
}

bool vuart_mmio_access(struct vcpu *vcpu, struct mmio_access *acc)
{
    struct vm *vm = vcpu->vm;
    struct vuart *u = &vm->vuart;
    struct vuart_effects e = {.tx = -1, .idle = false};
    spin_lock(&u->lock);
    bool ok = vuart_dev_access(u, ipa_addr(acc->addr) - vm->config->vuart.ipa, acc, &e);
    bool rise = vuart_irq_edge(u);
    spin_unlock(&u->lock);
    if (rise)
        arch_vm_virq_raise(vm, vm->config->vuart.irq);
    /* The byte goes to the VM's console line with no lock of the UART's
     * held: the console itself never waits long (console_out.c). */
    if (e.tx >= 0)
        console_guest_putc(&vm->console, vm->name, (char)e.tx);
    if (e.idle)
        console_guest_flush(&vm->console, vm->name);
    return ok;
}

void vuart_input(struct vm *vm, char c)
{
    struct vuart *u = &vm->vuart;
    if (!vm->config->vuart.ipa || vm->state != VM_RUNNING)
        return;
    uint32_t dropped = 0;
    spin_lock(&u->lock);
    if (vuart_rx_count(u) < VUART_RX_SIZE) {
        u->rx[u->rx_head++ % VUART_RX_SIZE] = c;
        vuart_dev_rx_arrived(u);
    } else {
        dropped = ++u->rx_dropped;
    }
    bool rise = vuart_irq_edge(u);
    spin_unlock(&u->lock);
    if (rise)
        arch_vm_virq_raise(vm, vm->config->vuart.irq);
    /* Told at the 1st, 2nd, 4th, 8th... drop: a guest that never reads
     * cannot make Baohu print a line per key. */
    if (dropped && !(dropped & (dropped - 1)))
        console_log("VM '%s': console input not read, %u bytes dropped", vm->name, dropped);
}

void vuart_reset(struct vm *vm)
{
    struct vuart *u = &vm->vuart;
    spin_lock(&u->lock);
    u->rx_head = u->rx_tail = 0;
    for (unsigned i = 0; i < VUART_REGS; i++)
        u->reg[i] = 0;
    vuart_dev_reset(u);
    u->irq_level = false;
    spin_unlock(&u->lock);
}
