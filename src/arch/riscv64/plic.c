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
    return 2 * (uint32_t)platform.cpu_hwid[cpu] + 1;
}

/* Enable words are shared by all sources of a context: read-modify-write
 * under a lock (no AMOs on device registers). */
static spinlock_t plic_lock = SPINLOCK_INIT;
/* The CPU each source is enabled at (PLIC_UNROUTED: none): its completion
 * goes to that context, whichever hart the guest completes it from (PLIC
 * spec §9: a completion for a source not enabled in the context is
 * ignored). */
#define PLIC_UNROUTED 0xffu
static uint8_t plic_route_cpu[1024];

static void plic_enable(cpuid_t cpu, irqid_t irq, bool on)
{
    volatile uint32_t *en = plic_reg(PLIC_ENABLE(plic_context(cpu)) + 4 * (irq / 32));
    if (on)
        *en |= 1u << (irq % 32);
    else
        *en &= ~(1u << (irq % 32));
}

void irqchip_init(void)
{
    for (irqid_t src = 1; src < platform.irqchip.irq_count; src++) {
        *plic_reg(PLIC_PRIORITY(src)) = 0;
        plic_route_cpu[src] = PLIC_UNROUTED;
    }
}

void irqchip_cpu_init(cpuid_t cpu)
{
    uint32_t ctx = plic_context(cpu);
    for (uint32_t w = 0; w < (platform.irqchip.irq_count + 31) / 32; w++)
        *plic_reg(PLIC_ENABLE(ctx) + 4 * w) = 0;
    *plic_reg(PLIC_THRESHOLD(ctx)) = 0;
}

void irqchip_vcpu_reset(struct trap_frame *f)
{
    (void)f;
}

/* Moving a source that is claimed is fine: its completion goes to the
 * context it is enabled at by then. */
void irqchip_route(irqid_t irq, cpuid_t cpu, bool enable)
{
    if (irq == 0 || irq >= platform.irqchip.irq_count)
        return;
    spin_lock(&plic_lock);
    for (cpuid_t c = 0; c < platform.cpu_count; c++)
        plic_enable(c, irq, enable && c == cpu);
    plic_route_cpu[irq] = enable ? (uint8_t)cpu : PLIC_UNROUTED;
    *plic_reg(PLIC_PRIORITY(irq)) = enable ? 1 : 0;
    spin_unlock(&plic_lock);
}

/* A source enabled nowhere is enabled at this hart's context just for its
 * completion. */
void irqchip_complete(irqid_t irq)
{
    if (irq == 0 || irq >= platform.irqchip.irq_count)
        return;
    spin_lock(&plic_lock);
    cpuid_t cpu = plic_route_cpu[irq];
    if (cpu != PLIC_UNROUTED) {
        *plic_reg(PLIC_CLAIM(plic_context(cpu))) = irq;
    } else {
        cpu = arch_cpu_id();
        plic_enable(cpu, irq, true);
        *plic_reg(PLIC_CLAIM(plic_context(cpu))) = irq;
        plic_enable(cpu, irq, false);
    }
    spin_unlock(&plic_lock);
}

/* Claim until nothing is left (PLIC spec §8 "Interrupt Claim Process"). A
 * source of this hart's VM becomes pending in its vPLIC, whichever vCPU it
 * is for and whether this one is running, and stays claimed until the guest
 * completes it; any other (its VM stopped) is completed and disabled. */
void irqchip_handle(struct vcpu *v)
{
    volatile uint32_t *claim = plic_reg(PLIC_CLAIM(plic_context(arch_cpu_id())));
    uint32_t src;

    while ((src = *claim) != 0) {
        if (src == platform.console.irq) {
            console_rx_irq();
            irqchip_complete(src);
            continue;
        }
        if (v && virq_hw_take(v->vm, src))
            continue;
        irqchip_route(src, 0, false);
        irqchip_complete(src);
    }
}

/* The console UART's receive interrupt is Baohu's (console_in.c hands the
 * bytes to a VM's virtual UART), at hart 0's context. */
void irqchip_console_init(void)
{
    uart_rx_enable();
    irqchip_route(platform.console.irq, 0, true);
}
