/*
 * Benchmark (make bench): scale. BENCH_VMS (1, 2, 4 or 8) VMs of the boot probe
 * (guests/probe, variant probe-boot: ~100 KiB image) in 32 MiB each, one vCPU
 * each on CPUs 0..BENCH_VMS-1 of an 8-CPU virt machine; each VM's first CPU
 * builds it. bench-scale-<n>.c set BENCH_VMS and include this file.
 */
#include <baohu/config.h>

BAOHU_INCBIN(probe_image, GUEST_DIR "/probe-boot.bin");

static const struct vm_mem_region probe_mem[] = {
    {.ipa = 0x48000000, .size = 32 << 20},
};

#define SCALE_VM(n)                                                  \
    {                                                                \
        .name = "p" #n, .cpus = 1 << (n), CONFIG_LIST(mem, probe_mem), \
        .image = VM_IMAGE_EMBEDDED_AT(probe_image, 0x48000000),     \
        .entry = 0x48000000,                                         \
    }

static const struct vm_config vms[] = {
    SCALE_VM(0),
#if BENCH_VMS >= 2
    SCALE_VM(1),
#endif
#if BENCH_VMS >= 4
    SCALE_VM(2), SCALE_VM(3),
#endif
#if BENCH_VMS >= 8
    SCALE_VM(4), SCALE_VM(5), SCALE_VM(6), SCALE_VM(7),
#endif
};

const struct baohu_config baohu_config = {CONFIG_LIST(vms, vms)};
