/* The same table-builder scenarios (src/core/pt.c) run against every descriptor format Baohu uses. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "pt_sv39.h"
#include "pt_vmsa.h"

#define MiB(n) ((uint64_t)(n) << 20)
#define GiB(n) ((uint64_t)(n) << 30)

struct format_case {
    const struct pt_format *fmt;
    unsigned levels, va_bits;
    uint64_t ram, dev; /* two leaf attribute sets that tell mappings apart */
};

static const struct format_case vmsa_s1_48 = {
    &pt_vmsa_s1, 4, 48, PTE_AF | PTE_SH_INNER | PTE_S1_ATTRIDX(0),
    PTE_AF | PTE_S1_ATTRIDX(1) | PTE_S1_XN};
static const struct format_case vmsa_s1_39 = {
    &pt_vmsa_s1, 3, 39, PTE_AF | PTE_SH_INNER | PTE_S1_ATTRIDX(0) | PTE_S1_AP_RO,
    PTE_AF | PTE_S1_ATTRIDX(1) | PTE_S1_XN};
static const struct format_case vmsa_s2_39 = {
    &pt_vmsa_s2, 3, 39,
    PTE_AF | PTE_SH_INNER | PTE_S2_MEMATTR(PTE_S2_MEMATTR_NORMAL_WB) | PTE_S2_S2AP_R | PTE_S2_S2AP_W,
    PTE_AF | PTE_S2_MEMATTR(PTE_S2_MEMATTR_DEVICE_nGnRE) | PTE_S2_S2AP_R | PTE_S2_XN};
static const struct format_case sv39 = {
    &pt_sv39, PT_SV39_LEVELS, 39, PTE_R | PTE_W | PTE_G | PTE_A | PTE_D, PTE_R | PTE_X | PTE_G | PTE_A};
static const struct format_case sv39x4 = {
    &pt_sv39x4, PT_SV39_LEVELS, 41, PTE_R | PTE_W | PTE_X | PTE_U | PTE_A | PTE_D,
    PTE_R | PTE_W | PTE_U | PTE_A | PTE_D};

#define POOL_PAGES 64
static _Alignas(16384) uint8_t pool_mem[POOL_PAGES * 4096];
static uint64_t pool_bitmap[POOL_PAGES / 64];
static struct page_pool pool;
static struct pt pt;
static struct pt win; /* a window tree (pt_map_mirror) */
static const struct format_case *fc;

static unsigned inval_calls;

/* Host stub of the TLB hook: the "break" really happened when it is called. */
void pt_arch_invalidate(const struct pt *p, uint64_t in, uint64_t size)
{
    assert_true(p == &pt || p == &win);
    assert_false(pt_lookup(p, in, NULL, NULL));
    assert_false(pt_lookup(p, in + size - PAGE_SIZE, NULL, NULL));
    inval_calls++;
}

static int setup(void **state)
{
    fc = *state;
    page_pool_init(&pool, pa_init((uint64_t)(uintptr_t)pool_mem), POOL_PAGES, pool_bitmap);
    for (size_t i = 0; i < sizeof pool_mem; i++)
        pool_mem[i] = 0x5a; /* stale data: tables must come out zeroed */
    inval_calls = 0;
    return pt_init(&pt, &pool, fc->fmt, fc->levels, fc->va_bits) ? 0 : -1;
}

/* ---- leaves seen by a walk */
#define MAX_LEAVES 600
static struct pt_leaf leaves[MAX_LEAVES];
static size_t leaf_count;

static bool collect(const struct pt_leaf *leaf, void *ctx)
{
    (void)ctx;
    if (leaf_count < MAX_LEAVES)
        leaves[leaf_count] = *leaf;
    leaf_count++;
    return true;
}

static size_t walk_all(void)
{
    leaf_count = 0;
    assert_true(pt_walk(&pt, collect, NULL));
    return leaf_count;
}

static void assert_leaf(size_t i, uint64_t in, uint64_t out, uint64_t size, uint64_t attrs)
{
    assert_int_equal(leaves[i].in, in);
    assert_int_equal(leaves[i].out, out);
    assert_int_equal(leaves[i].size, size);
    assert_int_equal(leaves[i].attrs, attrs);
}

