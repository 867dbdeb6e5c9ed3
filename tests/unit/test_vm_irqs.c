/* Unit tests of the one walk of a VM's interrupts the emulated controllers build their ownership from (src/core/vm_irqs.c). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "vm.h"
#include "vm_irqs.h"

#define SEEN_MAX 16

static struct {
    irqid_t irq;
    bool hw;
} seen[SEEN_MAX];
static unsigned seen_count;
static struct vm *seen_vm;

static void record(struct vm *vm, irqid_t irq, bool hw)
{
    seen_vm = vm;
    assert_true(seen_count < SEEN_MAX);
    seen[seen_count].irq = irq;
    seen[seen_count].hw = hw;
    seen_count++;
}

static int setup(void **state)
{
    (void)state;
    seen_count = 0;
    seen_vm = NULL;
    return 0;
}

static const uint32_t uart_irqs[] = {33};
static const uint32_t pcie_irqs[] = {35, 36};
static const struct vm_dev_region devs[] = {
    {.irqs = uart_irqs, .irqs_count = 1},
    {.irqs = NULL, .irqs_count = 0},
    {.irqs = pcie_irqs, .irqs_count = 2},
};
static const struct vm_ipc ipcs[] = {{.doorbell_irq = 52}, {.doorbell_irq = 53}};

/* Devices' interrupts with a physical one behind them, then doorbells and
 * the virtual UART's as virtual only, each once, for the VM given. */
static void devices_doorbells_and_vuart_in_order(void **state)
{
    (void)state;
    static struct vm_config c = {
        .devs = devs, .devs_count = 3, .ipcs = ipcs, .ipcs_count = 2,
        .vuart = {.ipa = 0x9000000, .irq = 40},
    };
    static struct vm vm = {.config = &c};
    static const struct { irqid_t irq; bool hw; } want[] = {
        {33, true}, {35, true}, {36, true}, {52, false}, {53, false}, {40, false},
    };

    vm_irqs_each(&vm, record);
    assert_ptr_equal(seen_vm, &vm);
    assert_int_equal(seen_count, 6);
    for (unsigned i = 0; i < 6; i++) {
        assert_int_equal(seen[i].irq, want[i].irq);
        assert_int_equal(seen[i].hw, want[i].hw);
    }
}

/* No virtual UART (ipa 0): its interrupt field is not an interrupt of the VM. */
static void no_vuart_no_vuart_irq(void **state)
{
    (void)state;
    static struct vm_config c = {.vuart = {.ipa = 0, .irq = 40}};
    static struct vm vm = {.config = &c};

    vm_irqs_each(&vm, record);
    assert_int_equal(seen_count, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(devices_doorbells_and_vuart_in_order, setup),
        cmocka_unit_test_setup(no_vuart_no_vuart_irq, setup),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
