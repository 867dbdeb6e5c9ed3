/* configs/common/aarch64/spi-off.c with the alarm fired at the device; vCPU 1 enables the SPI while
 * it is still routed to the off vCPU 0, then routes it to itself. */
#include "alarm.h"
#define SPI_OFF_IMAGE "spi-off-late-en.bin"
#include "../common/aarch64/spi-off.c"
