/* See configs/common/riscv64/irq-hsm.c. */
#include "../common/riscv64/irq-hsm.c"
