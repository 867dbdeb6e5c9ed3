/* configs/common/aarch64/spi-off.c with its alarm armed after vCPU 1 routes and enables the SPI. */
#include "alarm.h"
#define SPI_OFF_IMAGE "spi-off.bin"
#include "../common/aarch64/spi-off.c"
