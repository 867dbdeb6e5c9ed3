/* The demo on AIA: vCPUs of "app" signal each other by MSIs into their guest interrupt files; "rtos" takes the RTC through the vAPLIC. */
#include <baohu/config.h>

BAOHU_INCBIN(rtos_image, GUEST_DIR "/rtos-rtc-aia.bin");
BAOHU_INCBIN(app_image, GUEST_DIR "/app-msi.bin");

static const struct vm_mem_region rtos_mem[] = {
    {.ipa = 0x80000000, .size = 16 << 20},
};

static const uint32_t rtc_irqs[] = {11};

static const struct vm_dev_region rtos_devs[] = {
    {.pa = 0x00101000, .ipa = 0x00101000, .size = 0x1000, CONFIG_LIST(irqs, rtc_irqs)},
};

static const struct vm_mem_region app_mem[] = {
    {.ipa = 0x80000000, .size = 64 << 20},
};

static const struct vm_config vms[] = {
    {
        .name = "rtos",
        .cpus = 1 << 0,
        CONFIG_LIST(mem, rtos_mem),
        CONFIG_LIST(devs, rtos_devs),
        .image = VM_IMAGE_EMBEDDED_AT(rtos_image, 0x80000000),
        .entry = 0x80000000,
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
