/*
 * Benchmark (make bench): the workload guest (guests/workload) in 8 MiB on CPU 0, alone
 * (solo) or, with BENCH_INTERF, beside two VMs on CPUs 1 and 2 streaming over a
 * 512 KiB array at a 64-byte stride (interf). BENCH_COLOURED gives the workload
 * 16 of 32 LLC colours and each streamer half of the rest (solo-col, interf-col).
 * The platforms' bench-work*.c set the two macros and include this file.
 */
#include <baohu/config.h>

#ifndef BENCH_INTERF
#define BENCH_INTERF 0
#endif
#ifndef BENCH_COLOURED
#define BENCH_COLOURED 0
#endif
#if BENCH_COLOURED
#define COLOURS_WORK 0x0000ffff
#define COLOURS_S1 0x00ff0000
#define COLOURS_S2 0xff000000
#else
#define COLOURS_WORK 0
#define COLOURS_S1 0
#define COLOURS_S2 0
#endif

BAOHU_INCBIN(work_image, GUEST_DIR "/workload.bin");
#if BENCH_INTERF
BAOHU_INCBIN(stream_image, GUEST_DIR "/workload-stream.bin");
#endif

/* Linked at 0x88000000, where it also runs bare; each VM has its own address space. */
static const struct vm_mem_region work_mem[] = {
    {.ipa = 0x88000000, .size = 8 << 20},
};

static const struct vm_config vms[] = {
    {
        .name = "work",
        .cpus = 1 << 0,
        CONFIG_LIST(mem, work_mem),
        .image = VM_IMAGE_EMBEDDED_AT(work_image, 0x88000000),
        .entry = 0x88000000,
        .colours = COLOURS_WORK,
    },
#if BENCH_INTERF
    {
        .name = "stream1",
        .cpus = 1 << 1,
        CONFIG_LIST(mem, work_mem),
        .image = VM_IMAGE_EMBEDDED_AT(stream_image, 0x88000000),
        .entry = 0x88000000,
        .colours = COLOURS_S1,
    },
    {
        .name = "stream2",
        .cpus = 1 << 2,
        CONFIG_LIST(mem, work_mem),
        .image = VM_IMAGE_EMBEDDED_AT(stream_image, 0x88000000),
        .entry = 0x88000000,
        .colours = COLOURS_S2,
    },
#endif
};

const struct baohu_config baohu_config = {CONFIG_LIST(vms, vms)};
