/* The watchdog demo shared by the Arm platforms: see configs/common/aarch64/watchdog.c. */
#include "../common/aarch64/watchdog.c"
