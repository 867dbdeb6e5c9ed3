/* The INTID-indexed distributor registers, shared by the GICv2 and GICv3 front ends. */
#ifndef BAOHU_AARCH64_VGIC_REGS_H
#define BAOHU_AARCH64_VGIC_REGS_H

#include "mmio.h"
#include "types.h"

struct vcpu;

/*
 * GICD_IGROUPR, IS/ICENABLER, IS/ICPENDR, IS/ICACTIVER, IPRIORITYR and
 * ICFGR at `off` (the same offsets in a GICv2 distributor, a GICv3
 * distributor and a GICv3 redistributor's SGI frame: IHI 0048B §4.1.2,
 * IHI 0069 §12.8/§12.10), for INTIDs in [lo, hi) as seen by `bank`; the
 * rest of each register is RAZ/WI. Priorities keep only the bits in
 * `prio_mask` (the implemented ones, GICv2 §3.3 / GICv3 §4.8). False if
 * `off` is none of these registers. acc->value is zero on a read.
 */
bool vgic_regs_access(struct vcpu *bank, uint32_t off, struct mmio_access *acc, irqid_t lo,
                      irqid_t hi, uint8_t prio_mask);

#endif
