/* The console's input: typed bytes go to the virtual UART of the VM that has the input; Ctrl-] N switches it. */
#include "console.h"
#include "vm.h"
#include "vuart.h"

/*
 * Ctrl-] (0x1d) then a digit N gives the input to VM #N (the number Baohu
 * prints at boot, "VM 'linux' (#1)"); Ctrl-] twice sends one Ctrl-] on.
 * Ctrl-] is telnet's escape too, but not QEMU's (Ctrl-A) nor a shell's
 * or Linux line discipline's. Until switched, the first VM with a
 * virtual UART has the input. Only the CPU the console interrupt is
 * routed to runs this, so the state needs no lock.
 */
#define CONSOLE_ESC 0x1d

static bool esc_pending;
static bool chosen;
static vmid_t input_vm;

static struct vm *input_target(void)
{
    if (!chosen) {
        chosen = true;
        for (vmid_t i = 0; i < vm_count(); i++) {
            if (vm_by_id(i)->config->vuart.ipa) {
                input_vm = i;
                return vm_by_id(i);
            }
        }
        input_vm = (vmid_t)vm_count();
    }
    return input_vm < vm_count() ? vm_by_id(input_vm) : NULL;
}

static void deliver(char c)
{
    struct vm *vm = input_target();
    if (vm)
        vuart_input(vm, c);
}

static void switch_to(unsigned n)
{
    if (n >= vm_count()) {
        console_log("console input: no VM #%u", n);
        return;
    }
    struct vm *vm = vm_by_id((vmid_t)n);
    if (!vm->config->vuart.ipa) {
        console_log("console input: VM '%s' (#%u) has no virtual UART", vm->name, n);
        return;
    }
    chosen = true;
    input_vm = (vmid_t)n;
    console_log("console input: VM '%s' (#%u)", vm->name, n);
}

void console_input(char c)
{
    if (esc_pending) {
        esc_pending = false;
        if (c >= '0' && c <= '9') {
            switch_to((unsigned)(c - '0'));
            return;
        }
        deliver(CONSOLE_ESC);
        if (c == CONSOLE_ESC)
            return;
    } else if (c == CONSOLE_ESC) {
        esc_pending = true;
        return;
    }
    deliver(c);
}

void console_rx_irq(void)
{
    /* A bounded number per interrupt: a line that babbles cannot hold
     * this CPU (the rest raises the interrupt again). */
    for (unsigned i = 0; i < 64; i++) {
        int c = uart_rx();
        if (c < 0)
            return;
        console_input((char)c);
    }
}
