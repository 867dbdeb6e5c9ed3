/* VMSAv8-64 translation tables, 4 KiB granule, levels 0-3: map, unmap, lookup, walk. */
#include "pt.h"
#include "pt_hooks.h"

/*
 * 4 KiB granule: each level resolves 9 bits of input address, a table is
 * one page of 512 8-byte descriptors; level 3 resolves bits [20:12],
 * level 0 bits [47:39] (Arm ARM D8.2, "Translation table walk").
 */
#define PT_ENTRIES 512u
#define PT_LEVEL_BITS 9u
/* PTE_ADDR_MASK holds OA[47:12]: 48-bit output addresses, no FEAT_LPA2. */
#define PT_OA_LIMIT (1ull << 48)

/* Descriptor bits[1:0] (Arm ARM D8.3). */
#define DESC_TYPE_MASK 3ull
#define DESC_BLOCK 1ull /* levels 1 and 2 */
#define DESC_TABLE 3ull /* levels 0 to 2 */
#define DESC_PAGE 3ull  /* level 3 */
#define LEAF_ATTR_MASK (~(PTE_ADDR_MASK | DESC_TYPE_MASK))

static unsigned level_shift(unsigned level)
{
    return PAGE_SHIFT + PT_LEVEL_BITS * (3 - level);
}

static uint64_t level_size(unsigned level)
{
    return 1ull << level_shift(level);
}

static size_t level_index(uint64_t in, unsigned level)
{
    return (size_t)((in >> level_shift(level)) & (PT_ENTRIES - 1));
}

/* Baohu maps RAM at VA == PA, so a table's address is its pointer. */
static uint64_t *table_ptr(uint64_t pa)
{
    return (uint64_t *)(uintptr_t)pa;
}

static uint64_t *desc_next_table(uint64_t desc)
{
    return table_ptr(desc & PTE_ADDR_MASK);
}

static bool desc_is_table(uint64_t desc, unsigned level)
{
    return level < 3 && (desc & DESC_TYPE_MASK) == DESC_TABLE;
}

/* With a 4 KiB granule and 48-bit OA there are no level-0 blocks, and
 * 0b01 at level 3 is reserved (Arm ARM D8.3): neither is a leaf. */
static bool level_has_blocks(unsigned level)
{
    return level == 1 || level == 2;
}

static bool desc_is_leaf(uint64_t desc, unsigned level)
{
    if (level == 3)
        return (desc & DESC_TYPE_MASK) == DESC_PAGE;
    return level_has_blocks(level) && (desc & DESC_TYPE_MASK) == DESC_BLOCK;
}

static uint64_t leaf_desc(uint64_t out, uint64_t attrs, unsigned level)
{
    return (out & PTE_ADDR_MASK) | (attrs & LEAF_ATTR_MASK) | (level == 3 ? DESC_PAGE : DESC_BLOCK);
}

/* One 64-bit store the compiler may neither split nor drop: a walker on
 * another CPU may read the entry at any time (single-copy atomicity,
 * Arm ARM B2.2.1). */
static void desc_write(uint64_t *entry, uint64_t desc)
{
    *(volatile uint64_t *)entry = desc;
}

/*
 * A fresh table for the entry `desc` at `level`: empty, or when `desc` is a
 * block, 512 next-level leaves mapping exactly what the block mapped, with
 * its attributes, so splitting changes no translation.
 * Written through volatile: GCC would otherwise turn the zeroing loop into
 * a memset call, which a freestanding hypervisor cannot link.
 */
static bool table_new(struct page_pool *pool, uint64_t desc, unsigned level, uint64_t **out)
{
    volatile uint64_t *v;
    paddr_t pa;

    if (!page_alloc(pool, 1, 1, &pa))
        return false;
    *out = table_ptr(pa_addr(pa));
    v = *out;
    if (desc_is_leaf(desc, level)) {
        uint64_t oa = desc & PTE_ADDR_MASK;
        uint64_t attrs = desc & LEAF_ATTR_MASK;
        uint64_t step = level_size(level + 1);

        for (size_t i = 0; i < PT_ENTRIES; i++)
            v[i] = leaf_desc(oa + i * step, attrs, level + 1);
    } else {
        for (size_t i = 0; i < PT_ENTRIES; i++)
            v[i] = 0;
    }
    return true;
}

/* Give back a table and every table below it. */
static void table_free(struct page_pool *pool, uint64_t *table, unsigned level)
{
    for (size_t i = 0; i < PT_ENTRIES; i++) {
        if (desc_is_table(table[i], level))
            table_free(pool, desc_next_table(table[i]), level + 1);
    }
    page_free(pool, pa_init((uint64_t)(uintptr_t)table), 1);
}

