/* Sv39 / Sv39x4 page tables: map, unmap, lookup and walk, with superpages (RISC-V priv. §4.4, §9.5). */
#include "pt.h"

#define PT_ENTRIES 512u
#define PT_LEVEL_BITS 9u
#define PT_LEVELS 3u /* depth 0 = root (1 GiB entries) .. depth 2 = 4 KiB pages */
/* Sv39 physical addresses are 56 bits wide (PPN[2] is 26 bits). */
#define PT_OA_LIMIT (1ull << 56)
#define PTE_RWX (PTE_R | PTE_W | PTE_X)
/* Flag bits a leaf keeps: bits 9:0 (RSW included) minus V, which is ours. */
#define LEAF_ATTR_MASK (0x3ffull & ~PTE_V)

static unsigned depth_shift(unsigned depth)
{
    return PAGE_SHIFT + PT_LEVEL_BITS * (PT_LEVELS - 1 - depth);
}

static uint64_t depth_size(unsigned depth)
{
    return 1ull << depth_shift(depth);
}

/* The root may be wider than 512 entries (Sv39x4: 2048). */
static size_t entries_at(const struct pt *pt, unsigned depth)
{
    return depth == 0 ? (size_t)1 << (pt->va_bits - depth_shift(0)) : PT_ENTRIES;
}

static size_t depth_index(const struct pt *pt, uint64_t in, unsigned depth)
{
    return (size_t)((in >> depth_shift(depth)) & (entries_at(pt, depth) - 1));
}

static uint64_t *table_ptr(uint64_t pa)
{
    return (uint64_t *)(uintptr_t)pa;
}

static uint64_t pte_addr(uint64_t pte)
{
    return ((pte & PTE_PPN_MASK) >> PTE_PPN_SHIFT) << PAGE_SHIFT;
}

/* A valid PTE with R, W and X clear points to the next level (priv. §4.3.2 step 4). */
static bool pte_is_table(uint64_t pte, unsigned depth)
{
    return depth < PT_LEVELS - 1 && (pte & PTE_V) && !(pte & PTE_RWX);
}

static bool pte_is_leaf(uint64_t pte)
{
    return (pte & PTE_V) && (pte & PTE_RWX);
}

static uint64_t leaf_pte(uint64_t out, uint64_t attrs)
{
    return ((out >> PAGE_SHIFT) << PTE_PPN_SHIFT) | (attrs & LEAF_ATTR_MASK) | PTE_V;
}

static uint64_t table_pte(const uint64_t *table)
{
    return (((uint64_t)(uintptr_t)table >> PAGE_SHIFT) << PTE_PPN_SHIFT) | PTE_V;
}

/* One 64-bit store: a hardware walker may read the entry at any time. */
static void pte_write(uint64_t *entry, uint64_t pte)
{
    *(volatile uint64_t *)entry = pte;
}

/*
 * A fresh next-level table for `pte` at `depth`: empty, or when `pte` is a
 * superpage, 512 leaves mapping exactly what it mapped, so a split changes
 * no translation. Volatile stores keep the compiler from emitting memset.
 */
static bool table_new(struct page_pool *pool, uint64_t pte, unsigned depth, uint64_t **out)
{
    volatile uint64_t *v;
    paddr_t pa;

    if (!page_alloc(pool, 1, 1, &pa))
        return false;
    *out = table_ptr(pa_addr(pa));
    v = *out;
    for (size_t i = 0; i < PT_ENTRIES; i++)
        v[i] = pte_is_leaf(pte) ? leaf_pte(pte_addr(pte) + i * depth_size(depth + 1), pte) : 0;
    return true;
}

static void table_free(struct page_pool *pool, uint64_t *table, unsigned depth)
{
    for (size_t i = 0; i < PT_ENTRIES; i++) {
        if (pte_is_table(table[i], depth))
            table_free(pool, table_ptr(pte_addr(table[i])), depth + 1);
    }
    page_free(pool, pa_init((uint64_t)(uintptr_t)table), 1);
}

/* Live tables are seen by walkers; private ones are not linked in yet;
 * the virtual ones exist only during the dry run. */
enum pt_table_state {
    PT_LIVE,
    PT_PRIVATE,
    PT_VIRT_EMPTY,
    PT_VIRT_LEAVES,
};

/* Replace a live valid entry by clearing it and flushing first, so no TLB
 * holds the old and the new translation at once; a dropped table is also
 * out of every walk cache before its page is reused. */
static void entry_replace(const struct pt *pt, enum pt_table_state state, uint64_t *entry,
                          unsigned depth, uint64_t pte, uint64_t in, uint64_t size)
{
    /* entry is NULL only in the dry run's virtual tables, which never get here (op_range calls
     * this only when not a dry run); the analyzer loses op->dry_run across the recursion. */
    uint64_t old = *entry; /* NOLINT(clang-analyzer-core.NullDereference) */

    if (old == pte)
        return;
    if (state == PT_LIVE && (old & PTE_V)) {
        pte_write(entry, 0);
        pt_arch_invalidate(pt, in, size);
    }
    pte_write(entry, pte);
    if (pte_is_table(old, depth))
        table_free(pt->pool, table_ptr(pte_addr(old)), depth + 1);
}

struct pt_op {
    struct pt *pt;
    bool map;
    uint64_t attrs;
    bool dry_run;
    size_t tables; /* dry run: tables that would be allocated */
};

