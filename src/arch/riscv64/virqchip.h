/* What an emulated interrupt controller (vplic.c or vaplic.c, chosen by the platform) offers the rest of the arch. */
#ifndef BAOHU_RISCV64_VIRQCHIP_H
#define BAOHU_RISCV64_VIRQCHIP_H

#include "mmio.h"
#include "platform.h"
#include "spinlock.h"
#include "types.h"

struct vm;
struct vcpu;

/* Interrupt sources a VM can have (PLIC/APLIC source ids 1..VIRQ_SOURCES-1). */
#define VIRQ_SOURCES 128
#define VIRQ_WORDS (VIRQ_SOURCES / 32)
/* virq_inject id that is not a source: "re-evaluate your external
 * interrupt line" (the work is done by virq_flush on the way out). */
#define VIRQ_KICK 0x80000001u

/* One VM's emulated controller; bitmaps are indexed by source id. */
struct virq_dist {
    spinlock_t lock;
    uint32_t owned[VIRQ_WORDS];   /* sources of the VM's devices: all others read as zero */
    uint32_t pending[VIRQ_WORDS];
    uint32_t active[VIRQ_WORDS];  /* claimed, not yet completed */
    uint32_t enabled[VIRQ_WORDS]; /* vAPLIC per-source enable */
    uint8_t prio[VIRQ_SOURCES];   /* vPLIC priority */
    uint32_t target[VIRQ_SOURCES];/* vAPLIC target register */
    uint32_t cfg[VIRQ_SOURCES];   /* vAPLIC sourcecfg */
    uint32_t ctx_enable[PLATFORM_MAX_CPUS][VIRQ_WORDS]; /* vPLIC, per vCPU's S context */
    uint32_t threshold[PLATFORM_MAX_CPUS];
    uint32_t domaincfg;           /* vAPLIC */
};

struct virq_cpu {
    bool eip; /* the external interrupt line last presented in hvip.VSEIP */
    bool ipi; /* an SBI IPI from another vCPU waits to become hvip.VSSIP */
};

/* (Re)build the VM's controller state from its config. */
void virq_vm_init(struct vm *vm);
void virq_vcpu_reset(struct vcpu *v);
/* Source `irq` of the VM became pending (a passthrough interrupt, claimed
 * at the physical controller, arriving on `v`'s hart). */
void virq_inject(struct vcpu *v, irqid_t irq);
/* Source `irq` of `vm` became pending from any CPU (an IPC doorbell). */
void virq_raise(struct vm *vm, irqid_t irq);
/* Is `gpa` inside the emulated controller? */
bool virq_owns_ipa(const struct vm *vm, uint64_t gpa);
/* A trapped load/store in the emulated controller; false: no such register. */
bool virq_mmio_access(struct vcpu *v, struct mmio_access *acc);
/* Before entering the guest: set hvip.VSEIP from the vCPU's pending state. */
void virq_flush(struct vcpu *v);

/* The physical controller (plic.c / aplic.c). */
void irqchip_init(void);
void irqchip_cpu_init(cpuid_t cpu);
void irqchip_handle(struct vcpu *v);
/* The guest completed passthrough source `irq`: let it fire again. */
void irqchip_complete(irqid_t irq);
/* Route source `irq` to `cpu` and enable it (or disable it everywhere). */
void irqchip_route(irqid_t irq, cpuid_t cpu, bool enable);
/* Does `vm` own physical source `irq` (a device of its config)? */
bool irqchip_vm_owns(const struct vm *vm, irqid_t irq);

#endif
