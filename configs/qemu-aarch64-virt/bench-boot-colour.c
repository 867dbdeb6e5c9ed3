/* Benchmark (make bench): boot of a small VM, coloured: the boot probe (guests/probe, ~100 KiB) in 32 MiB, 1 vCPU. */
#include <baohu/config.h>

BAOHU_INCBIN(probe_image, GUEST_DIR "/probe-boot.bin");

static const struct vm_mem_region probe_mem[] = {
    {.ipa = 0x48000000, .size = 32 << 20},
};

static const struct vm_config vms[] = {
    {
        .name = "probe",
        .cpus = 1 << 0,
        CONFIG_LIST(mem, probe_mem),
        .image = VM_IMAGE_EMBEDDED_AT(probe_image, 0x48000000),
        .entry = 0x48000000,
        /* Half of the 16 LLC colours: every other run of 8 pages. */
        .colours = 0x00ff,
    },
};

const struct baohu_config baohu_config = {CONFIG_LIST(vms, vms)};
