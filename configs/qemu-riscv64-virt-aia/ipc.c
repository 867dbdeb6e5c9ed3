/* The ipc demo shared by the RISC-V platforms (see configs/common/riscv64/ipc.c), with the guests of the vAPLIC. */
#define IPC_GUEST_SUFFIX "-aia"
#include "../common/riscv64/ipc.c"
