/* The demo demo shared by the Arm platforms: see configs/common/aarch64/demo.c. */
#include "../common/aarch64/demo.c"
