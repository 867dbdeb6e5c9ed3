/* The physical PLIC (RISC-V PLIC spec v1.0.0): Baohu claims each source and hands it to the VM that owns it. */
#include "arch.h"
#include "cpu.h"
#include "spinlock.h"
#include "platform.h"
#include "virqchip.h"
#include "vm.h"

/* Register map (PLIC spec §3 "Memory Map"). */
#define PLIC_PRIORITY(src) (0x000000u + 4u * (src))
#define PLIC_ENABLE(ctx) (0x002000u + 0x80u * (ctx))
#define PLIC_THRESHOLD(ctx) (0x200000u + 0x1000u * (ctx))
#define PLIC_CLAIM(ctx) (0x200004u + 0x1000u * (ctx))

static volatile uint32_t *plic_reg(uint64_t off)
{
    return (volatile uint32_t *)(uintptr_t)(platform.irqchip.plic + off);
}

/* QEMU virt numbers each hart's contexts M, S: S-mode of hart h is 2h + 1. */
static uint32_t plic_context(cpuid_t cpu)
{
    return 2 * (uint32_t)platform.cpu_affinity[cpu] + 1;
}

bool irqchip_vm_owns(const struct vm *vm, irqid_t irq)
{
    const struct vm_config *c = vm->config;
    for (size_t d = 0; d < c->devs_count; d++)
        for (size_t i = 0; i < c->devs[d].irqs_count; i++)
            if (c->devs[d].irqs[i] == irq)
                return true;
    return false;
}

void irqchip_init(void)
{
    for (irqid_t src = 1; src < platform.irqchip.irq_count; src++)
        *plic_reg(PLIC_PRIORITY(src)) = 0;
}

void irqchip_cpu_init(cpuid_t cpu)
{
    uint32_t ctx = plic_context(cpu);
    for (uint32_t w = 0; w < (platform.irqchip.irq_count + 31) / 32; w++)
        *plic_reg(PLIC_ENABLE(ctx) + 4 * w) = 0;
    *plic_reg(PLIC_THRESHOLD(ctx)) = 0;
}

/* Enable words are shared by all sources of a context: read-modify-write
 * under a lock (no AMOs on device registers). */
static spinlock_t plic_lock = SPINLOCK_INIT;
/* The CPU each source is routed to: its completion goes to that context,
 * whichever hart the guest completes it from (PLIC spec §9: a completion
 * for a source not enabled in the context is ignored). */
static uint8_t plic_route_cpu[1024];

void irqchip_route(irqid_t irq, cpuid_t cpu, bool enable)
{
    if (irq == 0 || irq >= platform.irqchip.irq_count)
        return;
    spin_lock(&plic_lock);
    for (cpuid_t c = 0; c < platform.cpu_count; c++) {
        volatile uint32_t *en = plic_reg(PLIC_ENABLE(plic_context(c)) + 4 * (irq / 32));
        if (enable && c == cpu)
            *en |= 1u << (irq % 32);
        else
            *en &= ~(1u << (irq % 32));
    }
    if (enable)
        plic_route_cpu[irq] = (uint8_t)cpu;
    *plic_reg(PLIC_PRIORITY(irq)) = enable ? 1 : 0;
    spin_unlock(&plic_lock);
}

void irqchip_complete(irqid_t irq)
{
    if (irq != 0 && irq < platform.irqchip.irq_count)
        *plic_reg(PLIC_CLAIM(plic_context(plic_route_cpu[irq]))) = irq;
}

/* Claim until nothing is left (PLIC spec §8 "Interrupt Claim Process"). A
 * source of the running VM stays claimed until the guest completes it; any
 * other (its VM stopped) is disabled for good. */
void irqchip_handle(struct vcpu *v)
{
    volatile uint32_t *claim = plic_reg(PLIC_CLAIM(plic_context(arch_cpu_id())));
    uint32_t src;

    while ((src = *claim) != 0) {
        if (v && v->state == VCPU_ON && irqchip_vm_owns(v->vm, src)) {
            virq_inject(v, src);
            continue;
        }
        irqchip_route(src, 0, false);
        *claim = src;
    }
}
