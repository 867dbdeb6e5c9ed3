/* Linux (initramfs only: no SMMU to confine a disk's DMA) + RTOS: see configs/common/aarch64/linux-rtos.c. */
#include "../common/aarch64/linux-rtos.c"
