/* Fuzzing the GICv3 vGIC (src/arch/aarch64/vgic.c, vgic_v3.c, vgic_regs.c): distributor, redistributors, ICC_SGI1R and the interrupt state machine. */
#include <string.h>

#include "fake_vgic_lr.h"
#include "vgic_harness.h"
#include "vgic_ops.h"
#include "vgic_regs_check.h"

/*
 * The operations and the VM are vgic_harness.c's; this file makes the
 * guest's GICv3 accesses and checks what each read may return: only its
 * own interrupts' bits, RAZ where the register map says so (IHI 0069
 * §12.8-§12.11 as vgic_v3.c implements it), accesses of a size or an
 * alignment the GIC does not support refused, and each write visible to
 * the next read.
 */

#define GICD 0x08000000ull
#define GICR 0x080A0000ull
#define FRAME 0x20000ull

static bool owned_dist(irqid_t intid)
{
    return intid >= 32 && h_spi_owned(intid);
}

static bool owned_private(irqid_t intid)
{
    return intid < 32;
}

/* Offsets a guest driver uses, so most accesses hit a register. */
static const uint32_t dist_regs[] = {0x0, 0x4, 0x8, 0x10, 0x40, 0x80, 0x84, 0x100, 0x104, 0x180,
                                     0x184, 0x200, 0x204, 0x280, 0x300, 0x380, 0x400, 0x420,
                                     0x434, 0xc00, 0xc04, 0xc08, 0xd00, 0xf00, 0x6000, 0x6100,
                                     0x6140, 0x61a0, 0x7fd8, 0xffe8};
static const uint32_t rd_regs[] = {0x0, 0x4, 0x8, 0xc, 0x10, 0x14, 0x70, 0x78, 0xffe8};
static const uint32_t sgi_regs[] = {0x80, 0x100, 0x180, 0x200, 0x280, 0x300, 0x380, 0x400,
                                    0x41c, 0xc00, 0xc04, 0xd00, 0xe00};

static uint32_t pick_off(struct fuzz_in *in, const uint32_t *regs, size_t n, uint32_t span)
{
    uint8_t b = fuzz_u8(in);
    if (b & 0x80)
        return fuzz_u16(in) % span;
    return (regs[(b & 0x7f) % n] + 4 * (fuzz_u8(in) % 8) * ((b & 0x40) != 0)) % span;
}

/* What a read of `off` in the distributor (region 0), RD frame (1) or
 * SGI frame (2) of vCPU k may set. */
static uint64_t allowed(int region, uint32_t k, uint32_t off, unsigned size)
{
    uint64_t m;
    if (region == 0) {
        if (off >= 0x6000 && off < 0x7fe0) /* IROUTER: Aff0 = vCPU, Aff3 half 0 */
            return (size == 8 || (size == 4 && !(off & 4))) && owned_dist((off - 0x6000) / 8)
                       ? 0x3 : 0;
        if (regs_mask(off, size, 32, 1020, owned_dist, &m))
            return m;
        if (size != 4)
            return 0;
        switch (off) {
        case 0x0: return 0x3 | 0x10 | 0x40 | (1u << 31); /* EnableGrp0/1, ARE, DS, RWP */
        case 0x4: case 0x8: return ~0ull;
        case 0xffe8: return 0xff;
        default: return 0;
        }
    }
    if (region == 1) {
        if (size == 8)
            return off == 0x8 ? ~0ull : 0;
        if (size != 4)
            return 0;
        switch (off) {
        case 0x0: return 1u << 3;                   /* RWP */
        case 0x4: case 0x8: case 0xc: return ~0ull; /* IIDR, TYPER */
        case 0x14: return 0x6;                      /* WAKER */
        case 0xffe8: return 0xff;
        default: return 0;
        }
    }
    (void)k;
    return regs_mask(off, size, 0, 32, owned_private, &m) ? m : 0;
}

