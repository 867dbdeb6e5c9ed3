/* virt with SMMUv3: a PCIe host bridge naming its stream: passes. */
#include "baohu/config.h"

BAOHU_INCBIN(app_image, "build/guests/app.bin");

static const struct vm_stream_range streams[] __attribute__((unused)) = {{.base = 8, .count = 1}};
static const struct vm_mem_region mem[] = {{.ipa = 0x40000000, .size = 0x01000000}};
static const struct vm_dev_region devs[] = {
    {.pa = 0x4010000000, .ipa = 0x4010000000, .size = 0x100000, .dma = true, CONFIG_LIST(streams, streams)},
};

static const struct vm_config vms[] = {
    {
        .name = "app",
        .cpus = 0x2,
        CONFIG_LIST(mem, mem),
        CONFIG_LIST(devs, devs),
        .image = VM_IMAGE_EMBEDDED_AT(app_image, 0x40000000),
        .entry = 0x40000000,
    },
};

const struct baohu_config baohu_config = {CONFIG_LIST(vms, vms)};
