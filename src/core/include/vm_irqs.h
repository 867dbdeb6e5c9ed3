/* Which interrupts a VM owns: the one walk of its config every emulated controller builds from. */
#ifndef BAOHU_VM_IRQS_H
#define BAOHU_VM_IRQS_H

#include "types.h"

struct vm;

/* One interrupt of the VM: `hw` if a physical interrupt is behind it (one
 * of its devices'), else a virtual one only Baohu raises. */
typedef void vm_irq_fn(struct vm *vm, irqid_t irq, bool hw);

/*
 * Call `fn` for every interrupt the VM's config gives it: its devices'
 * interrupts (hw), its IPC doorbells and its virtual UART's interrupt
 * (virtual). The ids are as the config has them (a GIC INTID, a PLIC or
 * APLIC source); the validator has checked them against the platform's
 * controller, and `fn` keeps to the range its controller holds. The vGIC,
 * vPLIC and vAPLIC build their per-VM ownership from this walk when a VM is
 * built or reset, so the three agree on what a VM owns.
 */
void vm_irqs_each(struct vm *vm, vm_irq_fn *fn);

#endif
