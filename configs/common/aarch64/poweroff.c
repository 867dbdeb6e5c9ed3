/* Every VM stops: "app" by PSCI SYSTEM_OFF after 3 ticks, "rtos" by a fault (policy stop);
 * then Baohu powers the machine off (tests/integration/test_claims.py). */
#include <baohu/config.h>

BAOHU_INCBIN(rtos_image, GUEST_DIR "/hostile.bin");
BAOHU_INCBIN(app_image, GUEST_DIR "/sysoff.bin");

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
        .fault_policy = VM_FAULT_STOP,
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