/*
 * Where a table stands, which decides what writing into it takes:
 * a live table can be read by walkers at any time; a private one was just
 * allocated and is not linked in yet, so it is filled with plain stores and
 * then published at once. The two virtual ones exist only in the dry run:
 * tables not allocated yet, whose entries would be all invalid (new) or all
 * valid leaves (a split block).
 */
enum pt_table_state {
    PT_LIVE,
    PT_PRIVATE,
    PT_VIRT_EMPTY,
    PT_VIRT_LEAVES,
};

/*
 * Replace the entry covering [in, in + size) at `level` by `desc`.
 * In a live table, a valid entry replaced by another valid one (block <->
 * table, or a leaf with a different output or attributes) goes through
 * break-before-make: invalid first, TLBs cleaned, then the new entry (Arm
 * ARM D8.16.1). A table being dropped is also cleaned out of the walk
 * caches before its pages go back to the pool. Plain invalidation of a
 * leaf needs nothing here: the caller does its DSB + TLBI after the update.
 */
static void entry_replace(const struct pt *pt, enum pt_table_state state, uint64_t *entry,
                          unsigned level, uint64_t desc, uint64_t in, uint64_t size)
{
    /* entry is NULL only in the dry run's virtual tables, which never get here (op_range calls
     * this only when not a dry run); the analyzer loses op->dry_run across the recursion. */
    uint64_t old = *entry; /* NOLINT(clang-analyzer-core.NullDereference) */

    if (old == desc)
        return;
    if (state == PT_LIVE && (old & PTE_VALID) && ((desc & PTE_VALID) || desc_is_table(old, level))) {
        desc_write(entry, 0);
        pt_arch_invalidate(pt, in, size);
    }
    desc_write(entry, desc);
    if (desc_is_table(old, level))
        table_free(pt->pool, desc_next_table(old), level + 1);
}

/*
 * One map or unmap. It runs twice: a dry run that only counts the tables
 * the update will need, so that running out of table memory is reported
 * before anything changed, then the real run.
 */
struct pt_op {
    struct pt *pt;
    bool map;       /* false: unmap */
    uint64_t attrs; /* map only */
    bool dry_run;
    size_t tables;  /* dry run: tables that would be allocated */
};

/* Apply `op` to [in, in + size) -> [out, ...) within `table` at `level`
 * (`table` is NULL when `state` is virtual). */
static bool op_range(struct pt_op *op, unsigned level, uint64_t *table, enum pt_table_state state,
                     uint64_t in, uint64_t out, uint64_t size)
{
    uint64_t esize = level_size(level);
    bool virt = state == PT_VIRT_EMPTY || state == PT_VIRT_LEAVES;

    while (size != 0) {
        uint64_t base = in & ~(esize - 1);
        uint64_t chunk = esize - (in - base);
        uint64_t *entry = virt ? NULL : &table[level_index(in, level)];
        uint64_t desc = !virt ? *entry : state == PT_VIRT_LEAVES ? PTE_VALID : 0;
        uint64_t *child;

        if (chunk > size)
            chunk = size;

        if (chunk == esize &&
            (!op->map || level == 3 || (level_has_blocks(level) && IS_ALIGNED(out, esize)))) {
            /* The range covers the whole entry: one leaf, or nothing. */
            if (!op->dry_run)
                entry_replace(op->pt, state, entry, level,
                              op->map ? leaf_desc(out, op->attrs, level) : 0, base, esize);
        } else if (desc_is_table(desc, level)) {
            if (!op_range(op, level + 1, desc_next_table(desc), state, in, out, chunk))
                return false;
        } else if (!op->map && !(desc & PTE_VALID)) {
            /* Unmapping what is not mapped: nothing to split. */
        } else if (op->dry_run) {
            op->tables++;
            op_range(op, level + 1, NULL, (desc & PTE_VALID) ? PT_VIRT_LEAVES : PT_VIRT_EMPTY, in, out,
                     chunk);
        } else {
            /* Build the new (or split) table completely, then link it:
             * walkers see the old entry or the finished table, never a
             * half-updated one, and a split costs one TLB invalidation. */
            if (!table_new(op->pt->pool, desc, level, &child))
                return false;
            if (!op_range(op, level + 1, child, PT_PRIVATE, in, out, chunk)) {
                table_free(op->pt->pool, child, level + 1);
                return false;
            }
            entry_replace(op->pt, state, entry, level, (uint64_t)(uintptr_t)child | DESC_TABLE, base,
                          esize);
        }
        in += chunk;
        out += chunk;
        size -= chunk;
    }
    return true;
}