static void blocks_where_aligned(void **state)
{
    uint64_t out, attrs;

    (void)state;
    assert_true(pt_map(&pt, GiB(1), GiB(3), GiB(1), fc->ram));
    assert_true(pt_map(&pt, MiB(4), MiB(8), MiB(4), fc->dev));
    assert_int_equal(walk_all(), 3);
    assert_leaf(0, MiB(4), MiB(8), MiB(2), fc->dev);
    assert_leaf(1, MiB(6), MiB(10), MiB(2), fc->dev);
    assert_leaf(2, GiB(1), GiB(3), GiB(1), fc->ram);
    assert_true(pt_lookup(&pt, GiB(1) + 0x12345, &out, &attrs));
    assert_int_equal(out, GiB(3) + 0x12345);
    assert_int_equal(attrs, fc->ram);
    assert_false(pt_lookup(&pt, MiB(2), NULL, NULL));
    assert_int_equal(inval_calls, 0);
}

static void misaligned_output_uses_pages(void **state)
{
    (void)state;
    assert_true(pt_map(&pt, MiB(2), MiB(2) + PAGE_SIZE, MiB(2), fc->ram));
    assert_int_equal(walk_all(), 512);
    assert_leaf(0, MiB(2), MiB(2) + PAGE_SIZE, PAGE_SIZE, fc->ram);
    assert_leaf(511, MiB(4) - PAGE_SIZE, MiB(4), PAGE_SIZE, fc->ram);
}

/* A page mapped inside a block splits it into 511 old leaves and one new,
 * through one break-before-make. */
static void page_inside_block_splits_it(void **state)
{
    (void)state;
    assert_true(pt_map(&pt, MiB(2), MiB(32), MiB(2), fc->ram));
    assert_true(pt_map(&pt, MiB(2) + 5 * PAGE_SIZE, MiB(64), PAGE_SIZE, fc->dev));
    assert_int_equal(inval_calls, 1);
    assert_int_equal(walk_all(), 512);
    assert_leaf(4, MiB(2) + 4 * PAGE_SIZE, MiB(32) + 4 * PAGE_SIZE, PAGE_SIZE, fc->ram);
    assert_leaf(5, MiB(2) + 5 * PAGE_SIZE, MiB(64), PAGE_SIZE, fc->dev);
    assert_leaf(6, MiB(2) + 6 * PAGE_SIZE, MiB(32) + 6 * PAGE_SIZE, PAGE_SIZE, fc->ram);
}

static void unmap_inside_block_keeps_the_rest(void **state)
{
    (void)state;
    assert_true(pt_map(&pt, MiB(2), MiB(32), MiB(2), fc->ram));
    assert_true(pt_unmap(&pt, MiB(2), PAGE_SIZE));
    assert_int_equal(walk_all(), 511);
    assert_leaf(0, MiB(2) + PAGE_SIZE, MiB(32) + PAGE_SIZE, PAGE_SIZE, fc->ram);
    assert_false(pt_lookup(&pt, MiB(2), NULL, NULL));
}

/* Clearing a live leaf flushes in pt.c only where the format says so. */
static void unmapping_a_leaf_flushes_per_format(void **state)
{
    (void)state;
    assert_true(pt_map(&pt, MiB(2), MiB(32), MiB(2), fc->ram));
    assert_true(pt_unmap(&pt, MiB(2), MiB(2)));
    assert_int_equal(walk_all(), 0);
    assert_int_equal(inval_calls, fc->fmt->flush_on_unmap ? 1 : 0);
    /* A block over a table frees the table, after a flush in every format. */
    inval_calls = 0;
    assert_true(pt_map(&pt, MiB(4), MiB(32), PAGE_SIZE, fc->ram));
    assert_true(pt_map(&pt, MiB(4), MiB(64), MiB(2), fc->dev));
    assert_int_equal(inval_calls, 1);
    assert_int_equal(walk_all(), 1);
    assert_leaf(0, MiB(4), MiB(64), MiB(2), fc->dev);
}

static void out_of_table_memory_changes_nothing(void **state)
{
    paddr_t pa;
    size_t before;

    (void)state;
    assert_true(pt_map(&pt, MiB(2), MiB(32), MiB(2), fc->ram));
    while (pool.free_count > 1)
        assert_true(page_alloc(&pool, 1, 1, &pa));
    before = walk_all();
    /* A page at an unmapped address 1 GiB away needs two new tables. */
    assert_false(pt_map(&pt, GiB(1) + PAGE_SIZE, 0, PAGE_SIZE, fc->dev));
    assert_int_equal(pool.free_count, 1);
    assert_int_equal(walk_all(), before);
    assert_leaf(0, MiB(2), MiB(32), MiB(2), fc->ram);
    assert_int_equal(inval_calls, 0);
}

