/* The bench-timer benchmark shared by the RISC-V platforms: see configs/common/riscv64/bench-timer.c. */
#include "../common/riscv64/bench-timer.c"
