/* configs/common/aarch64/irqreset.c, 1 vCPU: reset with the device acknowledged, no EOI. */
#include "alarm.h"
#define IRQRESET_IMAGE "irqreset-acked.bin"
#define IRQRESET_CPUS (1 << 1)
#include "../common/aarch64/irqreset.c"
