/* The fault-reset demo shared by the Arm platforms: see configs/common/aarch64/fault-reset.c. */
#include "../common/aarch64/fault-reset.c"
