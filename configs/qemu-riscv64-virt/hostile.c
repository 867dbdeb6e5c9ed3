/* The hostile-guest demo shared by the RISC-V platforms: see configs/common/riscv64/hostile.c. */
#include "../common/riscv64/hostile.c"
