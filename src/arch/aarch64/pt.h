/* VMSAv8-64 translation tables, 4 KiB granule: one builder for Baohu's EL2 stage 1 and for stage 2. */
#ifndef BAOHU_AARCH64_PT_H
#define BAOHU_AARCH64_PT_H

#include "page_alloc.h"
#include "types.h"

/*
 * A table tree whose root is at `root` (one 4 KiB page) and whose walk
 * starts at `start_level` (0..3) for `va_bits` of input address.
 * Tables are 4 KiB pages taken from `pool` and zeroed; the hypervisor maps
 * RAM identically, so a table's physical address is also its pointer.
 * Leaf attribute bits (everything except the output address and bits[1:0])
 * are given by the caller, so the same code builds stage-1 (EL2) and
 * stage-2 descriptors (Arm ARM D8.3, "Translation table descriptor formats").
 */
struct pt {
    paddr_t root;
    unsigned start_level;
    unsigned va_bits;
    struct page_pool *pool;
};

bool pt_init(struct pt *pt, struct page_pool *pool, unsigned start_level, unsigned va_bits);
/* Map [in, in+size) to [out, out+size). in/out/size 4 KiB aligned. Uses 1 GiB /
 * 2 MiB blocks where in, out and the remaining size allow it (not at level 0),
 * splitting an existing block if a smaller mapping lands inside it.
 * False on misalignment, out of range, or no table memory. */
bool pt_map(struct pt *pt, uint64_t in, uint64_t out, uint64_t size, uint64_t leaf_attrs);
/* Remove mappings (splitting blocks as needed). */
bool pt_unmap(struct pt *pt, uint64_t in, uint64_t size);
/* Translate: true and *out / *attrs (leaf attribute bits) if `in` is mapped. */
bool pt_lookup(const struct pt *pt, uint64_t in, uint64_t *out, uint64_t *attrs);

/* Calls visit() for each leaf: used to audit a VM's mappings (colouring,
 * isolation self-check). Returns false as soon as visit does. */
struct pt_leaf {
    uint64_t in, out, size, attrs;
};
typedef bool (*pt_visit_fn)(const struct pt_leaf *leaf, void *ctx);
bool pt_walk(const struct pt *pt, pt_visit_fn visit, void *ctx);

/* Descriptor bits (Arm ARM D8.3). */
#define PTE_VALID (1ull << 0)
#define PTE_TABLE (1ull << 1) /* at levels 0-2: table; at level 3: page */
#define PTE_AF (1ull << 10)
#define PTE_SH_INNER (3ull << 8)
#define PTE_ADDR_MASK 0x0000fffffffff000ull
/* Stage 1 (EL2 regime: AP[1] is RES1, no nG) */
#define PTE_S1_ATTRIDX(i) ((uint64_t)(i) << 2)
#define PTE_S1_AP_RO (1ull << 7)
#define PTE_S1_XN (1ull << 54)
/* Stage 2 */
#define PTE_S2_MEMATTR(a) ((uint64_t)(a) << 2)
#define PTE_S2_MEMATTR_NORMAL_WB 0xf  /* Outer and Inner Write-Back Cacheable */
#define PTE_S2_MEMATTR_DEVICE_nGnRE 0x1
#define PTE_S2_S2AP_R (1ull << 6)
#define PTE_S2_S2AP_W (1ull << 7)
#define PTE_S2_XN (2ull << 53)

#endif
