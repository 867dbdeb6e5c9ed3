/* A virtual NS16550A: "rtos" drives it at the board's UART address and PLIC source 10 and echoes typed lines; "app" ticks beside it. */
#include <baohu/config.h>

#ifndef RTOS_UART_IMAGE
#define RTOS_UART_IMAGE "/rtos-uart.bin"
#endif
#ifndef APP_IMAGE
#define APP_IMAGE "/app.bin"
#endif

BAOHU_INCBIN(rtos_image, GUEST_DIR RTOS_UART_IMAGE);
BAOHU_INCBIN(app_image, GUEST_DIR APP_IMAGE);

static const struct vm_mem_region rtos_mem[] = {
    {.ipa = 0x80000000, .size = 16 << 20},
};

static const struct vm_mem_region app_mem[] = {
    {.ipa = 0x80000000, .size = 64 << 20},
};

static const struct vm_config vms[] = {
    {
        .name = "rtos",
        .cpus = 1 << 0,
        CONFIG_LIST(mem, rtos_mem),
        .image = VM_IMAGE_EMBEDDED_AT(rtos_image, 0x80000000),
        .entry = 0x80000000,
        /* Emulated, where the board's console UART is (Baohu's). */
        .vuart = {.ipa = 0x10000000, .irq = 10},
    },
    {
        .name = "app",
        .cpus = (1 << 1) | (1 << 2) | (1 << 3),
        CONFIG_LIST(mem, app_mem),
        .image = VM_IMAGE_EMBEDDED_AT(app_image, 0x80000000),
        .entry = 0x80000000,
    },
};

const struct baohu_config baohu_config = {CONFIG_LIST(vms, vms)};
