/* The watchdog demo shared by the RISC-V platforms: see configs/common/riscv64/watchdog.c. */
#include "../common/riscv64/watchdog.c"
