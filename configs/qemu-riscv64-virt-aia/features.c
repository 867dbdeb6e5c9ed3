/* The CPU-features demo shared by the RISC-V platforms: see configs/common/riscv64/features.c. */
#include "../common/riscv64/features.c"
