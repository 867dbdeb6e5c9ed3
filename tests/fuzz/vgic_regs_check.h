/* What a read of the INTID-indexed distributor registers may return, for the vGIC fuzzers: the bits of interrupts the VM owns. */
#ifndef BAOHU_FUZZ_VGIC_REGS_CHECK_H
#define BAOHU_FUZZ_VGIC_REGS_CHECK_H

#include "fuzz_input.h"
#include "types.h"

/*
 * For an access of `size` bytes at `off` of a distributor (GICv2, GICv3) or
 * a redistributor's SGI frame (GICv3) that shows INTIDs [lo, hi) and in
 * which `owned(intid)` says whether the VM has the interrupt: the bits a
 * read may set (IGROUPR..ICACTIVER, IPRIORITYR, ICFGR; 0 elsewhere), and
 * whether `off` is one of these registers at all.
 */
static inline bool regs_mask(uint32_t off, unsigned size, irqid_t lo, irqid_t hi,
                             bool (*owned)(irqid_t), uint64_t *mask)
{
    *mask = 0;
    if (off >= 0x400 && off < 0x7fc) { /* IPRIORITYR: byte per INTID */
        if (size == 1 || size == 4)
            for (unsigned j = 0; j < size; j++) {
                irqid_t i = off - 0x400 + j;
                if (i >= lo && i < hi && owned(i))
                    *mask |= 0xffull << (8 * j);
            }
        return true;
    }
    if (size != 4)
        return false;
    if (off >= 0x80 && off < 0x400) { /* bit per INTID */
        irqid_t first = ((off & 0x7f) / 4) * 32;
        for (unsigned i = 0; i < 32; i++)
            if (first + i >= lo && first + i < hi && owned(first + i))
                *mask |= 1ull << i;
        return true;
    }
    if (off >= 0xc00 && off < 0xd00) { /* ICFGR: bit 2i+1 per INTID */
        irqid_t first = ((off - 0xc00) / 4) * 16;
        for (unsigned i = 0; i < 16; i++)
            if (first + i >= lo && first + i < hi && owned(first + i))
                *mask |= 2ull << (2 * i);
        return true;
    }
    return false;
}

/*
 * A write's effect is what the next read of the same register shows (IHI
 * 0048B §4.3, IHI 0069 §12.9): set-enable/pending/active bits written 1 read
 * 1, clear ones read 0, IGROUPR and priorities read back as written (less
 * the unimplemented priority bits). `written` is the value written,
 * `readback` the read after it, `mask` from regs_mask. ICFGR is left out:
 * SGIs (and, implementation defined, PPIs) ignore writes.
 */
static inline void regs_roundtrip(uint32_t off, unsigned size, uint64_t written,
                                  uint64_t readback, uint64_t mask, uint8_t prio_mask)
{
    if (off >= 0x400 && off < 0x7fc) {
        uint64_t pm = 0;
        for (unsigned j = 0; j < size; j++)
            pm |= (uint64_t)prio_mask << (8 * j);
        FUZZ_ASSERT((readback & mask) == (written & mask & pm),
                    "IPRIORITYR %#x: wrote %#llx, read %#llx", off, (unsigned long long)written,
                    (unsigned long long)readback);
        return;
    }
    if (size != 4 || off < 0x80 || off >= 0x400)
        return;
    unsigned reg = (off - 0x80) / 0x80; /* IGROUPR, ISENABLER, ICENABLER, ... */
    uint64_t w = written & mask;
    if (reg == 0)
        FUZZ_ASSERT((readback & mask) == w, "IGROUPR %#x: wrote %#llx, read %#llx", off,
                    (unsigned long long)written, (unsigned long long)readback);
    else if (reg % 2) /* ISENABLER, ISPENDR, ISACTIVER */
        FUZZ_ASSERT((readback & w) == w, "set register %#x: wrote %#llx, read %#llx", off,
                    (unsigned long long)written, (unsigned long long)readback);
    else /* ICENABLER, ICPENDR, ICACTIVER */
        FUZZ_ASSERT((readback & w) == 0, "clear register %#x: wrote %#llx, read %#llx", off,
                    (unsigned long long)written, (unsigned long long)readback);
}

#endif