void fe_mmio(struct fuzz_in *in, struct vcpu *v)
{
    uint8_t b = fuzz_u8(in);
    int region = b % 4; /* 3: just past the VM's redistributors, or a stray address */
    unsigned size = 1u << ((b >> 2) & 3);
    bool write = b & 0x10;
    uint32_t k = fuzz_u8(in) % H_VCPUS;
    uint32_t off;
    uint64_t base;
    switch (region) {
    case 0: off = pick_off(in, dist_regs, sizeof dist_regs / 4, 0x10000); base = GICD; break;
    case 1: off = pick_off(in, rd_regs, sizeof rd_regs / 4, 0x10000); base = GICR + k * FRAME; break;
    case 2:
        off = pick_off(in, sgi_regs, sizeof sgi_regs / 4, 0x10000);
        base = GICR + k * FRAME + 0x10000;
        break;
    default:
        off = fuzz_u16(in);
        base = (b & 0x20) ? GICR + H_VCPUS * FRAME : GICD + 0x10000;
        break;
    }
    uint64_t value = (b & 0x40) ? fuzz_edgy64(in) : fuzz_u32(in);
    if (region == 0 && off >= 0x6000 && off < 0x7fe0 && !(b & 0x40)) {
        /* A route: Aff0, often with IRM, another affinity field or a RES0
         * bit [63:40] set. */
        uint8_t f = (uint8_t)value;
        value = (value >> 8) % 4;
        if (f & 1) value |= 1ull << 31;
        if (f & 2) value |= (uint64_t)fuzz_u8(in) << 8;
        if (f & 4) value |= (uint64_t)fuzz_u8(in) << 32;
        if (f & 8) value |= (uint64_t)fuzz_u8(in) << 40;
        if (f & 16) value |= 1ull << 63;
    }
    uint64_t addr = base + off;
    bool valid = (size == 1 || size == 4 || size == 8) && !(addr & (size - 1)) && region != 3;
    struct mmio_access acc = {.addr = ipa_init(addr), .size = size, .write = write, .value = value};
    /* An IROUTER write names a vCPU (0.0.0.k, k one of the VM's) or is
     * ignored (§12.9.22; no 1-of-N routing, so IRM is not kept). */
    irqid_t route_intid = 0;
    uint8_t route_want = 0;
    struct vgic_irq_view rw;
    if (region == 0 && off >= 0x6000 && off < 0x7fe0 && write && valid &&
        (size == 8 || (size == 4 && !(off & 4))) && owned_dist((off - 0x6000) / 8)) {
        route_intid = (off - 0x6000) / 8;
        vgic_irq_view(v, route_intid, &rw);
        uint64_t x = size == 8 ? value : (uint32_t)value;
        route_want = (x & 0xff00ffff00ull) == 0 && (x & 0xff) < H_VCPUS ? (uint8_t)(x & 0xff)
                                                                       : rw.target_vcpu;
    }
    if (getenv("FUZZ_TRACE"))
        fprintf(stderr, "  %s region %d (vCPU %u) off %#x size %u value %#llx\n",
                write ? "write" : "read", region, k, off, size, (unsigned long long)value);
    bool ok = vgic_mmio_access(v, &acc);
    FUZZ_ASSERT(ok == valid, "region %d off %#x size %u write %d: accepted %d", region, off, size,
                write, ok);
    if (route_intid) {
        vgic_irq_view(v, route_intid, &rw);
        FUZZ_ASSERT(rw.target_vcpu == route_want, "IROUTER%u = %#llx: routed to vCPU %u, want %u",
                    route_intid, (unsigned long long)value, rw.target_vcpu, route_want);
    }
    if (!ok)
        return;
    if (!write) {
        uint64_t m = allowed(region, k, off, size);
        FUZZ_ASSERT((acc.value & ~m) == 0,
                    "region %d (vCPU %u) off %#x size %u read %#llx: bits outside %#llx", region,
                    k, off, size, (unsigned long long)acc.value, (unsigned long long)m);
        if (region == 0 && off == 0x6000 && acc.value)
            FUZZ_ASSERT(acc.value < H_VCPUS, "IROUTER names vCPU %llu",
                        (unsigned long long)acc.value);
        if (region == 1 && ((off == 0x8 && size == 8) || (off == 0xc && size == 4))) {
            uint64_t typer = ((uint64_t)k << 32) | ((uint64_t)k << 8) |
                             (k + 1 == H_VCPUS ? 1u << 4 : 0);
            uint64_t want = size == 8 ? typer : typer >> 32;
            FUZZ_ASSERT(acc.value == want, "GICR_TYPER of vCPU %u: %#llx", k,
                        (unsigned long long)acc.value);
        }
        if (region == 0 && off == 0x4 && size == 4)
            FUZZ_ASSERT((acc.value & 0x1f) == 1 && ((acc.value >> 5) & 7) == H_VCPUS - 1,
                        "GICD_TYPER %#llx", (unsigned long long)acc.value);
        return;
    }
    /* The write is what the next read shows. */
    uint64_t m;
    irqid_t lo = region == 2 ? 0 : 32, hi = region == 2 ? 32 : 1020;
    if ((region == 0 || region == 2) &&
        regs_mask(off, size, lo, hi, region == 2 ? owned_private : owned_dist, &m)) {
        uint64_t written = size < 8 ? value & ((1ull << (8 * size)) - 1) : value;
        uint64_t back = h_mmio(v, addr, size, false, 0);
        FUZZ_ASSERT((back & ~allowed(region, k, off, size)) == 0, "off %#x read back %#llx",
                    off, (unsigned long long)back);
        regs_roundtrip(off, size, written, back, m, 0xff);
    }
}

