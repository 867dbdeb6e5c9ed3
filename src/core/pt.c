/* Translation tables of any format in pt.h: map, unmap, lookup, walk, with blocks and splits. */
#include "pt.h"

#define PT_ENTRIES 512u
#define PT_LEVEL_BITS 9u
#define PT_DESC_VALID 1ull /* bit 0 in every supported format */

/* Levels are counted from the root (depth 0); the last level maps pages. */
static unsigned depth_shift(const struct pt *pt, unsigned depth)
{
    return PAGE_SHIFT + PT_LEVEL_BITS * (pt->levels - 1 - depth);
}

static uint64_t depth_size(const struct pt *pt, unsigned depth)
{
    return 1ull << depth_shift(pt, depth);
}

static bool depth_is_last(const struct pt *pt, unsigned depth)
{
    return depth == pt->levels - 1;
}

static size_t entries_at(const struct pt *pt, unsigned depth)
{
    return depth == 0 ? (size_t)1 << (pt->va_bits - depth_shift(pt, 0)) : PT_ENTRIES;
}

static size_t depth_index(const struct pt *pt, uint64_t in, unsigned depth)
{
    return (size_t)((in >> depth_shift(pt, depth)) & (entries_at(pt, depth) - 1));
}

static uint64_t *table_ptr(uint64_t pa)
{
    return (uint64_t *)(uintptr_t)pa;
}

static bool desc_valid(uint64_t desc)
{
    return (desc & PT_DESC_VALID) != 0;
}

static bool desc_is_table(const struct pt *pt, uint64_t desc, unsigned depth)
{
    return pt->fmt->is_table(desc, depth_is_last(pt, depth));
}

static bool depth_has_blocks(const struct pt *pt, unsigned depth)
{
    return !depth_is_last(pt, depth) && depth_shift(pt, depth) <= pt->fmt->max_block_shift;
}

/* Encodings the format calls leaves but that are not at this depth (a
 * VMSAv8-64 level-0 "block", Arm ARM D8.3) are not leaves either. */
static bool desc_is_leaf(const struct pt *pt, uint64_t desc, unsigned depth)
{
    return (depth_is_last(pt, depth) || depth_has_blocks(pt, depth)) &&
           pt->fmt->is_leaf(desc, depth_is_last(pt, depth));
}

static uint64_t *desc_next_table(const struct pt *pt, uint64_t desc)
{
    return table_ptr(pt->fmt->out_addr(desc));
}

static uint64_t leaf_desc(const struct pt *pt, uint64_t out, uint64_t attrs, unsigned depth)
{
    return pt->fmt->leaf(out, attrs & pt->fmt->attr_mask, depth_is_last(pt, depth));
}

/* One 64-bit store the compiler may neither split nor drop: a walker on
 * another CPU may read the entry at any time (single-copy atomicity,
 * Arm ARM B2.2.1; RISC-V priv. §4.3.2 reads PTEs with aligned loads). */
static void desc_write(uint64_t *entry, uint64_t desc)
{
    *(volatile uint64_t *)entry = desc;
}

/*
 * A fresh table below the entry `desc` at `depth`: empty, or when `desc` is
 * a block, 512 next-level leaves mapping exactly what the block mapped with
 * its attributes, so a split changes no translation. Volatile stores: the
 * compiler would otherwise emit a memset call, which Baohu cannot link.
 */
static bool table_new(const struct pt *pt, uint64_t desc, unsigned depth, uint64_t **out)
{
    volatile uint64_t *v;
    paddr_t pa;

    if (!page_alloc(pt->pool, 1, 1, &pa))
        return false;
    *out = table_ptr(pa_addr(pa));
    v = *out;
    if (desc_is_leaf(pt, desc, depth)) {
        uint64_t oa = pt->fmt->out_addr(desc);
        uint64_t attrs = desc & pt->fmt->attr_mask;
        uint64_t step = depth_size(pt, depth + 1);

        for (size_t i = 0; i < PT_ENTRIES; i++)
            v[i] = leaf_desc(pt, oa + i * step, attrs, depth + 1);
    } else {
        for (size_t i = 0; i < PT_ENTRIES; i++)
            v[i] = 0;
    }
    return true;
}

