/* The HLVX fault path: see configs/common/riscv64/claims-hlvx.c. */
#include "../common/riscv64/claims-hlvx.c"
