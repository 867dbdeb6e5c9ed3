/* The bench-timer benchmark shared by the Arm platforms: see configs/common/aarch64/bench-timer.c. */
#include "../common/aarch64/bench-timer.c"
