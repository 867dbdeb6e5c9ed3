/* Benchmark (make bench): Debian's arm64 Linux alone in a 512 MiB VM, 1 vCPU, virtual PL011: boot time to its first output. */
#include <baohu/config.h>

/* 0: RAM from any pages; bench-linux-colour.c sets its colours and includes this file. */
#ifndef BENCH_COLOURS
#define BENCH_COLOURS 0
#endif

static const struct vm_mem_region linux_mem[] = {{.ipa = 0x40000000, .size = 512 << 20}};

static const struct vm_config vms[] = {
    {
        .name = "linux",
        .cpus = 1 << 0,
        CONFIG_LIST(mem, linux_mem),
        .vuart = {.ipa = 0x09000000, .irq = 33},
        /* DTB (+0), Image (+2 MiB), initramfs: one file QEMU's loader puts
         * at 0x78000000 (bench-linux.mk); 40 MiB holds it (38 MiB with Debian 6.1.0-57; pack checks it fits). */
        .image = VM_IMAGE_PRELOADED_AT(0x78000000, 40 << 20, 0x40000000),
        .entry = 0x40200000,
        .dtb_ipa = 0x40000000,
        .colours = BENCH_COLOURS,
    },
};

const struct baohu_config baohu_config = {CONFIG_LIST(vms, vms)};
