/* No IOMMU on this platform: the validator makes every DMA-capable device declare itself unconfined. */
#include "iommu.h"

void iommu_init(void)
{
}

bool iommu_vm_attach(struct vm *vm)
{
    (void)vm;
    return true;
}

bool iommu_irq(irqid_t intid)
{
    (void)intid;
    return false;
}
