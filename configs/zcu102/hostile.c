/* The hostile-guest demo shared by the Arm platforms: see configs/common/aarch64/hostile.c.
 * The hostile VM owns the alarm device and its SPI (alarm.h), to route it where it may not. */
#include "alarm.h"
#include "../common/aarch64/hostile.c"
