/* Xilinx ZCU102 (Zynq UltraScale+ MPSoC, 4x Cortex-A53, GIC-400), as QEMU's xlnx-zcu102 with -m 2G. */
#include "platform.h"

const struct platform platform = {
    .name = "zcu102",
    .cpu_count = 4,
    .cpu_hwid = {0, 1, 2, 3}, /* the APU cluster: Aff0 = core */
    /* Low DDR: up to 2 GiB at 0 (UG1085, "System Addresses"); QEMU -m 2G fills it. */
    .ram = {{0x00000000, 0x80000000}},
    .ram_count = 1,
    /* Baohu is loaded at 2 MiB; the first 64 MiB are its own. */
    .hyp_reserved = {0x00000000, 0x04000000},
    /* The APU GIC and the LPD/FPD peripherals, 0xF9000000-0xFFFFFFFF (UG1085, "System Addresses"). */
    .mmio = {{0xf9000000, 0x07000000}},
    .mmio_count = 1,
    .console = {.base = 0xff000000, .irq = 53}, /* UART0, SPI 21 */
    /*
     * GIC-400 (UG1085, "Interrupts"): each 4 KiB frame repeats across its 64 KiB
     * window, so the 8 KiB CPU interfaces (GICC, GICV: page 0 then the
     * GICC_DIR page) are contiguous at the last page of one window and the
     * first of the next: 0xF902F000 and 0xF906F000, as Linux's zynqmp.dtsi.
     */
    .irqchip = {
        .kind = IRQCHIP_GICV2,
        .gicd = 0xf9010000,
        .gicc = 0xf902f000,
        .gich = 0xf9040000,
        .gicv = 0xf906f000,
        /* Each GIC-400 frame repeats across its 64 KiB block; GICH also has
         * its per-CPU copy in the next block (Zynq UltraScale+ TRM, GIC). */
        .gicv2_alias = 0x10000,
        .irq_count = 192, /* 160 SPIs */
        .maint_irq = 25,
    },
    /* The A53 cluster's shared L2: 1 MiB, 16-way, 64-byte lines (UG1085, "Application Processing Unit"). */
    .llc = {.size = 1 << 20, .ways = 16, .line = 64},
};
