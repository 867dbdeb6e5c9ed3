/* VMSAv8-64 descriptor encodings, 4 KiB granule, 48-bit output addresses (Arm ARM D8.3). */
#include "pt_vmsa.h"

/* Descriptor bits[1:0]: 0b11 is a table at levels 0-2 and a page at level
 * 3; 0b01 is a block at levels 1-2 and reserved at level 3. */
#define DESC_TYPE_MASK 3ull
#define DESC_BLOCK 1ull
#define DESC_TABLE 3ull
#define DESC_PAGE 3ull

static uint64_t vmsa_leaf(uint64_t out, uint64_t attrs, bool last_level)
{
    return (out & PTE_ADDR_MASK) | attrs | (last_level ? DESC_PAGE : DESC_BLOCK);
}

static uint64_t vmsa_table(uint64_t table_pa)
{
    return (table_pa & PTE_ADDR_MASK) | DESC_TABLE;
}

static uint64_t vmsa_out_addr(uint64_t desc)
{
    return desc & PTE_ADDR_MASK;
}

static bool vmsa_is_table(uint64_t desc, bool last_level)
{
    return !last_level && (desc & DESC_TYPE_MASK) == DESC_TABLE;
}

static bool vmsa_is_leaf(uint64_t desc, bool last_level)
{
    return (desc & DESC_TYPE_MASK) == (last_level ? DESC_PAGE : DESC_BLOCK);
}

/* With a 4 KiB granule and no FEAT_LPA2, level 0 has no blocks and the
 * largest block is 1 GiB at level 1; PTE_ADDR_MASK holds OA[47:12], and
 * input addresses are at most 48 bits too (Arm ARM D8.1.9). */
#define VMSA_FORMAT(fmt_name, extra)                        \
    {                                                       \
        .name = (fmt_name),                                 \
        .max_levels = 4,                                    \
        .root_extra_bits = (extra),                         \
        .min_va_bits = 1,                                   \
        .max_va_bits = 48,                                  \
        .max_block_shift = 30,                              \
        .oa_limit = 1ull << 48,                             \
        .attr_mask = ~(PTE_ADDR_MASK | DESC_TYPE_MASK),     \
        .dry_run_leaf = PTE_VALID,                          \
        .page_step = PAGE_SIZE,                             \
        .flush_on_unmap = false,                            \
        .leaf = vmsa_leaf,                                  \
        .table = vmsa_table,                                \
        .out_addr = vmsa_out_addr,                          \
        .is_table = vmsa_is_table,                          \
        .is_leaf = vmsa_is_leaf,                            \
        .attrs_ok = NULL,                                   \
    }

const struct pt_format pt_vmsa_s1 = VMSA_FORMAT("VMSAv8-64 stage 1", 0);
const struct pt_format pt_vmsa_s2 = VMSA_FORMAT("VMSAv8-64 stage 2", 4);
