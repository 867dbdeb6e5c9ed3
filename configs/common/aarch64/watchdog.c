/* Per-VM watchdogs: two VMs that stop kicking after three ticks, one reset and one stopped by its fault policy, beside the rtos. */
#include <baohu/config.h>

BAOHU_INCBIN(rtos_image, GUEST_DIR "/rtos.bin");
BAOHU_INCBIN(wdog_image, GUEST_DIR "/watchdog.bin");

static const struct vm_mem_region mem[] = {{.ipa = 0x40000000, .size = 16 << 20}};

/* The guest kicks on ticks 1-3 (200 ms apart) and then never again: its
 * 500 ms period runs out about 1.1 s into each run. */
static const struct vm_config vms[] = {
    {
        .name = "rtos",
        .cpus = 1 << 0,
        CONFIG_LIST(mem, mem),
        .image = VM_IMAGE_EMBEDDED_AT(rtos_image, 0x40000000),
        .entry = 0x40000000,
    },
    {
        .name = "wdreset",
        .cpus = 1 << 1,
        CONFIG_LIST(mem, mem),
        .image = VM_IMAGE_EMBEDDED_AT(wdog_image, 0x40000000),
        .entry = 0x40000000,
        .fault_policy = VM_FAULT_RESET,
        .watchdog_ms = 500,
    },
    {
        .name = "wdstop",
        .cpus = 1 << 2,
        CONFIG_LIST(mem, mem),
        .image = VM_IMAGE_EMBEDDED_AT(wdog_image, 0x40000000),
        .entry = 0x40000000,
        .watchdog_ms = 500,
    },
};

const struct baohu_config baohu_config = {CONFIG_LIST(vms, vms)};
