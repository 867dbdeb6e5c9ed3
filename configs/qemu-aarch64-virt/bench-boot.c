/* Benchmark (make bench): boot of a small VM: the boot probe (guests/probe, ~100 KiB) in 32 MiB, 1 vCPU. */
#include <baohu/config.h>

/* 0: RAM from any pages; bench-boot-colour.c sets its colours and includes this file. */
#ifndef BENCH_COLOURS
#define BENCH_COLOURS 0
#endif

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
        .colours = BENCH_COLOURS,
    },
};

const struct baohu_config baohu_config = {CONFIG_LIST(vms, vms)};
