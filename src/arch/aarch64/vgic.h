/* The virtual GIC: one interrupt state machine, with thin front ends per GIC version. */
#ifndef BAOHU_AARCH64_VGIC_H
#define BAOHU_AARCH64_VGIC_H

#include "mmio.h"
#include "spinlock.h"
#include "types.h"

struct vm;
struct vcpu;

#define VGIC_PRIVATE_IRQS 32   /* SGIs 0-15, PPIs 16-31: per vCPU */
#define VGIC_SGIS 16
#define VGIC_MAX_SPIS 256      /* SPIs a VM may own (passthrough + virtual): INTIDs 32-287 */
#define VGIC_IRQS (VGIC_PRIVATE_IRQS + VGIC_MAX_SPIS)
#define VGIC_WORDS (VGIC_IRQS / 32)
#define VGIC_MAX_LRS 16
#define VGIC_NO_LR 0xff
#define VGIC_NO_VCPU 0xff

/* Changes to an interrupt held in a list register, made while the LR's pCPU
 * was not looking: its next flush applies them (vgic.c). */
enum virq_req {
    VIRQ_REQ_PEND = 1u << 0,
    VIRQ_REQ_UNPEND = 1u << 1,
    VIRQ_REQ_ACTIVATE = 1u << 2,
    VIRQ_REQ_DEACTIVATE = 1u << 3,
};

struct virq {
    irqid_t intid;
    irqid_t hw_intid;     /* physical INTID active at the GIC for it, 0 = none */
    irqid_t hw_pending;   /* a physical instance waiting for VIRQ_REQ_PEND, 0 = none */
    uint8_t priority;
    uint8_t lr;           /* list register holding it, or VGIC_NO_LR */
    uint8_t holder;       /* vCPU whose LR `lr` is */
    uint8_t target_vcpu;  /* SPIs: vCPU index from GICD_IROUTER/ITARGETSR */
    uint8_t waiting_on;   /* vCPU whose `waiting` bitmap has it, or VGIC_NO_VCPU */
    uint8_t req;          /* enum virq_req bits for the pCPU that owns its state */
    uint8_t sgi_sources;  /* SGIs: source vCPUs pending and not in an LR */
    uint8_t lr_source;    /* SGIs: source vCPU of the instance in the LR */
    bool owned;           /* belongs to this VM (SPIs); private irqs are always owned */
    bool passthrough;     /* an SPI of one of the VM's devices (a physical one behind it) */
    bool enabled;
    bool pending;
    bool active;
    bool level;           /* GICD_ICFGR: level-sensitive */
    bool group1;
};

struct vgic_cpu_stats {
    uint64_t delivered;    /* interrupts put in its list registers */
    uint64_t flushes;      /* vgic_flush calls that had something to do */
    uint64_t lr_writes;
};

struct vgic_cpu {
    struct virq priv[VGIC_PRIVATE_IRQS];
    uint32_t lr_count;              /* implemented list registers (at most VGIC_MAX_LRS) */
    uint32_t lr_used;               /* bit per LR that holds an interrupt */
    irqid_t lr_intid[VGIC_MAX_LRS]; /* which INTID each used LR holds */
    uint32_t waiting[VGIC_WORDS];   /* pending for this vCPU, not in an LR: bit per INTID */
    uint32_t waiting_count;         /* bits set in `waiting` */
    uint32_t req_priv;              /* private INTIDs (not in an LR) with a request */
    bool dirty;                     /* something changed for it since its last flush */
    bool rwp;                       /* a disable waits for its flush (GICD/GICR_CTLR.RWP) */
    bool rd_sleep;                  /* GICv3 GICR_WAKER.ProcessorSleep; reset with the vCPU */
    uint8_t maint;                  /* maintenance conditions armed (vgic_lr.h) */
    struct vgic_cpu_stats stats;
};

struct vgic_dist {
    spinlock_t lock;
    bool enabled_grp1;
    bool enabled_grp0;
    uint32_t spi_count;              /* SPIs 32 .. 32+spi_count-1 exist */
    struct virq spi[VGIC_MAX_SPIS];  /* indexed by intid - 32 */
};

/* Build the VM's distributor from its config: owned SPIs = the passthrough
 * devices' interrupts, physically routed to the vCPU 0's pCPU and disabled,
 * plus the IPC doorbells. Every physical interrupt the VM still held is given
 * back first. Runs while none of the VM's vCPUs is in the guest. */
void vgic_vm_init(struct vm *vm);
/* The VM stopped: disable its passthrough SPIs and give back those active
 * outside any list register. */
void vgic_vm_stop(struct vm *vm);
/* Put the vCPU's interface in reset state (no LRs in use, ICH_VMCR 0). SPIs
 * its LRs held go back to the distributor (still pending) while its VM runs,
 * and are given back at the GIC when it does not. Runs on vcpu->cpu. */
void vgic_vcpu_reset(struct vcpu *vcpu);
/* A physical interrupt `intid` arrived and belongs to `vcpu` (timer PPI or passthrough
 * SPI): pend the same virtual INTID with the HW link so the guest's deactivation
 * deactivates the physical one. Runs on vcpu->cpu. */
void vgic_inject_hw(struct vcpu *vcpu, irqid_t intid);
/* The same for a timer PPI of the vCPU running here; true if it went
 * straight into a list register, so the exit needs no flush for it. */
bool vgic_inject_timer(struct vcpu *vcpu, irqid_t intid);
/* SGI `intid` from `sender` to every vCPU of its VM in `targets` (bit = vCPU
 * index); `source` is the sender's CPU number as GICv2 reports it (0 on GICv3). */
void vgic_sgi_send(struct vcpu *sender, uint32_t targets, irqid_t intid, uint32_t source);
/* A virtual SPI of `vm` (an IPC doorbell) becomes pending, from any CPU: it
 * goes to the vCPU the guest routed it to. */
void vgic_raise(struct vm *vm, irqid_t intid);
/* Is `intid` a passthrough SPI of `vm` (built at VM creation, no config walk)? */
bool vgic_is_passthrough(const struct vm *vm, irqid_t intid);
/* Before every return to the guest: when something changed (or the guest
 * completed an LR), sync LR state back and refill LRs with the
 * highest-priority pending interrupts; arm the maintenance interrupt while
 * interrupts wait for a free LR. Costs one status-register read otherwise. */
void vgic_flush(struct vcpu *vcpu);
/* The maintenance PPI fired on this pCPU. */
void vgic_maintenance(struct vcpu *vcpu);
/* A trapped access inside the distributor/redistributor window. False if the
 * address is not a register this vGIC emulates (the caller treats that as a
 * guest fault). */
bool vgic_mmio_access(struct vcpu *vcpu, struct mmio_access *acc);
/* Is `ipa` inside an emulated GIC window of this VM? */
bool vgic_owns_ipa(struct vm *vm, ipa_t ipa);
/* A trapped ICC_SGI1R_EL1 / ICC_ASGI1R_EL1 / ICC_SGI0R_EL1 write (GICv3 §12.11.x). */
void vgic_sgi_write(struct vcpu *vcpu, uint64_t value);

/* Provided by the front end (vgic_v2.c / vgic_v3.c): */
/* The group of every interrupt out of reset (GICD_IGROUPR's reset value). */
extern const bool vgic_reset_group1;
/* Map into the VM's stage 2 what the guest reaches without a trap (the
 * GICv2 virtual CPU interface); once, when the VM's stage 2 is built. */
bool vgic_vm_map_cpuif(struct vm *vm);

#endif
