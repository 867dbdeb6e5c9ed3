/* QEMU riscv64 `virt` (H extension, PLIC), -smp 4 -m 1G, OpenSBI fw_jump below Baohu. */
#include "platform.h"

const struct platform platform = {
    .name = "qemu-riscv64-virt",
    .cpu_count = 4,
    .cpu_hwid = {0, 1, 2, 3}, /* hart ids */
    .ram = {{0x80000000, 0x40000000}},
    .ram_count = 1,
    /* OpenSBI (0x80000000, PMP-protected), Baohu at 0x80200000 with its
     * embedded guest images, and the DTB fw_jump places at 0x82200000. */
    .hyp_reserved = {0x80000000, 0x04000000},
    /* Everything below RAM that is a device: RTC, CLINT, PLIC, UART,
     * virtio-mmio, flash, PCIe. */
    .mmio = {{0x00100000, 0x7ff00000}},
    .mmio_count = 1,
    .console = {.base = 0x10000000, .irq = 10},
    .irqchip = {
        .kind = IRQCHIP_PLIC,
        .plic = 0x0c000000,
        .irq_count = 96, /* QEMU virt's VIRT_IRQCHIP_NUM_SOURCES */
    },
    /* QEMU models no cache: a nominal LLC, the 2 MiB 16-way shared L2 of
     * SiFive U74-class SoCs, gives 32 colours so that colouring can be
     * configured and its stage-2 self-check runs. */
    .llc = {.size = 2 << 20, .ways = 16, .line = 64},
};
