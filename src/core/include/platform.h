/* What a board is: the data each src/platform/<board>/platform.c provides. */
#ifndef BAOHU_PLATFORM_H
#define BAOHU_PLATFORM_H

#include <stddef.h>
#include <stdint.h>

#define PLATFORM_MAX_CPUS 8
#define PLATFORM_MAX_RAM 4
#define PLATFORM_MAX_MMIO 8

struct platform_range {
    uint64_t base;
    uint64_t size;
};

enum platform_irqchip {
    IRQCHIP_GICV2,
    IRQCHIP_GICV3,
    IRQCHIP_PLIC, /* RISC-V PLIC: guests get an emulated one at the same address */
    IRQCHIP_AIA,  /* RISC-V APLIC + IMSIC: emulated APLIC, guest interrupt files */
};

struct platform {
    const char *name;
    size_t cpu_count;
    uint64_t cpu_hwid[PLATFORM_MAX_CPUS]; /* each CPU's hardware id: MPIDR affinity fields (Arm), hart id (RISC-V) */

    struct platform_range ram[PLATFORM_MAX_RAM];
    size_t ram_count;
    /* RAM that is never given to VMs: Baohu's image, the embedded guest images
     * and whatever the loader put there (QEMU's DTB at the start of RAM). */
    struct platform_range hyp_reserved;

    /* MMIO windows a VM may be given as passthrough devices. */
    struct platform_range mmio[PLATFORM_MAX_MMIO];
    size_t mmio_count;

    struct {
        uint64_t base;
        uint32_t irq;
    } console;

    struct {
        enum platform_irqchip kind;
        uint64_t gicd;      /* distributor */
        uint64_t gicr;      /* GICv3 redistributors */
        uint64_t gicr_stride; /* bytes per redistributor: 0x20000 (0 means that), GICv4 0x40000 */
        uint64_t gicc;      /* GICv2 CPU interface */
        uint64_t gich;      /* GICv2 virtual interface control */
        uint64_t gicv;      /* GICv2 virtual CPU interface */
        /* GICv2 frames aliased across this many bytes (ZynqMP's GIC-400:
         * 64 KiB per 4 KiB frame); 0 = no aliases. The whole aliased span
         * of each frame is the interrupt controller's. */
        uint64_t gicv2_alias;
        uint64_t plic;      /* RISC-V PLIC */
        uint64_t aplic;     /* RISC-V APLIC, supervisor domain */
        uint64_t imsic;     /* RISC-V IMSIC, supervisor files: see platform_imsic_hart_offset */
        uint32_t guest_files; /* IMSIC guest interrupt files per hart */
        /* Bytes from one hart's S-level interrupt file to the next hart index's: a power of
         * two of at least 1 + guest_files pages; 0 = the smallest such. */
        uint64_t imsic_hart_stride;
        /* Hart ids as (group, hart index) (AIA §3.6): the low imsic_hart_bits bits are the
         * index, the rest the group, whose files start group << imsic_group_shift bytes
         * after imsic. imsic_hart_bits 0: one group, the hart id is the index. */
        uint32_t imsic_hart_bits;
        uint32_t imsic_group_shift;
        uint32_t irq_count; /* highest INTID (RISC-V: interrupt source id) + 1 */
        uint32_t maint_irq; /* maintenance PPI */
    } irqchip;

    /* The IOMMU in front of DMA masters (Arm SMMUv3, IHI 0070); base 0 =
     * none: DMA-capable passthrough devices then reach all of memory. Its
     * registers are Baohu's alone, never a VM's. */
    struct {
        uint64_t base;
        uint64_t size;
        uint32_t stream_count; /* stream IDs Baohu's stream table covers: 0..count-1 */
        uint32_t evtq_irq;     /* event queue SPI (edge) */
        uint32_t gerror_irq;   /* global error SPI (edge) */
    } iommu;

    struct {
        uint32_t size;      /* bytes; 0 = unknown */
        uint32_t ways;
        uint32_t line;
    } llc;
};

extern const struct platform platform;

#define PLATFORM_IMSIC_FILE 0x1000ull /* an IMSIC interrupt file is one 4 KiB page (AIA §3.6) */

/* Bytes per hart index in the S-level IMSIC: the S file, then its guest files, rounded up to
 * a power of two (AIA §3.6: the hart index selects bits of the address). */
static inline uint64_t platform_imsic_stride(const struct platform *p)
{
    uint64_t stride = PLATFORM_IMSIC_FILE;

    if (p->irqchip.imsic_hart_stride)
        return p->irqchip.imsic_hart_stride;
    while (stride < (1ull + p->irqchip.guest_files) * PLATFORM_IMSIC_FILE)
        stride <<= 1;
    return stride;
}

/* Where hart `hart_id`'s S-level interrupt file is, from the IMSIC base (AIA §3.6): group
 * g at g << imsic_group_shift, hart index h at h * stride within it. */
static inline uint64_t platform_imsic_hart_offset(const struct platform *p, uint64_t hart_id)
{
    uint32_t bits = p->irqchip.imsic_hart_bits;
    uint64_t index = bits ? hart_id & ((1ull << bits) - 1) : hart_id;
    uint64_t group = bits ? hart_id >> bits : 0;

    return (group << p->irqchip.imsic_group_shift) + index * platform_imsic_stride(p);
}

#endif
