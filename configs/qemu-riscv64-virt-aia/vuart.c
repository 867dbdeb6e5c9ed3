/* The virtual NS16550A on the AIA platform: configs/qemu-riscv64-virt/vuart.c with the guest on its vAPLIC and interrupt file. */
#define RTOS_UART_IMAGE "/rtos-uart-aia.bin"
#define APP_IMAGE "/app-msi.bin"
#include "../qemu-riscv64-virt/vuart.c"
