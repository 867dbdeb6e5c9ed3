/* The lifecycle race shared by the Arm platforms: see configs/common/aarch64/lifecycle-reset.c. */
#include "../common/aarch64/lifecycle-reset.c"
