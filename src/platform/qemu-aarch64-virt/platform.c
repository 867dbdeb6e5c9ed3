/* QEMU `virt` (virtualization=on, gic-version=3, iommu=smmuv3), -smp 4 -m 1G. */
#include "platform.h"

const struct platform platform = {
    .name = "qemu-aarch64-virt",
    .cpu_count = 4,
    .cpu_hwid = {0, 1, 2, 3},
    .ram = {{0x40000000, 0x40000000}},
    .ram_count = 1,
    .hyp_reserved = {0x40000000, 0x04000000},
    /* Low devices and the 32-bit PCIe window; the PCIe ECAM (256 buses). */
    /* QEMU virt's two 64 MiB flash banks (pflash0, pflash1: firmware and its
     * variable store) at 0 and 0x04000000, so a firmware VM may be given them. */
    .mmio = {{0x00000000, 0x08000000}, {0x08000000, 0x38000000}, {0x4010000000, 0x10000000}},
    .mmio_count = 3,
    .console = {.base = 0x09000000, .irq = 33},
    .irqchip = {
        .kind = IRQCHIP_GICV3,
        .gicd = 0x08000000,
        .gicr = 0x080A0000,
        .irq_count = 288,
        .maint_irq = 25,
    },
    /* -M virt,iommu=smmuv3: SMMUv3 in front of the PCIe root complex
     * (iommu-map covers requester IDs 0..0xffff); Baohu's stream table
     * covers bus 0, every other stream is out of range and aborted
     * (C_BAD_STREAMID). SPIs 74 (eventq) and 77 (gerror), edge. */
    .iommu = {.base = 0x09050000, .size = 0x20000, .stream_count = 256,
              .evtq_irq = 32 + 74, .gerror_irq = 32 + 77},
    /* Cortex-A53 L2 as QEMU models it (CCSIDR): 1 MiB, 16 ways -> 16 colours. */
    .llc = {.size = 1 << 20, .ways = 16, .line = 64},
};
