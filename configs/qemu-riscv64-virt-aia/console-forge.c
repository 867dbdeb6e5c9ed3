/* Console forgery, shared by the RISC-V platforms: see configs/common/riscv64/console-forge.c. */
#include "../common/riscv64/console-forge.c"