static bool op_run(struct pt *pt, bool map, uint64_t attrs, uint64_t in, uint64_t out, uint64_t size)
{
    uint64_t *root = table_ptr(pa_addr(pt->root));
    struct pt_op op;

    /* Field by field: an aggregate initializer may become a memset call. */
    op.pt = pt;
    op.map = map;
    op.attrs = attrs & LEAF_ATTR_MASK;
    op.dry_run = true;
    op.tables = 0;
    op_range(&op, pt->start_level, root, PT_LIVE, in, out, size);
    /* Single-page allocations succeed while any page is free. */
    if (op.tables > pt->pool->free_count)
        return false;
    op.dry_run = false;
    return op_range(&op, pt->start_level, root, PT_LIVE, in, out, size);
}

/* [in, in + size) is non-empty, page aligned and inside the input range. */
static bool in_range_ok(const struct pt *pt, uint64_t in, uint64_t size)
{
    uint64_t limit = 1ull << pt->va_bits;

    return size != 0 && IS_ALIGNED(in | size, PAGE_SIZE) && in < limit && size <= limit - in;
}

bool pt_init(struct pt *pt, struct page_pool *pool, unsigned start_level, unsigned va_bits)
{
    uint64_t *root;

    /* The start level resolves between 1 and 9 bits; more would need
     * concatenated root tables (Arm ARM D8.2), which one root page
     * cannot hold. */
    if (start_level > 3 || va_bits <= level_shift(start_level) ||
        va_bits > level_shift(start_level) + PT_LEVEL_BITS)
        return false;
    if (!table_new(pool, 0, start_level, &root))
        return false;
    pt->root = pa_init((uint64_t)(uintptr_t)root);
    pt->start_level = start_level;
    pt->va_bits = va_bits;
    pt->pool = pool;
    return true;
}

bool pt_map(struct pt *pt, uint64_t in, uint64_t out, uint64_t size, uint64_t leaf_attrs)
{
    if (!in_range_ok(pt, in, size) || !IS_ALIGNED(out, PAGE_SIZE) || out >= PT_OA_LIMIT ||
        size > PT_OA_LIMIT - out)
        return false;
    return op_run(pt, true, leaf_attrs, in, out, size);
}

bool pt_unmap(struct pt *pt, uint64_t in, uint64_t size)
{
    if (!in_range_ok(pt, in, size))
        return false;
    return op_run(pt, false, 0, in, 0, size);
}

bool pt_lookup(const struct pt *pt, uint64_t in, uint64_t *out, uint64_t *attrs)
{
    const uint64_t *table = table_ptr(pa_addr(pt->root));

    if (in >= 1ull << pt->va_bits)
        return false;
    for (unsigned level = pt->start_level; level <= 3; level++) {
        uint64_t desc = table[level_index(in, level)];
        uint64_t offset_mask = level_size(level) - 1;

        if (desc_is_table(desc, level)) {
            table = desc_next_table(desc);
            continue;
        }
        if (!desc_is_leaf(desc, level))
            return false;
        if (out)
            *out = (desc & PTE_ADDR_MASK & ~offset_mask) | (in & offset_mask);
        if (attrs)
            *attrs = desc & LEAF_ATTR_MASK;
        return true;
    }
    return false;
}

static bool walk_table(const uint64_t *table, unsigned level, uint64_t in_base, pt_visit_fn visit,
                       void *ctx)
{
    uint64_t esize = level_size(level);

    for (size_t i = 0; i < PT_ENTRIES; i++) {
        uint64_t desc = table[i];
        uint64_t in = in_base + i * esize;

        if (desc_is_table(desc, level)) {
            if (!walk_table(desc_next_table(desc), level + 1, in, visit, ctx))
                return false;
        } else if (desc_is_leaf(desc, level)) {
            struct pt_leaf leaf;

            leaf.in = in;
            leaf.out = desc & PTE_ADDR_MASK;
            leaf.size = esize;
            leaf.attrs = desc & LEAF_ATTR_MASK;
            if (!visit(&leaf, ctx))
                return false;
        }
    }
    return true;
}

bool pt_walk(const struct pt *pt, pt_visit_fn visit, void *ctx)
{
    return walk_table(table_ptr(pa_addr(pt->root)), pt->start_level, 0, visit, ctx);
}
