/* The reset demo shared by the Arm platforms: see configs/common/aarch64/reset.c. */
#include "../common/aarch64/reset.c"
