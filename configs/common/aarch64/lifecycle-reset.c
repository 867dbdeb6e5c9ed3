/* Three vCPUs of VM 'life' call PSCI SYSTEM_RESET at once, every run; 'rtos' ticks beside it
 * (tests/integration/test_lifecycle.py). A 2 MiB VM: each reset zeroes all of its RAM. */
#include <baohu/config.h>

BAOHU_INCBIN(rtos_image, GUEST_DIR "/rtos.bin");
BAOHU_INCBIN(life_image, GUEST_DIR "/lc-reset.bin");

static const struct vm_mem_region rtos_mem[] = {
    {.ipa = 0x40000000, .size = 16 << 20},
};

#ifndef LIFE_MEM_SIZE
#define LIFE_MEM_SIZE (2 << 20)
#endif
/* lifecycle-reset-colour.c colours 'life' (LIFE_COLOURS). */
#ifndef LIFE_COLOURS
#define LIFE_COLOURS 0
#endif

static const struct vm_mem_region life_mem[] = {
    {.ipa = 0x40000000, .size = LIFE_MEM_SIZE},
};

static const struct vm_config vms[] = {
    {
        .name = "rtos",
        .cpus = 1 << 0,
        CONFIG_LIST(mem, rtos_mem),
        .image = VM_IMAGE_EMBEDDED_AT(rtos_image, 0x40000000),
        .entry = 0x40000000,
    },
    {
        .name = "life",
        .cpus = (1 << 1) | (1 << 2) | (1 << 3),
        CONFIG_LIST(mem, life_mem),
        .colours = LIFE_COLOURS,
        .image = VM_IMAGE_EMBEDDED_AT(life_image, 0x40000000),
        .entry = 0x40000000,
    },
};

const struct baohu_config baohu_config = {CONFIG_LIST(vms, vms)};
