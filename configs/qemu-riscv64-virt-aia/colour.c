/* The colour demo shared by the RISC-V platforms: see configs/common/riscv64/colour.c. */
#include "../common/riscv64/colour.c"
