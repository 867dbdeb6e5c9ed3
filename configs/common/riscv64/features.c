/* Feature probes (tests/integration/test_riscv64_features.py): VM 'feat' with the default
 * counters (time only), VM 'counted' with cycle and instret opted in; the same guest image. */
#include <baohu/config.h>

BAOHU_INCBIN(feat_image, GUEST_DIR "/features.bin");
BAOHU_INCBIN(counted_image, GUEST_DIR "/features.bin");

static const struct vm_mem_region feat_mem[] = {
    {.ipa = 0x80000000, .size = 16 << 20},
};

static const struct vm_mem_region counted_mem[] = {
    {.ipa = 0x80000000, .size = 16 << 20},
};

static const struct vm_config vms[] = {
    {
        .name = "feat",
        .cpus = 1 << 0,
        CONFIG_LIST(mem, feat_mem),
        .image = VM_IMAGE_EMBEDDED_AT(feat_image, 0x80000000),
        .entry = 0x80000000,
    },
    {
        .name = "counted",
        .cpus = 1 << 1,
        CONFIG_LIST(mem, counted_mem),
        .image = VM_IMAGE_EMBEDDED_AT(counted_image, 0x80000000),
        .entry = 0x80000000,
        .counters = VM_COUNTER_CYCLE | VM_COUNTER_INSTRET,
    },
};

const struct baohu_config baohu_config = {CONFIG_LIST(vms, vms)};
