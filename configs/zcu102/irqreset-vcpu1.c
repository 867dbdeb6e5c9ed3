/* configs/common/aarch64/irqreset.c, 2 vCPUs: the SPI routed to vCPU 1, whose handler resets the VM
 * (device not acknowledged, no EOI) while vCPU 0 ticks. */
#include "alarm.h"
#define IRQRESET_IMAGE "irqreset-vcpu1.bin"
#define IRQRESET_CPUS ((1 << 1) | (1 << 2))
#include "../common/aarch64/irqreset.c"
