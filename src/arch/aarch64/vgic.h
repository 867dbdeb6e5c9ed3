/* The virtual GIC: one interrupt state machine, with thin front ends per GIC version. */
#ifndef BAOHU_AARCH64_VGIC_H
#define BAOHU_AARCH64_VGIC_H

#include "mmio.h"
#include "spinlock.h"
#include "types.h"

struct vm;
struct vcpu;

#define VGIC_PRIVATE_IRQS 32   /* SGIs 0-15, PPIs 16-31: per vCPU */
#define VGIC_MAX_SPIS 256      /* SPIs a VM may own (passthrough + virtual): INTIDs 32-287 */
#define VGIC_MAX_LRS 16
#define VGIC_NO_LR 0xff

struct virq {
    irqid_t intid;
    irqid_t hw_intid;     /* physical INTID linked through the LR HW bit, 0 = none */
    uint8_t priority;
    uint8_t lr;           /* list register holding it on its target vCPU, or VGIC_NO_LR */
    uint8_t target_vcpu;  /* SPIs: vCPU index from GICD_IROUTER/ITARGETSR */
    bool owned;           /* belongs to this VM (SPIs); private irqs are always owned */
    bool enabled;
    bool pending;
    bool active;
    bool level;           /* GICD_ICFGR: level-sensitive */
    bool group1;
};

struct vgic_cpu {
    struct virq priv[VGIC_PRIVATE_IRQS];
    uint32_t lr_count;           /* implemented list registers (ICH_VTR_EL2.ListRegs + 1) */
    irqid_t lr_intid[VGIC_MAX_LRS]; /* shadow: which INTID each LR holds, 0x3ff = free */
    uint64_t irq_count_injected; /* statistics */
};

struct vgic_dist {
    spinlock_t lock;
    bool enabled_grp1;
    bool enabled_grp0;
    uint32_t spi_count;              /* SPIs 32 .. 32+spi_count-1 exist */
    struct virq spi[VGIC_MAX_SPIS];  /* indexed by intid - 32 */
};

/* Build the VM's distributor from its config: owned SPIs = the passthrough
 * devices' interrupts, physically routed to the vCPU 0's pCPU and disabled. */
void vgic_vm_init(struct vm *vm);
/* Put the vCPU's interface in reset state (no LRs in use, ICH_VMCR 0). Runs on vcpu->cpu. */
void vgic_vcpu_reset(struct vcpu *vcpu);
/* Make `intid` pending for `vcpu`. Must run on vcpu->cpu; use vgic_inject_remote otherwise. */
void vgic_inject(struct vcpu *vcpu, irqid_t intid);
/* A physical interrupt `intid` arrived and belongs to `vcpu` (timer PPI or passthrough
 * SPI): pend the same virtual INTID with the HW link so the guest's deactivation
 * deactivates the physical one. Runs on vcpu->cpu. */
void vgic_inject_hw(struct vcpu *vcpu, irqid_t intid);
/* Pend an SGI/virtual interrupt on a vCPU that may run on another pCPU. */
void vgic_inject_remote(struct vcpu *vcpu, irqid_t intid);
/* Before every return to the guest: sync LR state back and refill LRs with the
 * highest-priority pending interrupts; arm the maintenance interrupt while
 * interrupts wait for a free LR. */
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
