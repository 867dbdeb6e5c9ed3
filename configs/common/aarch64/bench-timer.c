/* Benchmark (make bench): the latency probe (guests/probe) as the only VM, 1 vCPU on CPU 0.
 * The IPI probe finds no second vCPU and is skipped. */
#include <baohu/config.h>

BAOHU_INCBIN(probe_image, GUEST_DIR "/probe.bin");

static const struct vm_mem_region probe_mem[] = {
    {.ipa = 0x48000000, .size = 4 << 20},
};

static const struct vm_config vms[] = {
    {
        .name = "probe",
        .cpus = 1 << 0,
        CONFIG_LIST(mem, probe_mem),
        /* Linked at 0x48000000, where it also runs bare; away from Baohu's own
         * addresses, so QEMU -dfilter on Baohu's .text sees no guest code. */
        .image = VM_IMAGE_EMBEDDED_AT(probe_image, 0x48000000),
        .entry = 0x48000000,
    },
};

const struct baohu_config baohu_config = {CONFIG_LIST(vms, vms)};
