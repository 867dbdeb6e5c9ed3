/* What an emulated interrupt controller (vplic.c or vaplic.c, chosen by the platform) offers the rest of the arch. */
#ifndef BAOHU_RISCV64_VIRQCHIP_H
#define BAOHU_RISCV64_VIRQCHIP_H

#include "mmio.h"
#include "platform.h"
#include "spinlock.h"
#include "types.h"

struct vm;
struct vcpu;
struct trap_frame;

/* Interrupt sources a VM can have (PLIC/APLIC source ids 1..VIRQ_SOURCES-1). */
#define VIRQ_SOURCES 128
#define VIRQ_WORDS (VIRQ_SOURCES / 32)
#define VIRQ_NO_VCPU 0xffu
/* Interrupt identities Baohu writes into a guest file: 1..255 (a file has
 * 63 to 2047, AIA §3.1; QEMU virt's have 255; see imsic_guest_take). */
#define VIRQ_MSI_IDS 256u
#define VIRQ_MSI_WORDS (VIRQ_MSI_IDS / 64)

/* The vPLIC's own per-VM state (vplic.c), bitmaps and arrays indexed by
 * source id, contexts by vCPU id. */
struct vplic_state {
    uint32_t active[VIRQ_WORDS];     /* claimed, not yet completed */
    uint32_t hw_claimed[VIRQ_WORDS]; /* claimed by Baohu at the physical PLIC, not completed there */
    uint8_t prio[VIRQ_SOURCES];
    uint8_t route[VIRQ_SOURCES];     /* the vCPU whose hart the physical source goes to */
    uint32_t ctx_enable[PLATFORM_MAX_CPUS][VIRQ_WORDS]; /* per vCPU's S context */
    uint32_t threshold[PLATFORM_MAX_CPUS];
};

/* The vAPLIC's own per-VM state (vaplic.c), indexed by source id. */
struct vaplic_state {
    uint32_t enabled[VIRQ_WORDS];   /* per-source enable */
    uint32_t hw_on[VIRQ_WORDS];     /* enabled at the physical APLIC */
    uint32_t target[VIRQ_SOURCES];  /* target register (hart index = vCPU id) */
    uint32_t cfg[VIRQ_SOURCES];     /* sourcecfg */
    uint32_t domaincfg;
    uint32_t kick;                  /* CPUs to post CPU_MSG_VIRQ to after the lock */
};

/*
 * One VM's emulated controller; bitmaps are indexed by source id. Everything
 * here changes under `lock`. `owned` and `hw` are built from the config when
 * the VM is (re)built and say, per source, whether it is the VM's and
 * whether a physical interrupt is behind it (a device of its config) rather
 * than a virtual one Baohu raises (an IPC doorbell, the virtual UART).
 *
 * The rest is the controller's own: a platform links one of vplic.c and
 * vaplic.c (platform.mk's IRQCHIP_SRCS), and that file alone reads and
 * writes its member of the union, so no member is ever read that another
 * wrote.
 */
struct virq_dist {
    spinlock_t lock;
    bool live;                    /* takes physical interrupts (false once the VM stopped) */
    uint32_t online;              /* vCPUs (bit = vCPU id) in the guest: between reset and quiesce */
    uint32_t owned[VIRQ_WORDS];   /* the VM's sources: all others read as zero */
    uint32_t hw[VIRQ_WORDS];      /* of those, its devices' (passthrough) */
    uint32_t pending[VIRQ_WORDS];
    union {
        struct vplic_state plic;
        struct vaplic_state aplic;
    };
};

