/* zcu102 (no IOMMU): a DMA-capable device without .dma_unconfined: an error. */
#include "baohu/config.h"

BAOHU_INCBIN(app_image, "build/guests/app.bin");

static const struct vm_stream_range streams[] __attribute__((unused)) = {{.base = 8, .count = 1}};
static const struct vm_mem_region mem[] = {{.ipa = 0x10000000, .size = 0x01000000}};
static const struct vm_dev_region devs[] = {
    {.pa = 0xfd0c0000, .ipa = 0xfd0c0000, .size = 0x1000, .dma = true},
};

static const struct vm_config vms[] = {
    {
        .name = "app",
        .cpus = 0x2,
        CONFIG_LIST(mem, mem),
        CONFIG_LIST(devs, devs),
        .image = VM_IMAGE_EMBEDDED_AT(app_image, 0x10000000),
        .entry = 0x10000000,
    },
};

const struct baohu_config baohu_config = {CONFIG_LIST(vms, vms)};
