/* The sysoff demo shared by the Arm platforms: see configs/common/aarch64/sysoff.c. */
#include "../common/aarch64/sysoff.c"
