/* The colour demo shared by the Arm platforms: see configs/common/aarch64/colour.c. */
#include "../common/aarch64/colour.c"
