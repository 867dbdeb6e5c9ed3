/* One translation-table builder for every table Baohu writes: its own
 * EL2 / HS-mode tables, each VM's stage 2 / G-stage, the SMMU's tables. */
#ifndef BAOHU_PT_H
#define BAOHU_PT_H

#include "page_alloc.h"
#include "types.h"

/*
 * What differs between descriptor formats: how a leaf, a table pointer and
 * an output address are encoded, and which sizes may be blocks. Every format
 * here uses a 4 KiB granule with 512 8-byte entries per table, so each level
 * resolves 9 bits of input address, and keeps the valid bit in bit 0
 * (VMSAv8-64: Arm ARM D8.3; Sv39: RISC-V priv. §4.4.1). The root may be
 * wider than one table (Arm stage-2 concatenated roots, Arm ARM D8.2.6;
 * Sv39x4's 2048-entry root, priv. §9.5.1).
 */
struct pt_format {
    const char *name;
    unsigned max_levels;      /* deepest tree the format walks */
    unsigned root_extra_bits; /* input bits the root resolves beyond 9 */
    unsigned min_va_bits, max_va_bits; /* input sizes the format translates */
    unsigned max_block_shift; /* largest block / superpage: 1 GiB */
    uint64_t oa_limit;        /* first output address it cannot encode */
    uint64_t attr_mask;       /* the caller's leaf bits the format keeps */
    uint64_t dry_run_leaf;    /* any valid leaf above the last level */
    uint64_t page_step;       /* leaf(out + 4 KiB) - leaf(out) at the last level */
    /* Clearing a valid leaf invalidates its TLB entries right away (else
     * the caller does it after the whole update). */
    bool flush_on_unmap;
    uint64_t (*leaf)(uint64_t out, uint64_t attrs, bool last_level);
    uint64_t (*table)(uint64_t table_pa);
    uint64_t (*out_addr)(uint64_t desc);
    bool (*is_table)(uint64_t desc, bool last_level);
    bool (*is_leaf)(uint64_t desc, bool last_level);
    /* Leaf bits a mapping may not have (NULL: all allowed). */
    bool (*attrs_ok)(uint64_t attrs);
};

/*
 * A tree of `levels` levels whose root is at `root`, translating `va_bits`
 * of input address. Tables are pages of `pool`, zeroed when taken; Baohu
 * maps its page pool at VA == PA, so a table's address is its pointer.
 */
struct pt {
    paddr_t root;
    const struct pt_format *fmt;
    unsigned levels;
    unsigned va_bits;
    struct page_pool *pool;
};

bool pt_init(struct pt *pt, struct page_pool *pool, const struct pt_format *fmt, unsigned levels,
             unsigned va_bits);
/* Map [in, in+size) to [out, out+size), all 4 KiB aligned. Blocks where in,
 * out and the remaining size allow, splitting an existing block when a
 * smaller mapping lands inside it. False on misalignment, out of range,
 * bad attributes or no table memory; then nothing changed. */
bool pt_map(struct pt *pt, uint64_t in, uint64_t out, uint64_t size, uint64_t leaf_attrs);
/* Remove mappings (splitting blocks as needed). */
bool pt_unmap(struct pt *pt, uint64_t in, uint64_t size);
/* Translate: true and *out / *attrs (leaf attribute bits) if `in` is mapped. */
bool pt_lookup(const struct pt *pt, uint64_t in, uint64_t *out, uint64_t *attrs);

/* Calls visit() for each leaf in address order: audits of a VM's mappings
 * (colouring, isolation self-checks). Stops as soon as visit() says false. */
struct pt_leaf {
    uint64_t in, out, size, attrs;
    unsigned count; /* leaves it stands for: 1, or a run's (pt_walk_runs) */
};
typedef bool (*pt_visit_fn)(const struct pt_leaf *leaf, void *ctx);
bool pt_walk(const struct pt *pt, pt_visit_fn visit, void *ctx);
/* The same for the leaves that overlap [in, in + size) only. */
bool pt_walk_range(const struct pt *pt, uint64_t in, uint64_t size, pt_visit_fn visit, void *ctx);
/* The same, with each run of leaves that continue each other (input and
 * output consecutive, same attributes) handed to visit() as one: a summary
 * of a whole tree (the boot self-check) at a compare per page. */
bool pt_walk_runs(const struct pt *pt, pt_visit_fn visit, void *ctx);

/*
 * Windows onto pages another tree maps (Baohu's view of a coloured VM's
 * RAM, one last-level table at a time). `run` is told each physically
 * contiguous run of output pages in input order.
 */
typedef bool (*pt_run_fn)(uint64_t in, uint64_t out, uint64_t size, void *ctx);
/* A last-level table exists for `in`, so pt_map_mirror can write there. */
bool pt_prepare_last_table(struct pt *pt, uint64_t in);
/* Map [in, in + size) of `pt`, page by page, to the pages `src` maps at
 * [src_in, src_in + size): each range inside one last-level table, the
 * entries of `pt` there invalid, every page of `src` a page leaf. False,
 * with `pt` unchanged, otherwise or when run() says false. */
bool pt_map_mirror(struct pt *pt, uint64_t in, const struct pt *src, uint64_t src_in, uint64_t size,
                   uint64_t leaf_attrs, pt_run_fn run, void *ctx);
/* Hands out the next run of output pages, of at most `max` bytes: false
 * when there is none. */
typedef bool (*pt_next_run_fn)(uint64_t max, uint64_t *out, uint64_t *size, void *ctx);
/* Map [in, in + size), inside one last-level table whose entries there are
 * invalid (a tree being built), page by page to the runs next() hands out,
 * in order. False when next() ran dry, a table could not be taken or an
 * entry was in use; the entries written so far stay (the caller drops the
 * tree). */
bool pt_map_runs(struct pt *pt, uint64_t in, uint64_t size, uint64_t leaf_attrs,
                 pt_next_run_fn next, void *ctx);
/* Clear what pt_map_mirror mapped, keeping the table; the caller does the
 * TLB maintenance (one invalidation for the whole window). */
void pt_clear_mirror(struct pt *pt, uint64_t in, uint64_t size);

/*
 * Implemented by the architecture (unit tests provide a host stub). Called
 * right after pt.c wrote 0 to a valid entry of a live table covering
 * [in, in + size), before it writes the replacement or frees the tables
 * that were reachable through it: the invalid entry must become visible to
 * the walkers and every TLB / walk-cache entry for the range must go (the
 * "break" of break-before-make, Arm ARM D8.16.1; SFENCE.VMA / HFENCE.GVMA,
 * priv. §4.2.1, §9.3.2).
 */
void pt_arch_invalidate(const struct pt *pt, uint64_t in, uint64_t size);

#endif
