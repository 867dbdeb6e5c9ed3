/* Source bitmaps as the vPLIC and the vAPLIC keep them, and the VM's sources built from its config. */
#ifndef BAOHU_RISCV64_VIRQ_SOURCES_H
#define BAOHU_RISCV64_VIRQ_SOURCES_H

#include "virqchip.h"
#include "vm.h"
#include "vm_irqs.h"

static inline bool bit(const uint32_t *map, uint32_t i)
{
    return (map[i / 32] >> (i % 32)) & 1;
}

static inline void bit_set(uint32_t *map, uint32_t i, bool v)
{
    if (v)
        map[i / 32] |= 1u << (i % 32);
    else
        map[i / 32] &= ~(1u << (i % 32));
}

/* Lowest set bit of a non-zero word, without libgcc's __ctzdi2 (no Zbb). */
static inline uint32_t lowest_bit(uint32_t x)
{
    uint32_t n = 0;
    while (!(x & 1)) {
        x >>= 1;
        n++;
    }
    return n;
}

/* One of the VM's interrupts (vm_irqs_each): source 0 does not exist
 * (PLIC spec §2, AIA §4.5) and the validator keeps ids below the
 * platform's count; the bound here is what the bitmaps hold. */
static inline void virq_source_own(struct vm *vm, irqid_t irq, bool hw)
{
    struct virq_dist *d = &vm->arch.virq;

    if (irq == 0 || irq >= VIRQ_SOURCES)
        return;
    bit_set(d->owned, irq, true);
    if (hw)
        bit_set(d->hw, irq, true);
}

/* `owned` and `hw` from the VM's config, the rest of the VM's bitmaps
 * already cleared. Caller holds the lock. */
static inline void virq_sources_build(struct vm *vm)
{
    vm_irqs_each(vm, virq_source_own);
}

#endif
