/* Console forgery: VM "app" prints lines dressed as Baohu's and rtos's, with CR and escape tricks; rtos ticks beside it. */
#include <baohu/config.h>

BAOHU_INCBIN(rtos_image, GUEST_DIR "/rtos.bin");
BAOHU_INCBIN(forger_image, GUEST_DIR "/forger.bin");

static const struct vm_mem_region rtos_mem[] = {
    {.ipa = 0x40000000, .size = 16 << 20},
};

static const struct vm_mem_region app_mem[] = {
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
    {
        .name = "app",
        .cpus = 1 << 1,
        CONFIG_LIST(mem, app_mem),
        .image = VM_IMAGE_EMBEDDED_AT(forger_image, 0x40000000),
        .entry = 0x40000000,
    },
};

const struct baohu_config baohu_config = {CONFIG_LIST(vms, vms)};
