/* The hostile-guest demo shared by the Arm platforms: see configs/common/aarch64/hostile.c. */
#include "../common/aarch64/hostile.c"
