/* Fault containment on RISC-V: "app" stores outside its partition after 3 ticks; "rtos" must keep ticking. */
#include <baohu/config.h>

BAOHU_INCBIN(rtos_image, GUEST_DIR "/rtos.bin");
BAOHU_INCBIN(app_image, GUEST_DIR "/hostile.bin");

static const struct vm_mem_region rtos_mem[] = {
    {.ipa = 0x80000000, .size = 16 << 20},
};

static const struct vm_mem_region app_mem[] = {
    {.ipa = 0x80000000, .size = 64 << 20},
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
        .name = "app",
        .cpus = (1 << 1) | (1 << 2) | (1 << 3),
        CONFIG_LIST(mem, app_mem),
        .image = VM_IMAGE_EMBEDDED_AT(app_image, 0x80000000),
        .entry = 0x80000000,
        /* This demo is about containment: the VM is stopped, not given an access fault. */
        .fault_policy = VM_FAULT_STOP,
    },
};

const struct baohu_config baohu_config = {CONFIG_LIST(vms, vms)};
