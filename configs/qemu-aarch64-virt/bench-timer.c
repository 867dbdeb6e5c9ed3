/* Benchmark (make bench): the latency probe (guests/probe) as the only VM, 1 vCPU on CPU 0.
 * The IPI probe finds no second vCPU and is skipped. */
#include <baohu/config.h>

BAOHU_INCBIN(probe_image, GUEST_DIR "/probe.bin");

static const struct vm_mem_region probe_mem[] = {
    {.ipa = 0x40000000, .size = 4 << 20},
};

static const struct vm_config vms[] = {
    {
        .name = "probe",
        .cpus = 1 << 0,
        CONFIG_LIST(mem, probe_mem),
        /* Linked at 0x40200000, where it also runs bare (QEMU puts the DTB at 0x40000000). */
        .image = VM_IMAGE_EMBEDDED_AT(probe_image, 0x40200000),
        .entry = 0x40200000,
    },
};

const struct baohu_config baohu_config = {CONFIG_LIST(vms, vms)};
