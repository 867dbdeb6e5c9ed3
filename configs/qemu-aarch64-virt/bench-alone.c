/* Benchmark: the timer latency probe in "rtos", the only VM (no other vCPU competes for QEMU time). */
#include <baohu/config.h>

BAOHU_INCBIN(rtos_image, GUEST_DIR "/latency.bin");

static const struct vm_mem_region rtos_mem[] = {
    {.ipa = 0x40000000, .size = 16 << 20},
};

static const struct vm_config vms[] = {
    {
        .name = "rtos",
        .cpus = 1 << 0,
        CONFIG_LIST(mem, rtos_mem),
        .image = VM_IMAGE_EMBEDDED_AT(rtos_image, 0x40000000),
        .entry = 0x40000000,
    },
};

const struct baohu_config baohu_config = {CONFIG_LIST(vms, vms)};
