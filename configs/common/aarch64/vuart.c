/* A virtual PL011: "rtos" drives it (at QEMU virt's PL011 address and SPI 33, whatever the board) and echoes typed lines; "app" ticks beside it. */
#include <baohu/config.h>

BAOHU_INCBIN(rtos_image, GUEST_DIR "/rtos-uart.bin");
BAOHU_INCBIN(app_image, GUEST_DIR "/app.bin");

static const struct vm_mem_region rtos_mem[] = {
    {.ipa = 0x40000000, .size = 16 << 20},
};

static const struct vm_mem_region app_mem[] = {
    {.ipa = 0x40000000, .size = 64 << 20},
};

static const struct vm_config vms[] = {
    {
        .name = "rtos",
        .cpus = 1 << 0,
        CONFIG_LIST(mem, rtos_mem),
        .image = VM_IMAGE_EMBEDDED_AT(rtos_image, 0x40000000),
        .entry = 0x40000000,
        /* Emulated: on zcu102 the board's console is a Cadence UART, and
         * Baohu's; the guest's PL011 driver runs unchanged. */
        .vuart = {.ipa = 0x09000000, .irq = 33},
    },
    {
        .name = "app",
        .cpus = (1 << 1) | (1 << 2) | (1 << 3),
        CONFIG_LIST(mem, app_mem),
        .image = VM_IMAGE_EMBEDDED_AT(app_image, 0x40000000),
        .entry = 0x40000000,
    },
};

const struct baohu_config baohu_config = {CONFIG_LIST(vms, vms)};
