/* Claims probes on the AIA platform (no vPLIC): see configs/common/riscv64/claims.c. */
#define CLAIMS_AIA 1
#include "../common/riscv64/claims.c"
