/* Claims probes on the PLIC platform: see configs/common/riscv64/claims.c. */
#include "../common/riscv64/claims.c"
