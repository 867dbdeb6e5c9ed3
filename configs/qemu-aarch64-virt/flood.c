/* The flood demo shared by the Arm platforms: see configs/common/aarch64/flood.c. */
#include "../common/aarch64/flood.c"
