/* Four vCPUs, the whole machine, of VM 'life' call PSCI SYSTEM_RESET at once, every run
 * (tests/integration/test_lifecycle.py). A 2 MiB VM: each reset zeroes all of its RAM. */
#include <baohu/config.h>

BAOHU_INCBIN(life_image, GUEST_DIR "/lc-reset4.bin");

static const struct vm_mem_region life_mem[] = {
    {.ipa = 0x40000000, .size = 2 << 20},
};

static const struct vm_config vms[] = {
    {
        .name = "life",
        .cpus = 0xf,
        CONFIG_LIST(mem, life_mem),
        .image = VM_IMAGE_EMBEDDED_AT(life_image, 0x40000000),
        .entry = 0x40000000,
    },
};

const struct baohu_config baohu_config = {CONFIG_LIST(vms, vms)};
