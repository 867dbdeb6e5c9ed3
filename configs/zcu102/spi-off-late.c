/* configs/common/aarch64/spi-off.c with the alarm fired at the device before vCPU 1 routes the
 * SPI to itself, then enables it. */
#include "alarm.h"
#define SPI_OFF_IMAGE "spi-off-late.bin"
#include "../common/aarch64/spi-off.c"