static bool op_range(struct pt_op *op, unsigned depth, uint64_t *table, enum pt_table_state state,
                     uint64_t in, uint64_t out, uint64_t size)
{
    uint64_t esize = depth_size(depth);
    bool virt = state == PT_VIRT_EMPTY || state == PT_VIRT_LEAVES;

    while (size != 0) {
        uint64_t base = in & ~(esize - 1);
        uint64_t chunk = esize - (in - base);
        uint64_t *entry = virt ? NULL : &table[depth_index(op->pt, in, depth)];
        uint64_t pte = !virt ? *entry : state == PT_VIRT_LEAVES ? (PTE_V | PTE_R) : 0;
        uint64_t *child;

        if (chunk > size)
            chunk = size;
        if (chunk == esize && (!op->map || IS_ALIGNED(out, esize))) {
            /* The whole entry: one leaf (a superpage above depth 2) or nothing. */
            if (!op->dry_run)
                entry_replace(op->pt, state, entry, depth, op->map ? leaf_pte(out, op->attrs) : 0,
                              base, esize);
        } else if (pte_is_table(pte, depth)) {
            if (!op_range(op, depth + 1, table_ptr(pte_addr(pte)), state, in, out, chunk))
                return false;
        } else if (!op->map && !(pte & PTE_V)) {
            /* Nothing mapped here: nothing to split. */
        } else if (op->dry_run) {
            op->tables++;
            op_range(op, depth + 1, NULL, (pte & PTE_V) ? PT_VIRT_LEAVES : PT_VIRT_EMPTY, in, out,
                     chunk);
        } else {
            /* Build the new or split table completely, then link it. */
            if (!table_new(op->pt->pool, pte, depth, &child))
                return false;
            if (!op_range(op, depth + 1, child, PT_PRIVATE, in, out, chunk)) {
                table_free(op->pt->pool, child, depth + 1);
                return false;
            }
            entry_replace(op->pt, state, entry, depth, table_pte(child), base, esize);
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

    op.pt = pt;
    op.map = map;
    op.attrs = attrs;
    op.dry_run = true;
    op.tables = 0;
    op_range(&op, 0, root, PT_LIVE, in, out, size);
    if (op.tables > pt->pool->free_count)
        return false;
    op.dry_run = false;
    return op_range(&op, 0, root, PT_LIVE, in, out, size);
}

static bool in_range_ok(const struct pt *pt, uint64_t in, uint64_t size)
{
    uint64_t limit = 1ull << pt->va_bits;

    return size != 0 && IS_ALIGNED(in | size, PAGE_SIZE) && in < limit && size <= limit - in;
}

bool pt_init(struct pt *pt, struct page_pool *pool, unsigned va_bits)
{
    size_t pages;
    paddr_t pa;
    volatile uint64_t *v;

    if (va_bits != 39 && va_bits != 41)
        return false;
    pages = (size_t)1 << (va_bits - 39);
    /* Sv39x4: the 16 KiB root must be 16 KiB aligned (priv. §9.2.10). */
    if (!page_alloc(pool, pages, pages, &pa))
        return false;
    v = table_ptr(pa_addr(pa));
    for (size_t i = 0; i < pages * PT_ENTRIES; i++)
        v[i] = 0;
    pt->root = pa;
    pt->va_bits = va_bits;
    pt->pool = pool;
    return true;
}

bool pt_map(struct pt *pt, uint64_t in, uint64_t out, uint64_t size, uint64_t leaf_attrs)
{
    /* R, W, X all clear would be a pointer; W without R is reserved (§4.3.1). */
    if (!(leaf_attrs & PTE_RWX) || ((leaf_attrs & PTE_W) && !(leaf_attrs & PTE_R)))
        return false;
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
    for (unsigned depth = 0; depth < PT_LEVELS; depth++) {
        uint64_t pte = table[depth_index(pt, in, depth)];
        uint64_t offset_mask = depth_size(depth) - 1;

        if (pte_is_table(pte, depth)) {
            table = table_ptr(pte_addr(pte));
            continue;
        }
        if (!pte_is_leaf(pte))
            return false;
        if (out)
            *out = (pte_addr(pte) & ~offset_mask) | (in & offset_mask);
        if (attrs)
            *attrs = pte & LEAF_ATTR_MASK;
        return true;
    }
    return false;
}

static bool walk_table(const struct pt *pt, const uint64_t *table, unsigned depth, uint64_t in_base,
                       pt_visit_fn visit, void *ctx)
{
    uint64_t esize = depth_size(depth);

    for (size_t i = 0; i < entries_at(pt, depth); i++) {
        uint64_t pte = table[i];
        uint64_t in = in_base + i * esize;

        if (pte_is_table(pte, depth)) {
            if (!walk_table(pt, table_ptr(pte_addr(pte)), depth + 1, in, visit, ctx))
                return false;
        } else if (pte_is_leaf(pte)) {
            struct pt_leaf leaf;

            leaf.in = in;
            leaf.out = pte_addr(pte);
            leaf.size = esize;
            leaf.attrs = pte & LEAF_ATTR_MASK;
            if (!visit(&leaf, ctx))
                return false;
        }
    }
    return true;
}

bool pt_walk(const struct pt *pt, pt_visit_fn visit, void *ctx)
{
    return walk_table(pt, table_ptr(pa_addr(pt->root)), 0, 0, visit, ctx);
}
