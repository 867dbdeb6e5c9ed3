/* The platform's IOMMU, if any: confines passthrough DMA to the owning VM's memory (docs/design.md, "DMA isolation"). */
#ifndef BAOHU_IOMMU_H
#define BAOHU_IOMMU_H

#include <stdbool.h>
#include "types.h"

struct vm;

/* CPU 0 at boot, after the interrupt controller: take the IOMMU from
 * whatever firmware left, every stream aborting. */
void iommu_init(void);
/* After the VM's stage 2 is built (pool lock held): translate the streams
 * its devices name through its memory map. False: the VM must not start. */
bool iommu_vm_attach(struct vm *vm);
/* A physical interrupt Baohu took: true if it was the IOMMU's. */
bool iommu_irq(irqid_t intid);

#endif
