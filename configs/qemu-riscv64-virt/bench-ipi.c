/* The bench-ipi benchmark shared by the RISC-V platforms: see configs/common/riscv64/bench-ipi.c. */
#include "../common/riscv64/bench-ipi.c"
