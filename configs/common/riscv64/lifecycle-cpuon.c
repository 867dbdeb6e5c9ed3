/* hart_start racing hart_start, then hart_start racing SRST reboot, every run, in VM 'life'; 'rtos' ticks beside it
 * (tests/integration/test_lifecycle.py). A 2 MiB VM: each reset zeroes all of its RAM. */
#include <baohu/config.h>

#ifndef LC_GUEST_SUFFIX
#define LC_GUEST_SUFFIX ""
#endif

BAOHU_INCBIN(rtos_image, GUEST_DIR "/rtos.bin");
BAOHU_INCBIN(life_image, GUEST_DIR "/lc-cpuon" LC_GUEST_SUFFIX ".bin");

static const struct vm_mem_region rtos_mem[] = {
    {.ipa = 0x80000000, .size = 16 << 20},
};

static const struct vm_mem_region life_mem[] = {
    {.ipa = 0x80000000, .size = 2 << 20},
};

static const struct vm_config vms[] = {
    {
        .name = "rtos",
        .cpus = 1 << 0,
        CONFIG_LIST(mem, rtos_mem),
        .image = VM_IMAGE_EMBEDDED_AT(rtos_image, 0x80000000),
        .entry = 0x80000000,
    },
    {
        .name = "life",
        .cpus = (1 << 1) | (1 << 2) | (1 << 3),
        CONFIG_LIST(mem, life_mem),
        .image = VM_IMAGE_EMBEDDED_AT(life_image, 0x80000000),
        .entry = 0x80000000,
    },
};

const struct baohu_config baohu_config = {CONFIG_LIST(vms, vms)};
