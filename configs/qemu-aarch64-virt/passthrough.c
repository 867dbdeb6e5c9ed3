/* Device passthrough: "rtos" owns the PL011 (MMIO page and SPI 33) and echoes what it receives. */
#include <baohu/config.h>

BAOHU_INCBIN(rtos_image, GUEST_DIR "/rtos-uart.bin");
BAOHU_INCBIN(app_image, GUEST_DIR "/app.bin");

static const struct vm_mem_region rtos_mem[] = {
    /* A fixed physical placement, as a DMA-capable RTOS would need. */
    {.ipa = 0x40000000, .size = 16 << 20, .pa = 0x50000000},
};

static const uint32_t uart_irqs[] = {33};
static const struct vm_dev_region rtos_devs[] = {
    {.pa = 0x09000000, .ipa = 0x09000000, .size = 0x1000, CONFIG_LIST(irqs, uart_irqs)},
};

static const struct vm_mem_region app_mem[] = {
    {.ipa = 0x40000000, .size = 64 << 20},
};

static const struct vm_config vms[] = {
    {
        .name = "rtos",
        .cpus = 1 << 0,
        CONFIG_LIST(mem, rtos_mem),
        CONFIG_LIST(devs, rtos_devs),
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
