/* QEMU `virt` with a GICv2 (virtualization=on, gic-version=2), -smp 4 -m 1G. */
#include "platform.h"

const struct platform platform = {
    .name = "qemu-aarch64-virt-gicv2",
    .cpu_count = 4,
    .cpu_hwid = {0, 1, 2, 3},
    .ram = {{0x40000000, 0x40000000}},
    .ram_count = 1,
    .hyp_reserved = {0x40000000, 0x04000000},
    /* With QEMU virt's two 64 MiB flash banks at 0 and 0x04000000. */
    .mmio = {{0x00000000, 0x08000000}, {0x08000000, 0x38000000}},
    .mmio_count = 2,
    .console = {.base = 0x09000000, .irq = 33},
    /* QEMU's virt memory map (its DTB's intc node): GICD, GICC, GICH, GICV. */
    .irqchip = {
        .kind = IRQCHIP_GICV2,
        .gicd = 0x08000000,
        .gicc = 0x08010000,
        .gich = 0x08030000,
        .gicv = 0x08040000,
        .irq_count = 288,
        .maint_irq = 25,
    },
    /* Cortex-A53 L2 as QEMU models it (CCSIDR): 1 MiB, 16 ways -> 16 colours. */
    .llc = {.size = 1 << 20, .ways = 16, .line = 64},
};
