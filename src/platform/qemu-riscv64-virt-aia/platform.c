/* QEMU riscv64 `virt` with AIA (aia=aplic-imsic,aia-guests=1), -smp 4 -m 1G, OpenSBI fw_jump below Baohu. */
#include "platform.h"

const struct platform platform = {
    .name = "qemu-riscv64-virt-aia",
    .cpu_count = 4,
    .cpu_hwid = {0, 1, 2, 3}, /* hart ids */
    .ram = {{0x80000000, 0x40000000}},
    .ram_count = 1,
    /* OpenSBI, Baohu with its embedded guest images, and the DTB at 0x82200000. */
    .hyp_reserved = {0x80000000, 0x04000000},
    .mmio = {{0x00100000, 0x7ff00000}},
    .mmio_count = 1,
    .console = {.base = 0x10000000, .irq = 10},
    .irqchip = {
        .kind = IRQCHIP_AIA,
        .aplic = 0x0d000000,    /* supervisor domain, MSI mode */
        .imsic = 0x28000000,    /* S-level files: per hart the S file, then its guest file */
        .guest_files = 1,
        .irq_count = 96,
    },
    /* QEMU models no cache: a nominal LLC, the 2 MiB 16-way shared L2 of
     * SiFive U74-class SoCs, gives 32 colours so that colouring can be
     * configured and its stage-2 self-check runs. */
    .llc = {.size = 2 << 20, .ways = 16, .line = 64},
};
