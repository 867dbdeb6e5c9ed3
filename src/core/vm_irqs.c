/* The interrupts a VM owns, walked from its config (see vm_irqs.h). */
#include "vm.h"
#include "vm_irqs.h"

void vm_irqs_each(struct vm *vm, vm_irq_fn *fn)
{
    const struct vm_config *c = vm->config;

    for (size_t i = 0; i < c->devs_count; i++)
        for (size_t j = 0; j < c->devs[i].irqs_count; j++)
            fn(vm, c->devs[i].irqs[j], true);
    for (size_t i = 0; i < c->ipcs_count; i++)
        fn(vm, c->ipcs[i].doorbell_irq, false);
    if (c->vuart.ipa != 0)
        fn(vm, c->vuart.irq, false);
}
