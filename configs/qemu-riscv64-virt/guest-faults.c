/* The guest-faults demo shared by the RISC-V platforms: see configs/common/riscv64/guest-faults.c. */
#include "../common/riscv64/guest-faults.c"
