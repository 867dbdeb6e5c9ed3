/* See configs/common/riscv64/irq-reset.c. */
#include "../common/riscv64/irq-reset.c"
