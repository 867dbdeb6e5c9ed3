/* Benchmark (make bench): the latency probe (guests/probe-riscv64) as the only VM, 2 vCPUs on harts 0-1.
 * vCPU 0 measures the timer, then sends IPIs to vCPU 1. */
#include <baohu/config.h>

BAOHU_INCBIN(probe_image, GUEST_DIR "/probe.bin");

static const struct vm_mem_region probe_mem[] = {
    {.ipa = 0x88000000, .size = 4 << 20},
};

static const struct vm_config vms[] = {
    {
        .name = "probe",
        .cpus = (1 << 0) | (1 << 1),
        CONFIG_LIST(mem, probe_mem),
        /* Linked at 0x88000000, where it also runs bare (OpenSBI fw_dynamic); away
         * from Baohu's own addresses, so QEMU -dfilter on Baohu's .text sees no guest code. */
        .image = VM_IMAGE_EMBEDDED_AT(probe_image, 0x88000000),
        .entry = 0x88000000,
    },
};

const struct baohu_config baohu_config = {CONFIG_LIST(vms, vms)};
