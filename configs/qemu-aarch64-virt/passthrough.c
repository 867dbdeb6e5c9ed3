/* A virtual PL011 (the console UART is Baohu's): "rtos" drives it at the PL011's address and SPI 33 and echoes what it receives. */
#include <baohu/config.h>

BAOHU_INCBIN(rtos_image, GUEST_DIR "/rtos-uart.bin");
BAOHU_INCBIN(app_image, GUEST_DIR "/app.bin");

static const struct vm_mem_region rtos_mem[] = {
    /* A fixed physical placement, as a DMA-capable RTOS would need. */
    {.ipa = 0x40000000, .size = 16 << 20, .pa = 0x50000000},
};

static const struct vm_mem_region app_mem[] = {
    {.ipa = 0x40000000, .size = 64 << 20},
};

static const struct vm_config vms[] = {
    {
        .name = "rtos",
        .cpus = 1 << 0,
        CONFIG_LIST(mem, rtos_mem),
        /* The unmodified PL011 driver of the guest: the same address and
         * interrupt as the board's, emulated; input while rtos has it. */
        .vuart = {.ipa = 0x09000000, .irq = 33},
        .image = VM_IMAGE_EMBEDDED_AT(rtos_image, 0x40000000),
        .entry = 0x40000000,
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
