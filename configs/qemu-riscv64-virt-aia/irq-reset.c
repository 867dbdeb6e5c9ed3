/* See configs/common/riscv64/irq-reset.c; the guests of the vAPLIC and interrupt files. */
#define IRQ_GUEST_SUFFIX "-aia"
#include "../common/riscv64/irq-reset.c"
