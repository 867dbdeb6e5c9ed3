/* The lifecycle race shared by the Arm platforms: see configs/common/aarch64/lifecycle-reset4.c. */
#include "../common/aarch64/lifecycle-reset4.c"
