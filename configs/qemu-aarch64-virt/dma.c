/* DMA isolation: a VM driving virtio-blk-pci behind the SMMU, beside a victim whose RAM it aims at. */
#include <baohu/config.h>

BAOHU_INCBIN(victim_image, GUEST_DIR "/dma-victim.bin");
BAOHU_INCBIN(dma_image, GUEST_DIR "/dma-probe.bin");

/* The victim's RAM at a fixed physical address, so the probe knows where
 * to aim (GUEST_DMA_VICTIM = 0x48100000 is its IPA 0x40100000). */
static const struct vm_mem_region victim_mem[] = {
    {.ipa = 0x40000000, .size = 16 << 20, .pa = 0x48000000},
};
/* At IPA 0x50000000: Baohu's image (PA 0x40200000), the probe's third
 * target, is no IPA of the probe's. */
static const struct vm_mem_region dma_mem[] = {{.ipa = 0x50000000, .size = 16 << 20}};

/* The PCIe host bridge: ECAM of bus 0 and the first MiB of the 32-bit
 * window for BARs. Its DMA is the requester IDs of bus 0 (streams 0-255:
 * QEMU's iommu-map is the identity). */
static const struct vm_stream_range pcie_streams[] = {{.base = 0, .count = 256}};
static const struct vm_dev_region dma_devs[] = {
    {.pa = 0x4010000000, .ipa = 0x4010000000, .size = 0x100000, .dma = true,
     CONFIG_LIST(streams, pcie_streams)},
    {.pa = 0x10000000, .ipa = 0x10000000, .size = 0x100000},
};

static const struct vm_config vms[] = {
    {
        .name = "victim",
        .cpus = 1 << 0,
        CONFIG_LIST(mem, victim_mem),
        .image = VM_IMAGE_EMBEDDED_AT(victim_image, 0x40000000),
        .entry = 0x40000000,
    },
    {
        .name = "dma",
        .cpus = 1 << 1,
#ifdef DMA_VM_COLOURS
        .colours = DMA_VM_COLOURS,
#endif
#ifdef DMA_FAULT_POLICY
        .fault_policy = DMA_FAULT_POLICY,
#endif
        CONFIG_LIST(mem, dma_mem),
        CONFIG_LIST(devs, dma_devs),
        .image = VM_IMAGE_EMBEDDED_AT(dma_image, 0x50000000),
        .entry = 0x50000000,
    },
};

/* dma-colour.c: the same with Baohu coloured (its stream table and contexts in pages of its colours). */
#ifndef DMA_BAOHU_COLOURING
#define DMA_BAOHU_COLOURING .hyp_colours = 0
#endif
const struct baohu_config baohu_config = {CONFIG_LIST(vms, vms), DMA_BAOHU_COLOURING};
