/* Sv39 / Sv39x4 PTE encodings (RISC-V priv. §4.4.1, §9.5). */
#include "pt_sv39.h"

#define PTE_RWX (PTE_R | PTE_W | PTE_X)

static uint64_t sv39_leaf(uint64_t out, uint64_t attrs, bool last_level)
{
    (void)last_level;
    return ((out >> PAGE_SHIFT) << PTE_PPN_SHIFT) | attrs | PTE_V;
}

static uint64_t sv39_table(uint64_t table_pa)
{
    return ((table_pa >> PAGE_SHIFT) << PTE_PPN_SHIFT) | PTE_V;
}

static uint64_t sv39_out_addr(uint64_t pte)
{
    return ((pte & PTE_PPN_MASK) >> PTE_PPN_SHIFT) << PAGE_SHIFT;
}

/* A valid PTE with R, W and X clear points to the next level (priv. §4.3.2 step 4). */
static bool sv39_is_table(uint64_t pte, bool last_level)
{
    return !last_level && (pte & PTE_V) && !(pte & PTE_RWX);
}

static bool sv39_is_leaf(uint64_t pte, bool last_level)
{
    (void)last_level;
    return (pte & PTE_V) && (pte & PTE_RWX);
}

/* R, W, X all clear would be a pointer; W without R is reserved (§4.3.1). */
static bool sv39_attrs_ok(uint64_t attrs)
{
    return (attrs & PTE_RWX) != 0 && !((attrs & PTE_W) && !(attrs & PTE_R));
}

/* Physical addresses are 56 bits wide (PPN[2] is 26 bits); a leaf keeps
 * flag bits 9:0 (RSW included) minus V, which is the builder's. Clearing a
 * live leaf flushes at once: RISC-V callers do no TLB maintenance of
 * their own. */
#define SV39_FORMAT(fmt_name, extra, bits)                  \
    {                                                       \
        .name = (fmt_name),                                 \
        .max_levels = PT_SV39_LEVELS,                       \
        .root_extra_bits = (extra),                         \
        .min_va_bits = (bits),                              \
        .max_va_bits = (bits),                              \
        .max_block_shift = 30,                              \
        .oa_limit = 1ull << 56,                             \
        .attr_mask = 0x3ffull & ~PTE_V,                     \
        .dry_run_leaf = PTE_V | PTE_R,                      \
        .page_step = 1ull << PTE_PPN_SHIFT,                 \
        .flush_on_unmap = true,                             \
        .leaf = sv39_leaf,                                  \
        .table = sv39_table,                                \
        .out_addr = sv39_out_addr,                          \
        .is_table = sv39_is_table,                          \
        .is_leaf = sv39_is_leaf,                            \
        .attrs_ok = sv39_attrs_ok,                          \
    }

const struct pt_format pt_sv39 = SV39_FORMAT("Sv39", 0, 39);
const struct pt_format pt_sv39x4 = SV39_FORMAT("Sv39x4", 2, 41);
