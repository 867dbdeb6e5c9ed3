/* Invalid config for the checker's tests: the fixed-pa regions of rtos (#0) and app (#1) overlap in physical memory. */
#include "baohu/config.h"

BAOHU_INCBIN(rtos_image, "build/guests/rtos.bin");
BAOHU_INCBIN(app_image, "build/guests/app.bin");

static const struct vm_mem_region rtos_mem[] = {
    {.ipa = 0x40000000, .size = 0x01000000},
    /* overlaps app's fixed region [0x60000000, 0x60200000) */
    {.ipa = 0x60000000, .size = 0x00200000, .pa = 0x60100000},
};
static const uint32_t rtos_rtc_irqs[] = {34};
static const struct vm_dev_region rtos_devs[] = {
    {.pa = 0x09010000, .ipa = 0x09010000, .size = 0x1000, .irqs = rtos_rtc_irqs, .irqs_count = 1},
};

static const struct vm_mem_region app_mem[] = {
    {.ipa = 0x40000000, .size = 0x10000000},
    /* identity-mapped buffer for DMA */
    {.ipa = 0x60000000, .size = 0x00200000, .pa = 0x60000000},
};
static const uint32_t app_gpio_irqs[] = {39};
static const struct vm_dev_region app_devs[] = {
    {.pa = 0x09030000, .ipa = 0x09030000, .size = 0x1000, .irqs = app_gpio_irqs, .irqs_count = 1},
};

static const struct vm_config vms[] = {
    {
        .name = "rtos",
        .cpus = 0x1,
        .mem = rtos_mem, .mem_count = CONFIG_ARRAY_SIZE(rtos_mem),
        .devs = rtos_devs, .devs_count = CONFIG_ARRAY_SIZE(rtos_devs),
        .image = VM_IMAGE_EMBEDDED_AT(rtos_image, 0x40000000),
        .entry = 0x40000000,
    },
    {
        .name = "app",
        .cpus = 0x6,
        .mem = app_mem, .mem_count = CONFIG_ARRAY_SIZE(app_mem),
        .devs = app_devs, .devs_count = CONFIG_ARRAY_SIZE(app_devs),
        .image = VM_IMAGE_EMBEDDED_AT(app_image, 0x40080000),
        .entry = 0x40080000,
        .dtb_ipa = 0x48000000,
    },
};

const struct baohu_config baohu_config = {.vms = vms, .vms_count = CONFIG_ARRAY_SIZE(vms)};
