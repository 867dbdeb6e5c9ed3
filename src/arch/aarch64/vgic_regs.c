/* The INTID-indexed distributor registers: one emulation for the GICv2 and GICv3 front ends. */
#include "vgic_ops.h"
#include "vgic_regs.h"

/* Offsets in a GICv2 distributor (IHI 0048B §4.1.2), a GICv3 distributor
 * (IHI 0069 §12.8) and a GICv3 redistributor's SGI frame (§12.10). */
#define REG_IGROUPR 0x0080
#define REG_ICACTIVER_END 0x0400
#define REG_IPRIORITYR 0x0400
#define REG_IPRIORITYR_END 0x07fc
#define REG_ICFGR 0x0c00
#define REG_ICFGR_END 0x0d00

enum bit_reg {
    BIT_IGROUPR,
    BIT_ISENABLER,
    BIT_ICENABLER,
    BIT_ISPENDR,
    BIT_ICPENDR,
    BIT_ISACTIVER,
    BIT_ICACTIVER,
};

static bool in_range(irqid_t intid, irqid_t lo, irqid_t hi)
{
    return intid >= lo && intid < hi;
}

static uint32_t bits_read(struct vcpu *bank, enum bit_reg reg, irqid_t first, irqid_t lo,
                          irqid_t hi)
{
    uint32_t val = 0;
    for (uint32_t i = 0; i < 32; i++) {
        struct vgic_irq_view w;
        if (!in_range(first + i, lo, hi) || !vgic_irq_view(bank, first + i, &w))
            continue;
        bool b;
        switch (reg) {
        case BIT_IGROUPR:
            b = w.group1;
            break;
        case BIT_ISENABLER:
        case BIT_ICENABLER:
            b = w.enabled;
            break;
        case BIT_ISPENDR:
        case BIT_ICPENDR:
            b = w.pending;
            break;
        default:
            b = w.active;
            break;
        }
        val |= (uint32_t)b << i;
    }
    return val;
}

/* Set/clear registers act on the bits written as 1 only; IGROUPR on all. */
static void bits_write(struct vcpu *bank, enum bit_reg reg, irqid_t first, irqid_t lo, irqid_t hi,
                       uint32_t val)
{
    for (uint32_t i = 0; i < 32; i++) {
        irqid_t intid = first + i;
        bool b = (val >> i) & 1;
        if (!in_range(intid, lo, hi) || (reg != BIT_IGROUPR && !b))
            continue;
        switch (reg) {
        case BIT_IGROUPR:
            vgic_irq_set_group(bank, intid, b);
            break;
        case BIT_ISENABLER:
        case BIT_ICENABLER:
            vgic_irq_set_enabled(bank, intid, reg == BIT_ISENABLER);
            break;
        case BIT_ISPENDR:
        case BIT_ICPENDR:
            vgic_irq_set_pending(bank, intid, reg == BIT_ISPENDR);
            break;
        case BIT_ISACTIVER:
        case BIT_ICACTIVER:
            vgic_irq_set_active(bank, intid, reg == BIT_ISACTIVER);
            break;
        }
    }
}

bool vgic_regs_access(struct vcpu *bank, uint32_t off, struct mmio_access *acc, irqid_t lo,
                      irqid_t hi, uint8_t prio_mask)
{
    if (off >= REG_IPRIORITYR && off < REG_IPRIORITYR_END) {
        /* GICD_IPRIORITYR<n>: one byte per INTID, byte-accessible. */
        if (acc->size != 1 && acc->size != 4)
            return true; /* RAZ/WI */
        irqid_t first = off - REG_IPRIORITYR;
        for (uint32_t j = 0; j < acc->size; j++) {
            struct vgic_irq_view w;
            if (!in_range(first + j, lo, hi))
                continue;
            if (acc->write)
                vgic_irq_set_priority(bank, first + j,
                                      (uint8_t)(acc->value >> (8 * j)) & prio_mask);
            else if (vgic_irq_view(bank, first + j, &w))
                acc->value |= (uint64_t)w.priority << (8 * j);
        }
        return true;
    }
    if (acc->size != 4)
        return false;
    if (off >= REG_IGROUPR && off < REG_ICACTIVER_END) {
        /* IGROUPR, IS/ICENABLER, IS/ICPENDR, IS/ICACTIVER: 0x80 bytes each,
         * one bit per INTID. */
        enum bit_reg reg = (enum bit_reg)((off - REG_IGROUPR) / 0x80);
        irqid_t first = ((off & 0x7f) / 4) * 32;
        if (acc->write)
            bits_write(bank, reg, first, lo, hi, (uint32_t)acc->value);
        else
            acc->value = bits_read(bank, reg, first, lo, hi);
        return true;
    }
    if (off >= REG_ICFGR && off < REG_ICFGR_END) {
        /* GICD_ICFGR<n>: two bits per INTID, bit [2i+1] set = edge-triggered.
         * SGIs are edge-triggered and read-only. */
        irqid_t first = ((off - REG_ICFGR) / 4) * 16;
        for (uint32_t i = 0; i < 16; i++) {
            irqid_t intid = first + i;
            struct vgic_irq_view w;
            if (!in_range(intid, lo, hi))
                continue;
            if (acc->write)
                vgic_irq_set_level(bank, intid, !((acc->value >> (2 * i + 1)) & 1));
            else if (vgic_irq_view(bank, intid, &w) && !w.level)
                acc->value |= 2ull << (2 * i);
        }
        return true;
    }
    return false;
}