struct virq_cpu {
    /* vPLIC: the external line the controller wants for this vCPU (under
     * the VM's lock), and `dirty` when it changed since the vCPU's hart
     * last looked. vAPLIC: `msi` holds the identities of doorbell MSIs
     * raised elsewhere for the vCPU's guest file, which only its own hart
     * writes (vaplic.c), and `dirty` says it has some. An exit with `dirty`
     * clear costs one load. */
    uint32_t line;     /* 0 or 1; words, not bools: RV64 has no byte AMOs */
    uint32_t dirty;
    bool eip;          /* own hart: what hvip.VSEIP holds */
    uint64_t msi[VIRQ_MSI_WORDS]; /* vAPLIC, under the VM's lock: bit = EIID */
    /* SBI IPIs (vsbi.c, vcpu.c): `ipi` says a request is outstanding or,
     * while `ipi_stalled`, that hvip.VSSIP is still set and not taken by
     * the guest; senders post a request only when they set it. */
    uint32_t ipi;
    bool ipi_stalled;  /* own hart */
    uint32_t ipi_sent; /* SBI IPIs sent to this vCPU, by any hart */
    uint32_t ipi_mark; /* own hart: ipi_sent when the stall began */
};

/* (Re)build the VM's controller state from its config. On a reset, every
 * source the VM still had claimed at the physical controller is completed
 * first. */
void virq_vm_init(struct vm *vm);
/* The VM stopped: complete what it had claimed, silence all its sources. */
void virq_vm_stop(struct vm *vm);
/* On the vCPU's hart: it enters the guest from reset / leaves it for good. */
void virq_vcpu_online(struct vcpu *v);
void virq_vcpu_offline(struct vcpu *v);
/* vPLIC: physical source `irq`, just claimed at the physical PLIC on a hart
 * of `vm`: true if it is now pending in the VM (it stays claimed until the
 * guest completes it); false if the VM does not take it. */
bool virq_hw_take(struct vm *vm, irqid_t irq);
/* Source `irq` of `vm` became pending from any CPU (an IPC doorbell). */
void virq_raise(struct vm *vm, irqid_t irq);
/* Is `gpa` inside the emulated controller? */
bool virq_owns_ipa(const struct vm *vm, uint64_t gpa);
/* A trapped load/store in the emulated controller; false: no such register. */
bool virq_mmio_access(struct vcpu *v, struct mmio_access *acc);
/* On the vCPU's hart before it enters the guest: apply what changed. */
void virq_flush(struct vcpu *v);
/* Provided to the controller (vcpu.c): hvip.VSEIP of this hart. */
void virq_line_set(bool on);
/* vcpu.c: the IPI and external-line work on the way into the guest; the
 * IPI stall poll (Baohu's own timer interrupt with Sstc). */
void vcpu_flush(struct vcpu *v);
void vcpu_ipi_poll(struct vcpu *v);

/* The physical controller (plic.c / aplic.c). */
void irqchip_init(void);
void irqchip_cpu_init(cpuid_t cpu);
void irqchip_handle(struct vcpu *v);
/* On the vCPU's hart, as it is reset: its part of the hart's state. */
void irqchip_vcpu_reset(struct trap_frame *f);

/* PLIC (plic.c): route source `irq` to `cpu` and enable it, or disable it
 * everywhere; complete a source Baohu claimed, at the context it is routed to. */
void irqchip_route(irqid_t irq, cpuid_t cpu, bool enable);
void irqchip_complete(irqid_t irq);

/* APLIC + IMSIC (aplic.c). Sources in MSI mode (AIA §4.5.16) go straight
 * to the guest interrupt file of `cpu`'s hart. */
void aplic_target(irqid_t irq, cpuid_t cpu, uint32_t eiid);
void aplic_source_mode(irqid_t irq, uint32_t sm);
void aplic_enable(irqid_t irq, bool on);
void aplic_set_pending(irqid_t irq, bool on);
uint32_t aplic_pending_word(uint32_t w);
uint64_t imsic_guest_file_pa(cpuid_t cpu);
/* An MSI of identity `eiid` into `cpu`'s guest file, from any hart. */
void imsic_guest_send(cpuid_t cpu, uint32_t eiid);
/* On the hart whose guest file hstatus.VGEIN selects: take `eiid` out of
 * its pending bits; true if it was pending. */
bool imsic_guest_take(uint32_t eiid);

#endif
