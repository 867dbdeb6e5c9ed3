/* Building a VM configuration from fuzzer input, for the config validator and DT generator fuzzers. */
#ifndef BAOHU_FUZZ_CONFIG_GEN_H
#define BAOHU_FUZZ_CONFIG_GEN_H

#include "baohu/config.h"
#include "fuzz_input.h"
#include "platform.h"

#define GEN_VMS 4
#define GEN_MEM 3
#define GEN_DEVS 3
#define GEN_IRQS 3
#define GEN_IPCS 2
#define GEN_SHMEM 3

/* Storage for one generated configuration; `cfg` points into it. */
struct gen {
    struct baohu_config cfg;
    struct vm_config vms[GEN_VMS];
    struct vm_mem_region mem[GEN_VMS][GEN_MEM];
    struct vm_dev_region devs[GEN_VMS][GEN_DEVS];
    uint32_t irqs[GEN_VMS][GEN_DEVS][GEN_IRQS];
    struct vm_stream_range streams[GEN_VMS][GEN_DEVS];
    struct vm_ipc ipcs[GEN_VMS][GEN_IPCS];
    struct shmem_config shmem[GEN_SHMEM];
    uint32_t fwd[GEN_VMS][2];
    char names[GEN_VMS][8];
    uint8_t image[16];
    struct vm_image extra[GEN_VMS][VM_EXTRA_IMAGES_MAX + 1];
};

/* The five boards (src/platform/<board>/platform.c, symbols renamed at build). */
#define GEN_BOARDS 5
extern const struct platform *const gen_boards[GEN_BOARDS];

/* Fill `g` from the input: addresses and sizes drawn near the board's RAM,
 * MMIO windows and interrupt controller so that overlaps and edge cases
 * are common; counts, names and fields mostly sane so that valid configs
 * are common too. */
void gen_config(struct fuzz_in *in, const struct platform *p, struct gen *g);

#endif
