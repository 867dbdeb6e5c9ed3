/* The feature probes, then an SRST reboot, every run: a new run must find no vector state of
 * the last (tests/integration/test_riscv64_features.py). */
#include <baohu/config.h>

BAOHU_INCBIN(feat_image, GUEST_DIR "/features-reset.bin");

static const struct vm_mem_region feat_mem[] = {
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
};

const struct baohu_config baohu_config = {CONFIG_LIST(vms, vms)};