static void rejects_bad_ranges(void **state)
{
    uint64_t limit = 1ull << fc->va_bits;

    (void)state;
    assert_false(pt_map(&pt, 0, 0, 0, fc->ram));
    assert_false(pt_map(&pt, 0x800, 0, PAGE_SIZE, fc->ram));
    assert_false(pt_map(&pt, 0, 0x800, PAGE_SIZE, fc->ram));
    assert_false(pt_map(&pt, limit, 0, PAGE_SIZE, fc->ram));
    assert_false(pt_map(&pt, limit - PAGE_SIZE, 0, 2 * PAGE_SIZE, fc->ram));
    assert_false(pt_map(&pt, 0, fc->fmt->oa_limit, PAGE_SIZE, fc->ram));
    assert_true(pt_map(&pt, limit - PAGE_SIZE, 0, PAGE_SIZE, fc->ram));
    assert_false(pt_unmap(&pt, limit, PAGE_SIZE));
    assert_int_equal(walk_all(), 1);
}

/* A range walk visits the leaves overlapping the range, in order, only. */
static void walk_range_visits_overlapping_leaves(void **state)
{
    (void)state;
    assert_true(pt_map(&pt, MiB(2), MiB(32), MiB(2), fc->ram));          /* one block */
    assert_true(pt_map(&pt, MiB(4), MiB(64), 4 * PAGE_SIZE, fc->dev));   /* four pages */
    assert_true(pt_map(&pt, GiB(1), GiB(2), PAGE_SIZE, fc->ram));
    leaf_count = 0;
    assert_true(pt_walk_range(&pt, MiB(3), MiB(1) + 2 * PAGE_SIZE, collect, NULL));
    assert_int_equal(leaf_count, 3);
    assert_leaf(0, MiB(2), MiB(32), MiB(2), fc->ram); /* overlaps from its middle */
    assert_leaf(1, MiB(4), MiB(64), PAGE_SIZE, fc->dev);
    assert_leaf(2, MiB(4) + PAGE_SIZE, MiB(64) + PAGE_SIZE, PAGE_SIZE, fc->dev);
    leaf_count = 0;
    assert_true(pt_walk_range(&pt, GiB(1), 1ull << fc->va_bits, collect, NULL)); /* clipped */
    assert_int_equal(leaf_count, 1);
    assert_leaf(0, GiB(1), GiB(2), PAGE_SIZE, fc->ram);
    leaf_count = 0;
    assert_true(pt_walk_range(&pt, MiB(8), MiB(8), collect, NULL));
    assert_int_equal(leaf_count, 0);
}

/* pt_walk_runs: leaves that continue each other come as one, with their count. */
static void walk_runs_joins_continuing_leaves(void **state)
{
    (void)state;
    assert_true(pt_map(&pt, MiB(2), MiB(32), MiB(2), fc->ram));                  /* a block */
    assert_true(pt_map(&pt, MiB(4), MiB(34), 3 * PAGE_SIZE, fc->ram));           /* continues it */
    assert_true(pt_map(&pt, MiB(4) + 3 * PAGE_SIZE, MiB(40), 2 * PAGE_SIZE, fc->ram)); /* out jumps */
    assert_true(pt_map(&pt, MiB(4) + 5 * PAGE_SIZE, MiB(40) + 2 * PAGE_SIZE, PAGE_SIZE, fc->dev));
    leaf_count = 0;
    assert_true(pt_walk_runs(&pt, collect, NULL));
    assert_int_equal(leaf_count, 3);
    assert_leaf(0, MiB(2), MiB(32), MiB(2) + 3 * PAGE_SIZE, fc->ram);
    assert_int_equal(leaves[0].count, 4);
    assert_leaf(1, MiB(4) + 3 * PAGE_SIZE, MiB(40), 2 * PAGE_SIZE, fc->ram);
    assert_int_equal(leaves[1].count, 2);
    assert_leaf(2, MiB(4) + 5 * PAGE_SIZE, MiB(40) + 2 * PAGE_SIZE, PAGE_SIZE, fc->dev);
    assert_int_equal(leaves[2].count, 1);
    assert_int_equal(walk_all(), 7); /* pt_walk: every leaf on its own */
    assert_int_equal(leaves[1].count, 1);
}

