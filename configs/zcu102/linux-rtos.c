/* Linux + RTOS without an SMMU: see configs/common/aarch64/linux-rtos-initramfs.c. */
#include "../common/aarch64/linux-rtos-initramfs.c"
