# See configs/common/aarch64/linux-rtos-initramfs.mk.
include configs/common/aarch64/linux-rtos-initramfs.mk
