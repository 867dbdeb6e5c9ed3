/* See configs/common/riscv64/irq-flood.c. */
#include "../common/riscv64/irq-flood.c"
