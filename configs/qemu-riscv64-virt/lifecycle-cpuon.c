/* The lifecycle race shared by the RISC-V platforms: see configs/common/riscv64/lifecycle-cpuon.c. */
#include "../common/riscv64/lifecycle-cpuon.c"
