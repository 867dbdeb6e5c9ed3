/* Building a VM configuration from fuzzer input: addresses near the board's interesting ranges, mostly sane fields. */
#include <string.h>

#include "config_gen.h"

extern const struct platform board_qemu_aarch64_virt, board_qemu_aarch64_virt_gicv2, board_zcu102,
    board_qemu_riscv64_virt, board_qemu_riscv64_virt_aia;

const struct platform *const gen_boards[GEN_BOARDS] = {
    &board_qemu_aarch64_virt, &board_qemu_aarch64_virt_gicv2, &board_zcu102,
    &board_qemu_riscv64_virt, &board_qemu_riscv64_virt_aia,
};

/* A base address: one of the board's range starts or ends, plus pages. */
static uint64_t gen_addr(struct fuzz_in *in, const struct platform *p)
{
    uint8_t b = fuzz_u8(in);
    uint64_t bases[] = {
        p->ram[0].base, p->ram[0].base + p->ram[0].size, p->hyp_reserved.base + p->hyp_reserved.size,
        p->hyp_reserved.base, p->mmio[0].base, p->mmio[1].base, p->console.base,
        p->irqchip.gicd, p->irqchip.gicr, p->irqchip.gicc, p->irqchip.gich, p->irqchip.gicv,
        p->irqchip.plic, p->irqchip.aplic, p->irqchip.imsic, p->iommu.base,
        0x0a000000, 0x10000000, 0x4010000000ull, 0, 0x100000000ull, ~0ull & ~0xfffull,
    };
    uint64_t a = bases[(b & 0x1f) % (sizeof bases / sizeof bases[0])];
    switch (b >> 5) {
    case 0: case 1: case 2: return a + 0x1000ull * fuzz_u8(in);
    case 3: return a + 0x10000ull * fuzz_u8(in);
    case 4: return a - 0x1000ull * (fuzz_u8(in) % 4);
    case 5: return a + 0x100000ull * fuzz_u8(in);
    case 6: return a + (fuzz_u16(in) & 0xfff); /* unaligned */
    default: return fuzz_edgy64(in);
    }
}

static uint64_t gen_size(struct fuzz_in *in)
{
    uint8_t b = fuzz_u8(in);
    switch (b >> 5) {
    case 0: case 1: return 0x1000ull * (b % 16 + 1);
    case 2: return 0x10000ull << (b % 4);
    case 3: return 0x100000ull << (b % 8);
    case 4: return 0x20000ull * (b % 8 + 1);
    case 5: return b % 2 ? 0 : 0x800;
    default: return fuzz_edgy64(in);
    }
}

static uint32_t gen_irq(struct fuzz_in *in, const struct platform *p)
{
    uint8_t b = fuzz_u8(in);
    switch (b >> 6) {
    case 0: return 32 + b % 16;
    case 1: return p->console.irq + (b & 1);
    case 2: return p->irqchip.irq_count - (b % 3);
    default: return b % 40;
    }
}