/* ---- pt_map_runs / pt_map_mirror: a coloured VM's stage 2 and Baohu's window onto it */
struct run_list {
    uint64_t out[4], size[4];
    size_t count, next;
};

static bool next_run(uint64_t max, uint64_t *out, uint64_t *size, void *ctx)
{
    struct run_list *l = ctx;
    if (l->next == l->count)
        return false;
    *out = l->out[l->next];
    *size = l->size[l->next] < max ? l->size[l->next] : max;
    l->next++;
    return true;
}

static struct run_list seen_runs;
static uint64_t seen_in[4];
static bool refuse_second_run;

static bool record_run(uint64_t in, uint64_t out, uint64_t size, void *ctx)
{
    struct run_list *l = ctx;
    if (refuse_second_run && l->count == 1)
        return false;
    if (l->count < 4) {
        seen_in[l->count] = in;
        l->out[l->count] = out;
        l->size[l->count] = size;
    }
    l->count++;
    return true;
}

/* Ten pages at MiB(2) + 1 page, from three runs of output pages. */
static void map_three_runs(void)
{
    struct run_list l = {{MiB(8), MiB(8) + 5 * PAGE_SIZE, MiB(16)}, {3 * PAGE_SIZE, 2 * PAGE_SIZE, MiB(1)}, 3, 0};
    assert_true(pt_map_runs(&pt, MiB(2) + PAGE_SIZE, 10 * PAGE_SIZE, fc->ram, next_run, &l));
    assert_int_equal(l.next, 3);
}

static void map_runs_writes_pages_in_order(void **state)
{
    (void)state;
    map_three_runs();
    assert_int_equal(walk_all(), 10);
    assert_leaf(0, MiB(2) + PAGE_SIZE, MiB(8), PAGE_SIZE, fc->ram);
    assert_leaf(2, MiB(2) + 3 * PAGE_SIZE, MiB(8) + 2 * PAGE_SIZE, PAGE_SIZE, fc->ram);
    assert_leaf(3, MiB(2) + 4 * PAGE_SIZE, MiB(8) + 5 * PAGE_SIZE, PAGE_SIZE, fc->ram);
    assert_leaf(5, MiB(2) + 6 * PAGE_SIZE, MiB(16), PAGE_SIZE, fc->ram);
    assert_leaf(9, MiB(2) + 10 * PAGE_SIZE, MiB(16) + 4 * PAGE_SIZE, PAGE_SIZE, fc->ram);
    /* A page in use, runs running dry, a range over two tables: refused. */
    struct run_list more = {{MiB(32)}, {MiB(1)}, 1, 0};
    assert_false(pt_map_runs(&pt, MiB(2), 2 * PAGE_SIZE, fc->ram, next_run, &more));
    struct run_list dry = {{MiB(32)}, {PAGE_SIZE}, 1, 0};
    assert_false(pt_map_runs(&pt, MiB(3), 2 * PAGE_SIZE, fc->ram, next_run, &dry));
    struct run_list wide = {{MiB(32)}, {MiB(4)}, 1, 0};
    assert_false(pt_map_runs(&pt, MiB(5), MiB(2), fc->ram, next_run, &wide));
}