/* Give back a table and every table below it. */
static void table_free(const struct pt *pt, uint64_t *table, unsigned depth)
{
    for (size_t i = 0; i < PT_ENTRIES; i++) {
        if (desc_is_table(pt, table[i], depth))
            table_free(pt, desc_next_table(pt, table[i]), depth + 1);
    }
    page_free(pt->pool, pa_init((uint64_t)(uintptr_t)table), 1);
}

/*
 * Where a table stands, which decides what writing into it takes: a live
 * table can be read by walkers at any time; a private one was just
 * allocated and is not linked in yet, so it is filled with plain stores and
 * then published at once. The virtual ones exist only in the dry run:
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
 * Replace the entry covering [in, in + size) at `depth` by `desc`. In a live
 * table a valid entry replaced by another valid one (block <-> table, or a
 * leaf with another output or attributes) goes through break-before-make:
 * invalid first, TLBs cleaned, then the new entry (Arm ARM D8.16.1). A table
 * being dropped is also out of the walk caches before its pages go back to
 * the pool. A leaf merely cleared is flushed here only where the format
 * asks; otherwise the caller does its TLB maintenance after the update.
 */
static void entry_replace(const struct pt *pt, enum pt_table_state state, uint64_t *entry,
                          unsigned depth, uint64_t desc, uint64_t in, uint64_t size)
{
    /* `entry` is NULL only in the dry run, which never calls this. */
    uint64_t old = *entry; /* NOLINT(clang-analyzer-core.NullDereference) */
    bool old_table = desc_is_table(pt, old, depth);

    if (old == desc)
        return;
    if (state == PT_LIVE && desc_valid(old) &&
        (desc_valid(desc) || old_table || pt->fmt->flush_on_unmap)) {
        desc_write(entry, 0);
        pt_arch_invalidate(pt, in, size);
    }
    desc_write(entry, desc);
    if (old_table)
        table_free(pt, desc_next_table(pt, old), depth + 1);
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

/* Apply `op` to [in, in + size) -> [out, ...) within `table` at `depth`
 * (`table` is NULL when `state` is virtual). */
static bool op_range(struct pt_op *op, unsigned depth, uint64_t *table, enum pt_table_state state,
                     uint64_t in, uint64_t out, uint64_t size)
{
    const struct pt *pt = op->pt;
    uint64_t esize = depth_size(pt, depth);
    bool virt = state == PT_VIRT_EMPTY || state == PT_VIRT_LEAVES;

    while (size != 0) {
        uint64_t base = in & ~(esize - 1);
        uint64_t chunk = esize - (in - base);
        uint64_t *entry = virt ? NULL : &table[depth_index(pt, in, depth)];
        uint64_t desc = !virt ? *entry : state == PT_VIRT_LEAVES ? pt->fmt->dry_run_leaf : 0;
        uint64_t *child;

        if (chunk > size)
            chunk = size;

        if (chunk == esize && (!op->map || depth_is_last(pt, depth) ||
                               (depth_has_blocks(pt, depth) && IS_ALIGNED(out, esize)))) {
            /* The range covers the whole entry: one leaf, or nothing. */
            if (!op->dry_run)
                entry_replace(pt, state, entry, depth,
                              op->map ? leaf_desc(pt, out, op->attrs, depth) : 0, base, esize);
        } else if (desc_is_table(pt, desc, depth)) {
            if (!op_range(op, depth + 1, desc_next_table(pt, desc), state, in, out, chunk))
                return false;
        } else if (!op->map && !desc_valid(desc)) {
            /* Unmapping what is not mapped: nothing to split. */
        } else if (op->dry_run) {
            op->tables++;
            op_range(op, depth + 1, NULL, desc_valid(desc) ? PT_VIRT_LEAVES : PT_VIRT_EMPTY, in,
                     out, chunk);
        } else {
            /* Build the new (or split) table completely, then link it:
             * walkers see the old entry or the finished table, never a
             * half-updated one, and a split costs one TLB invalidation. */
            if (!table_new(pt, desc, depth, &child))
                return false;
            if (!op_range(op, depth + 1, child, PT_PRIVATE, in, out, chunk)) {
                table_free(pt, child, depth + 1);
                return false;
            }
            entry_replace(pt, state, entry, depth, pt->fmt->table((uint64_t)(uintptr_t)child), base,
                          esize);
        }
        in += chunk;
        out += chunk;
        size -= chunk;
    }
    return true;
}

/* The last-level table that translates `in`, if every entry above it is a
 * table: NULL otherwise (or when the root itself is the last level). */
static uint64_t *last_table(const struct pt *pt, uint64_t in)
{
    uint64_t *table = table_ptr(pa_addr(pt->root));

    if (pt->levels < 2)
        return NULL;
    for (unsigned depth = 0; depth + 1 < pt->levels; depth++) {
        uint64_t desc = table[depth_index(pt, in, depth)];
        if (!desc_is_table(pt, desc, depth))
            return NULL;
        table = desc_next_table(pt, desc);
    }
    return table;
}

/* The last-level table entries for [in, in + size), if they exist and lie
 * in one table. */
static uint64_t *last_entries(const struct pt *pt, uint64_t in, uint64_t size)
{
    uint64_t span = depth_size(pt, pt->levels - 1) * PT_ENTRIES;
    uint64_t *table;

    if (size == 0 || !IS_ALIGNED(in | size, PAGE_SIZE) || size > span - (in & (span - 1)))
        return NULL;
    table = last_table(pt, in);
    return table == NULL ? NULL : &table[depth_index(pt, in, pt->levels - 1)];
}

/*
 * Short updates inside one existing last-level table: page entries only,
 * no table taken or freed, so no dry run is needed; the entries change
 * exactly as op_range would change them (a range that spans a whole table
 * is left to op_range, which may use a block instead). The common case of
 * coloured RAM (runs of a few pages) and of Baohu's windows onto it.
 */
static bool op_in_last_table(struct pt *pt, bool map, uint64_t attrs, uint64_t in, uint64_t out,
                             uint64_t size)
{
    unsigned last = pt->levels - 1;
    uint64_t *entry;

    if (size >= depth_size(pt, last) * PT_ENTRIES)
        return false;
    entry = last_entries(pt, in, size);
    if (entry == NULL)
        return false;
    /* Page descriptors of consecutive output pages differ by page_step. */
    uint64_t desc = map ? leaf_desc(pt, out, attrs, last) : 0;
    uint64_t step = map ? pt->fmt->page_step : 0;
    for (uint64_t off = 0; off < size; off += PAGE_SIZE, entry++, desc += step) {
        uint64_t old = *entry;
        if (old == desc)
            continue;
        /* No tables below the last level: break-before-make is the only
         * care (entry_replace's rule). */
        if (desc_valid(old) && (map || pt->fmt->flush_on_unmap)) {
            desc_write(entry, 0);
            pt_arch_invalidate(pt, in + off, PAGE_SIZE);
        }
        desc_write(entry, desc);
    }
    return true;
}

static bool op_run(struct pt *pt, bool map, uint64_t attrs, uint64_t in, uint64_t out, uint64_t size)
{
    uint64_t *root = table_ptr(pa_addr(pt->root));
    struct pt_op op;

    if (op_in_last_table(pt, map, attrs & pt->fmt->attr_mask, in, out, size))
        return true;

    /* Field by field: an aggregate initializer may become a memset call. */
    op.pt = pt;
    op.map = map;
    op.attrs = attrs & pt->fmt->attr_mask;
    op.dry_run = true;
    op.tables = 0;
    op_range(&op, 0, root, PT_LIVE, in, out, size);
    /* Single-page allocations succeed while any page is free. */
    if (op.tables > pt->pool->free_count)
        return false;
    op.dry_run = false;
    return op_range(&op, 0, root, PT_LIVE, in, out, size);
}

/* [in, in + size) is non-empty, page aligned and inside the input range. */
static bool in_range_ok(const struct pt *pt, uint64_t in, uint64_t size)
{
    uint64_t limit = 1ull << pt->va_bits;

    return size != 0 && IS_ALIGNED(in | size, PAGE_SIZE) && in < limit && size <= limit - in;
}

bool pt_init(struct pt *pt, struct page_pool *pool, const struct pt_format *fmt, unsigned levels,
             unsigned va_bits)
{
    unsigned root_shift;
    size_t entries, pages;
    volatile uint64_t *v;
    paddr_t pa;

    if (levels == 0 || levels > fmt->max_levels)
        return false;
    root_shift = PAGE_SHIFT + PT_LEVEL_BITS * (levels - 1);
    /* The root resolves at least one bit and at most 9 plus what the format
     * lets a root grow by (Arm ARM D8.2.6, priv. §9.5.1). */
    if (va_bits <= root_shift ||
        va_bits > root_shift + PT_LEVEL_BITS + fmt->root_extra_bits ||
        va_bits < fmt->min_va_bits || va_bits > fmt->max_va_bits)
        return false;
    entries = (size_t)1 << (va_bits - root_shift);
    pages = entries <= PT_ENTRIES ? 1 : entries / PT_ENTRIES;
    /* A root of several pages is aligned to its size (same sections). */
    if (!page_alloc(pool, pages, pages, &pa))
        return false;
    v = table_ptr(pa_addr(pa));
    for (size_t i = 0; i < pages * PT_ENTRIES; i++)
        v[i] = 0;
    pt->root = pa;
    pt->fmt = fmt;
    pt->levels = levels;
    pt->va_bits = va_bits;
    pt->pool = pool;
    return true;
}

bool pt_map(struct pt *pt, uint64_t in, uint64_t out, uint64_t size, uint64_t leaf_attrs)
{
    if (pt->fmt->attrs_ok != NULL && !pt->fmt->attrs_ok(leaf_attrs))
        return false;
    if (!in_range_ok(pt, in, size) || !IS_ALIGNED(out, PAGE_SIZE) || out >= pt->fmt->oa_limit ||
        size > pt->fmt->oa_limit - out)
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
    for (unsigned depth = 0; depth < pt->levels; depth++) {
        uint64_t desc = table[depth_index(pt, in, depth)];
        uint64_t offset_mask = depth_size(pt, depth) - 1;

        if (desc_is_table(pt, desc, depth)) {
            table = desc_next_table(pt, desc);
            continue;
        }
        if (!desc_is_leaf(pt, desc, depth))
            return false;
        if (out)
            *out = (pt->fmt->out_addr(desc) & ~offset_mask) | (in & offset_mask);
        if (attrs)
            *attrs = desc & pt->fmt->attr_mask;
        return true;
    }
    return false;
}

/* A walk in progress: with `merge`, leaves that continue the pending one
 * (input and output consecutive, same attributes) join it, and visit()
 * sees the run once. */
struct pt_walker {
    const struct pt *pt;
    pt_visit_fn visit;
    void *ctx;
    bool merge, pending;
    struct pt_leaf run;
    uint64_t next_desc; /* a last-level descriptor that would continue the run */
};

static bool walker_flush(struct pt_walker *w)
{
    if (!w->pending)
        return true;
    w->pending = false;
    return w->visit(&w->run, w->ctx);
}

static bool walker_leaf(struct pt_walker *w, uint64_t in, uint64_t desc, uint64_t esize)
{
    uint64_t out = w->pt->fmt->out_addr(desc), attrs = desc & w->pt->fmt->attr_mask;

    if (w->pending && w->merge && w->run.in + w->run.size == in && w->run.out + w->run.size == out &&
        w->run.attrs == attrs) {
        w->run.size += esize;
        w->run.count++;
        return true;
    }
    if (!walker_flush(w))
        return false;
    w->run.in = in;
    w->run.out = out;
    w->run.size = esize;
    w->run.attrs = attrs;
    w->run.count = 1;
    w->pending = true;
    return w->merge || walker_flush(w);
}

/* The leaves of `table` (at `depth`, translating from in_base) that
 * overlap [lo, hi), in address order. At the last level a page that
 * continues the run (its descriptor the last one plus page_step) costs a
 * compare: the format is asked only where a run starts. */
static bool walk_table(struct pt_walker *w, const uint64_t *table, unsigned depth, uint64_t in_base,
                       uint64_t lo, uint64_t hi)
{
    const struct pt *pt = w->pt;
    if (depth >= pt->levels)
        return true; /* no format has tables below its last level */
    uint64_t esize = depth_size(pt, depth);
    size_t first = lo > in_base ? (size_t)((lo - in_base) / esize) : 0;
    size_t end = entries_at(pt, depth);
    bool last = depth_is_last(pt, depth);

    /* Entries from `first` up to the last one starting below hi. */
    if (hi <= in_base)
        return true;
    if ((hi - in_base - 1) / esize + 1 < end)
        end = (size_t)((hi - in_base - 1) / esize + 1);
    size_t i = first;
    while (i < end) {
        uint64_t desc = table[i];
        uint64_t in = in_base + i * esize;

        i++;
        if (!desc_valid(desc))
            continue; /* most entries: a load and a test each */
        if (last && w->merge && w->pending && desc == w->next_desc &&
            w->run.in + w->run.size == in) {
            /* The run goes on: take every following page that continues
             * it, a load and a compare each. */
            uint64_t step = pt->fmt->page_step, expect = desc + step;
            size_t taken = 1;
            while (i < end && table[i] == expect) {
                i++;
                taken++;
                expect += step;
            }
            w->run.size += (uint64_t)taken * esize;
            w->run.count += (unsigned)taken;
            w->next_desc = expect;
            continue;
        }
        if (desc_is_table(pt, desc, depth)) {
            if (!walk_table(w, desc_next_table(pt, desc), depth + 1, in, lo, hi))
                return false;
        } else if (desc_is_leaf(pt, desc, depth)) {
            if (!walker_leaf(w, in, desc, esize))
                return false;
            w->next_desc = desc + pt->fmt->page_step;
        }
    }
    return true;
}

static bool walk(const struct pt *pt, uint64_t in, uint64_t size, bool merge, pt_visit_fn visit,
                 void *ctx)
{
    struct pt_walker w;

    if (pt->levels == 0)
        return true; /* not initialised: nothing mapped */
    uint64_t limit = 1ull << pt->va_bits;
    uint64_t hi = in < limit && size <= limit - in ? in + size : limit;

    w.pt = pt;
    w.visit = visit;
    w.ctx = ctx;
    w.merge = merge;
    w.pending = false;
    w.next_desc = 0;
    w.run.in = 0;
    w.run.out = 0;
    w.run.size = 0;
    w.run.attrs = 0;
    w.run.count = 0;
    return walk_table(&w, table_ptr(pa_addr(pt->root)), 0, 0, in, hi) && walker_flush(&w);
}

bool pt_walk_range(const struct pt *pt, uint64_t in, uint64_t size, pt_visit_fn visit, void *ctx)
{
    return walk(pt, in, size, false, visit, ctx);
}

bool pt_walk(const struct pt *pt, pt_visit_fn visit, void *ctx)
{
    return walk(pt, 0, 1ull << pt->va_bits, false, visit, ctx);
}

bool pt_walk_runs(const struct pt *pt, pt_visit_fn visit, void *ctx)
{
    return walk(pt, 0, 1ull << pt->va_bits, true, visit, ctx);
}

bool pt_prepare_last_table(struct pt *pt, uint64_t in)
{
    if (last_entries(pt, in, PAGE_SIZE) != NULL)
        return true;
    /* Map one page there (creating the tables on the way), then clear it. */
    if (!in_range_ok(pt, in, PAGE_SIZE) || !op_run(pt, true, 0, in, 0, PAGE_SIZE))
        return false;
    uint64_t *entry = last_entries(pt, in, PAGE_SIZE);
    if (entry == NULL)
        return false;
    desc_write(entry, 0);
    pt_arch_invalidate(pt, in, PAGE_SIZE);
    return true;
}

/*
 * Page descriptors of consecutive output pages with the same attributes
 * differ by page_step (both trees), so inside a run each page costs a
 * compare and an add; the format is consulted once per run. The window's
 * entries are invalid, so writing them needs no break-before-make.
 */
bool pt_map_mirror(struct pt *pt, uint64_t in, const struct pt *src, uint64_t src_in, uint64_t size,
                   uint64_t leaf_attrs, pt_run_fn run, void *ctx)
{
    uint64_t *dst = last_entries(pt, in, size);
    const uint64_t *from = last_entries(src, src_in, size);
    size_t pages = (size_t)(size >> PAGE_SHIFT), start = 0;
    uint64_t attrs = leaf_attrs & pt->fmt->attr_mask;
    uint64_t expect = 0, desc = 0, run_out = 0;
    /* In locals: the stores below could alias the formats' fields. */
    uint64_t src_step = src->fmt->page_step, dst_step = pt->fmt->page_step;

    if (dst == NULL || from == NULL)
        return false;
    if (pt->fmt->attrs_ok != NULL && !pt->fmt->attrs_ok(attrs))
        return false;
    for (size_t i = 0; i < pages; i++) {
        uint64_t s = from[i];
        if (i == 0 || s != expect) {
            if (!desc_valid(s) || !src->fmt->is_leaf(s, true) ||
                (i != 0 && !run(src_in + ((uint64_t)start << PAGE_SHIFT), run_out,
                                (uint64_t)(i - start) << PAGE_SHIFT, ctx))) {
                pt_clear_mirror(pt, in, (uint64_t)i << PAGE_SHIFT);
                return false;
            }
            start = i;
            run_out = src->fmt->out_addr(s);
            desc = leaf_desc(pt, run_out, attrs, pt->levels - 1);
        }
        desc_write(&dst[i], desc);
        expect = s + src_step;
        desc += dst_step;
    }
    if (!run(src_in + ((uint64_t)start << PAGE_SHIFT), run_out,
             (uint64_t)(pages - start) << PAGE_SHIFT, ctx)) {
        pt_clear_mirror(pt, in, size);
        return false;
    }
    return true;
}

void pt_clear_mirror(struct pt *pt, uint64_t in, uint64_t size)
{
    uint64_t *entry = last_entries(pt, in, size);

    if (entry == NULL)
        return;
    for (size_t i = 0; i < (size_t)(size >> PAGE_SHIFT); i++)
        desc_write(&entry[i], 0);
}

bool pt_map_runs(struct pt *pt, uint64_t in, uint64_t size, uint64_t leaf_attrs,
                 pt_next_run_fn next, void *ctx)
{
    uint64_t attrs = leaf_attrs & pt->fmt->attr_mask;
    uint64_t step = pt->fmt->page_step, limit = pt->fmt->oa_limit;
    unsigned last = pt->levels - 1;
    uint64_t *entry;

    if (pt->fmt->attrs_ok != NULL && !pt->fmt->attrs_ok(attrs))
        return false;
    if (!pt_prepare_last_table(pt, in))
        return false;
    entry = last_entries(pt, in, size);
    if (entry == NULL)
        return false;
    while (size != 0) {
        uint64_t out, got;
        if (!next(size, &out, &got, ctx) || got == 0 || got > size || !IS_ALIGNED(out | got, PAGE_SIZE) ||
            out >= limit || got > limit - out)
            return false;
        uint64_t desc = leaf_desc(pt, out, attrs, last);
        for (uint64_t off = 0; off < got; off += PAGE_SIZE, entry++, desc += step) {
            if (desc_valid(*entry))
                return false;
            desc_write(entry, desc);
        }
        size -= got;
    }
    return true;
}