void gen_config(struct fuzz_in *in, const struct platform *p, struct gen *g)
{
    memset(g, 0, sizeof *g);
    uint8_t counts = fuzz_u8(in);
    size_t vms = counts % GEN_VMS + 1, shmem = (counts >> 2) % (GEN_SHMEM + 1);
    for (size_t s = 0; s < shmem; s++) {
        static const char *const names[] = {"a", "b", "c"};
        g->shmem[s].name = names[s];
        g->shmem[s].size = gen_size(in);
        g->shmem[s].pa = (fuzz_u8(in) & 3) ? 0 : gen_addr(in, p);
    }
    for (size_t i = 0; i < vms; i++) {
        struct vm_config *vm = &g->vms[i];
        uint8_t f = fuzz_u8(in);
        g->names[i][0] = (char)('a' + (f & 3)); /* duplicates now and then */
        g->names[i][1] = (char)('0' + i % 2);
        vm->name = g->names[i];
        vm->cpus = (f & 0x80) ? fuzz_edgy64(in) : 1ull << (i + (f >> 4 & 1));
        size_t nm = fuzz_u8(in) % (GEN_MEM + 1);
        for (size_t j = 0; j < nm; j++) {
            g->mem[i][j].ipa = gen_addr(in, p);
            g->mem[i][j].size = gen_size(in);
            g->mem[i][j].pa = (fuzz_u8(in) & 3) ? 0 : gen_addr(in, p);
        }
        vm->mem = nm ? g->mem[i] : NULL;
        vm->mem_count = nm;
        size_t nd = fuzz_u8(in) % (GEN_DEVS + 1);
        for (size_t j = 0; j < nd; j++) {
            struct vm_dev_region *d = &g->devs[i][j];
            uint8_t df = fuzz_u8(in);
            d->pa = gen_addr(in, p);
            d->ipa = (df & 1) ? d->pa : gen_addr(in, p);
            d->size = gen_size(in);
            d->irqs_count = (df >> 1) % (GEN_IRQS + 1);
            for (size_t k = 0; k < d->irqs_count; k++)
                g->irqs[i][j][k] = gen_irq(in, p);
            d->irqs = d->irqs_count ? g->irqs[i][j] : NULL;
            d->dma = df & 0x10;
            d->dma_unconfined = df & 0x20;
            if (df & 0x40) {
                g->streams[i][j] = (struct vm_stream_range){fuzz_u8(in), fuzz_u8(in) % 4};
                d->streams = &g->streams[i][j];
                d->streams_count = 1;
            }
        }
        vm->devs = nd ? g->devs[i] : NULL;
        vm->devs_count = nd;
        size_t ni = fuzz_u8(in) % (GEN_IPCS + 1);
        for (size_t j = 0; j < ni; j++) {
            struct vm_ipc *c = &g->ipcs[i][j];
            uint8_t cf = fuzz_u8(in);
            c->shmem_id = cf % 4;
            c->ipa = gen_addr(in, p);
            c->writable = cf & 4;
            c->doorbell_irq = (cf & 8) ? gen_irq(in, p) : 0;
            c->doorbell_ipa = (cf & 16) ? gen_addr(in, p) : 0;
        }
        vm->ipcs = ni ? g->ipcs[i] : NULL;
        vm->ipcs_count = ni;
        /* Image and entry: mostly at the start of the first region. */
        uint64_t at = nm ? g->mem[i][0].ipa : 0;
        uint8_t e = fuzz_u8(in);
        if (e & 1) {
            vm->image = (struct vm_image){.kind = VM_IMAGE_PRELOADED, .pa = gen_addr(in, p),
                                          .size = gen_size(in), .ipa = at};
        } else {
            vm->image = (struct vm_image){.kind = VM_IMAGE_EMBEDDED, .start = g->image,
                                          .end = g->image + sizeof g->image, .ipa = at};
        }
        vm->entry = (e & 2) ? gen_addr(in, p) : at;
        vm->dtb_ipa = (e & 4) ? at + 0x1000ull * fuzz_u8(in) : 0;
        vm->fault_policy = (enum vm_fault_policy)((e >> 3) % 4 == 3 ? 7 : (e >> 3) % 4);
        vm->colours = (e & 0x20) ? fuzz_edgy64(in) : 0;
        if (e & 0x40) {
            g->fwd[i][0] = (fuzz_u8(in) & 1) ? 0x82000010u : fuzz_u32(in);
            vm->smc_forward = g->fwd[i];
            vm->smc_forward_count = 1;
        }
        vm->counters = (e & 0x80) ? fuzz_u8(in) % 5 : 0;
    }
    g->cfg.vms = g->vms;
    g->cfg.vms_count = vms;
    g->cfg.shmem = shmem ? g->shmem : NULL;
    g->cfg.shmem_count = shmem;
    /* Baohu's own colours from what is left (older inputs end before it:
     * they stay uncoloured, as they were generated). */
    uint8_t h = fuzz_u8(in);
    g->cfg.hyp_colours = (h & 1) ? ((h & 4) ? 0xfull << (4 * ((h >> 3) % 8)) : fuzz_edgy64(in)) : 0;
    g->cfg.hyp_colours_shared = (h & 2) != 0;
    /* Extra images and dt_hidden regions, last for the same reason: up to
     * one more than the validator allows, mostly preloaded near RAM. */
    for (size_t i = 0; i < vms; i++) {
        uint8_t x = fuzz_u8(in);
        size_t n = (x & 0x80) ? VM_EXTRA_IMAGES_MAX + 1 : x % 4u;
        for (size_t k = 0; k < n; k++) {
            uint64_t ipa = g->vms[i].mem_count ? g->mem[i][0].ipa + 0x1000ull * fuzz_u8(in) : gen_addr(in, p);
            g->extra[i][k] = (fuzz_u8(in) & 1)
                                 ? (struct vm_image){.kind = VM_IMAGE_EMBEDDED, .start = g->image,
                                                     .end = g->image + sizeof g->image, .ipa = ipa}
                                 : (struct vm_image){.kind = VM_IMAGE_PRELOADED, .pa = gen_addr(in, p),
                                                     .size = gen_size(in), .ipa = ipa};
        }
        g->vms[i].extra_images = n ? g->extra[i] : NULL;
        g->vms[i].extra_images_count = n;
        if (g->vms[i].mem_count && (x & 0x40))
            g->mem[i][0].dt_hidden = true;
    }
}
