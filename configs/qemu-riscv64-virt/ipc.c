/* The ipc demo shared by the RISC-V platforms: see configs/common/riscv64/ipc.c. */
#include "../common/riscv64/ipc.c"
