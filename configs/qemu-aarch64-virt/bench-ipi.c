/* The bench-ipi benchmark shared by the Arm platforms: see configs/common/aarch64/bench-ipi.c. */
#include "../common/aarch64/bench-ipi.c"