/* ICC_SGI1R_EL1 with each field often zero: TargetList [15:0], Aff1
 * [23:16], INTID [27:24], Aff2 [39:32], IRM [40], RS [47:44], Aff3
 * [55:48]. Only the vCPUs named may see the SGI become pending. */
void fe_sgi(struct fuzz_in *in, struct vcpu *v)
{
    uint8_t b = fuzz_u8(in);
    uint64_t value;
    if (b & 0x80) {
        value = fuzz_u64(in);
    } else {
        value = (uint64_t)fuzz_u16(in) | ((uint64_t)(fuzz_u8(in) & 0xf) << 24);
        if (b & 1) value |= 1ull << 40;
        if (b & 2) value |= (uint64_t)(fuzz_u8(in) & 0xf) << 44;
        if (b & 4) value |= (uint64_t)fuzz_u8(in) << 16;
        if (b & 8) value |= (uint64_t)fuzz_u8(in) << 32;
        if (b & 16) value |= (uint64_t)fuzz_u8(in) << 48;
    }
    irqid_t intid = (value >> 24) & 0xf;
    uint32_t all = (1u << H_VCPUS) - 1, targets;
    if ((value >> 40) & 1)
        targets = all & ~(1u << v->id);
    else if (value & 0x00ff00ff00ff0000ull)
        targets = 0;
    else {
        uint32_t rs = (value >> 44) & 0xf;
        targets = rs ? 0 : (uint32_t)(value & 0xffff) & all;
    }
    bool before[H_VCPUS];
    struct vgic_irq_view w;
    for (uint32_t k = 0; k < H_VCPUS; k++) {
        FUZZ_ASSERT(vgic_irq_view(&h_vm.vcpus[k], intid, &w), "SGI %u missing", intid);
        before[k] = w.pending;
    }
    if (getenv("FUZZ_TRACE"))
        fprintf(stderr, "  ICC_SGI1R %#llx\n", (unsigned long long)value);
    vgic_sgi_write(v, value);
    for (uint32_t k = 0; k < H_VCPUS; k++) {
        vgic_irq_view(&h_vm.vcpus[k], intid, &w);
        if (targets & (1u << k))
            FUZZ_ASSERT(w.pending, "SGI %u to vCPU %u (ICC_SGI1R %#llx) not pending", intid, k,
                        (unsigned long long)value);
        else
            FUZZ_ASSERT(w.pending == before[k], "SGI %u pended on vCPU %u not named by %#llx",
                        intid, k, (unsigned long long)value);
    }
}

/* Nothing of the last run survives a VM reset: each redistributor is
 * awake, as vgic_v3.c starts it (GICR_WAKER 0). */
void fe_after_reset(void)
{
    for (uint32_t k = 0; k < H_VCPUS; k++) {
        fake_current_cpu = h_vm.vcpus[k].cpu;
        uint64_t w = h_mmio(&h_vm.vcpus[k], GICR + k * FRAME + 0x14, 4, false, 0);
        FUZZ_ASSERT(w == 0, "GICR_WAKER of vCPU %u reads %#llx after a VM reset", k,
                    (unsigned long long)w);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    h_run(data, size);
    return 0;
}