static void mirror_shows_pages_at_consecutive_addresses(void **state)
{
    (void)state;
    map_three_runs();
    assert_true(pt_init(&win, &pool, fc->fmt, fc->levels, fc->va_bits));
    assert_true(pt_prepare_last_table(&win, GiB(1)));
    size_t free_pages = pool.free_count;
    assert_true(pt_prepare_last_table(&win, GiB(1) + MiB(1))); /* the same table: nothing taken */
    assert_int_equal(pool.free_count, free_pages);
    seen_runs.count = 0;
    refuse_second_run = false;
    assert_true(pt_map_mirror(&win, GiB(1), &pt, MiB(2) + 2 * PAGE_SIZE, 8 * PAGE_SIZE, fc->dev,
                              record_run, &seen_runs));
    /* The runs as stage 2 has them, from the mirror's second page on. */
    assert_int_equal(seen_runs.count, 3);
    assert_int_equal(seen_in[0], MiB(2) + 2 * PAGE_SIZE);
    assert_int_equal(seen_runs.out[0], MiB(8) + PAGE_SIZE);
    assert_int_equal(seen_runs.size[0], 2 * PAGE_SIZE);
    assert_int_equal(seen_in[1], MiB(2) + 4 * PAGE_SIZE);
    assert_int_equal(seen_runs.out[1], MiB(8) + 5 * PAGE_SIZE);
    assert_int_equal(seen_runs.size[2], 4 * PAGE_SIZE);
    struct pt saved = pt;
    pt = win; /* walk_all walks `pt` */
    assert_int_equal(walk_all(), 8);
    assert_leaf(0, GiB(1), MiB(8) + PAGE_SIZE, PAGE_SIZE, fc->dev);
    assert_leaf(2, GiB(1) + 2 * PAGE_SIZE, MiB(8) + 5 * PAGE_SIZE, PAGE_SIZE, fc->dev);
    assert_leaf(7, GiB(1) + 7 * PAGE_SIZE, MiB(16) + 3 * PAGE_SIZE, PAGE_SIZE, fc->dev);
    pt_clear_mirror(&pt, GiB(1), 8 * PAGE_SIZE);
    assert_int_equal(walk_all(), 0);
    pt = saved;
}

static void mirror_refuses_holes_blocks_and_run_vetoes(void **state)
{
    (void)state;
    map_three_runs();
    assert_true(pt_map(&pt, MiB(4), MiB(64), MiB(2), fc->ram)); /* a block */
    assert_true(pt_init(&win, &pool, fc->fmt, fc->levels, fc->va_bits));
    assert_true(pt_prepare_last_table(&win, GiB(1)));
    seen_runs.count = 0;
    refuse_second_run = false;
    /* MiB(2) itself is not mapped; nor is a block's range made of pages. */
    assert_false(pt_map_mirror(&win, GiB(1), &pt, MiB(2), 4 * PAGE_SIZE, fc->ram, record_run, &seen_runs));
    assert_false(pt_map_mirror(&win, GiB(1), &pt, MiB(4), 4 * PAGE_SIZE, fc->ram, record_run, &seen_runs));
    /* A hole after the first run: the run before it was reported, the window cleared. */
    assert_false(pt_map_mirror(&win, GiB(1), &pt, MiB(2) + 8 * PAGE_SIZE, 4 * PAGE_SIZE, fc->ram,
                               record_run, &seen_runs));
    refuse_second_run = true;
    seen_runs.count = 0;
    assert_false(pt_map_mirror(&win, GiB(1), &pt, MiB(2) + PAGE_SIZE, 10 * PAGE_SIZE, fc->ram,
                               record_run, &seen_runs));
    /* The window is outside any last-level table of win: refused. */
    assert_false(pt_map_mirror(&win, GiB(2), &pt, MiB(2) + PAGE_SIZE, PAGE_SIZE, fc->ram, record_run, &seen_runs));
    struct pt saved = pt;
    pt = win;
    assert_int_equal(walk_all(), 0);
    pt = saved;
}

#define FOR_FORMAT(test, c) cmocka_unit_test_prestate_setup_teardown(test, setup, NULL, (void *)&(c))
#define ALL_FORMATS(test)                                                                        \
    FOR_FORMAT(test, vmsa_s1_48), FOR_FORMAT(test, vmsa_s1_39), FOR_FORMAT(test, vmsa_s2_39),     \
        FOR_FORMAT(test, sv39), FOR_FORMAT(test, sv39x4)

int main(void)
{
    const struct CMUnitTest tests[] = {
        ALL_FORMATS(blocks_where_aligned),
        ALL_FORMATS(misaligned_output_uses_pages),
        ALL_FORMATS(page_inside_block_splits_it),
        ALL_FORMATS(unmap_inside_block_keeps_the_rest),
        ALL_FORMATS(unmapping_a_leaf_flushes_per_format),
        ALL_FORMATS(out_of_table_memory_changes_nothing),
        ALL_FORMATS(rejects_bad_ranges),
        ALL_FORMATS(walk_range_visits_overlapping_leaves),
        ALL_FORMATS(walk_runs_joins_continuing_leaves),
        ALL_FORMATS(map_runs_writes_pages_in_order),
        ALL_FORMATS(mirror_shows_pages_at_consecutive_addresses),
        ALL_FORMATS(mirror_refuses_holes_blocks_and_run_vetoes),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
