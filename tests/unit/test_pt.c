/* Unit tests of the table builder (src/core/pt.c) with VMSAv8-64 descriptors (src/arch/aarch64/pt_vmsa.c), on host memory. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "pt_vmsa.h"

#define KiB(n) ((uint64_t)(n) << 10)
#define MiB(n) ((uint64_t)(n) << 20)
#define GiB(n) ((uint64_t)(n) << 30)

#define POOL_PAGES 64
/* On the host the pool is a static buffer: pa == pointer, as in Baohu. */
static _Alignas(4096) uint8_t pool_mem[POOL_PAGES * 4096];
static uint64_t pool_bitmap[POOL_PAGES / 64];
static struct page_pool pool;
static struct pt pt;

/* Stage-2 style leaf attributes, and a second set to tell mappings apart. */
#define ATTRS_RAM (PTE_AF | PTE_SH_INNER | PTE_S2_MEMATTR(PTE_S2_MEMATTR_NORMAL_WB) | PTE_S2_S2AP_R | PTE_S2_S2AP_W)
#define ATTRS_DEV (PTE_AF | PTE_S2_MEMATTR(PTE_S2_MEMATTR_DEVICE_nGnRE) | PTE_S2_S2AP_R | PTE_S2_XN)

/* ---- host stub of the hypervisor's TLB hook: records the calls, and checks
 * that the "break" really happened (the range is unmapped when called). */
static struct {
    unsigned calls;
    uint64_t in, size;
} inval;

void pt_arch_invalidate(const struct pt *p, uint64_t in, uint64_t size)
{
    assert_ptr_equal(p, &pt);
    assert_false(pt_lookup(p, in, NULL, NULL));
    assert_false(pt_lookup(p, in + size - PAGE_SIZE, NULL, NULL));
    inval.calls++;
    inval.in = in;
    inval.size = size;
}

/* Walks start at level 0..3: 4..1 levels below the root. */
static bool init_at(struct pt *p, const struct pt_format *fmt, unsigned start_level, unsigned va_bits)
{
    return pt_init(p, &pool, fmt, start_level <= 3 ? 4 - start_level : 0, va_bits);
}

static int setup_level(const struct pt_format *fmt, unsigned start_level, unsigned va_bits)
{
    page_pool_init(&pool, pa_init((uint64_t)(uintptr_t)pool_mem), POOL_PAGES, pool_bitmap);
    /* Stale data in the pool: tables must come out zeroed. */
    for (size_t i = 0; i < sizeof pool_mem; i++)
        pool_mem[i] = 0xa5;
    inval.calls = 0;
    return init_at(&pt, fmt, start_level, va_bits) ? 0 : -1;
}

/* EL2 stage 1 shape: 48-bit input, walk from level 0. */
static int setup48(void **state)
{
    (void)state;
    return setup_level(&pt_vmsa_s1, 0, 48);
}

/* Stage 2 shape: 39-bit IPA, walk from level 1. */
static int setup39(void **state)
{
    (void)state;
    return setup_level(&pt_vmsa_s2, 1, 39);
}

/* ---- walk collection */

#define MAX_LEAVES 1100
static struct pt_leaf leaves[MAX_LEAVES];
static size_t leaf_count;
static size_t stop_after;

static bool collect(const struct pt_leaf *leaf, void *ctx)
{
    assert_ptr_equal(ctx, &leaf_count);
    if (leaf_count < MAX_LEAVES)
        leaves[leaf_count] = *leaf;
    leaf_count++;
    return leaf_count != stop_after;
}

static size_t walk_all(void)
{
    leaf_count = 0;
    stop_after = 0;
    assert_true(pt_walk(&pt, collect, &leaf_count));
    return leaf_count;
}

static void assert_leaf(size_t i, uint64_t in, uint64_t out, uint64_t size, uint64_t attrs)
{
    assert_int_equal(leaves[i].in, in);
    assert_int_equal(leaves[i].out, out);
    assert_int_equal(leaves[i].size, size);
    assert_int_equal(leaves[i].attrs, attrs);
}

static void assert_maps(uint64_t in, uint64_t out, uint64_t attrs)
{
    uint64_t got_out = 0, got_attrs = 0;

    assert_true(pt_lookup(&pt, in, &got_out, &got_attrs));
    assert_int_equal(got_out, out);
    assert_int_equal(got_attrs, attrs);
}

static size_t tables_in_use(void)
{
    return POOL_PAGES - pool.free_count;
}

/* ---- tests */

static void init_gives_an_empty_tree(void **state)
{
    (void)state;
    assert_int_equal(tables_in_use(), 1);
    assert_int_equal(pa_addr(pt.root), (uint64_t)(uintptr_t)pool_mem);
    for (size_t i = 0; i < 512; i++)
        assert_int_equal(((uint64_t *)pool_mem)[i], 0);
    assert_false(pt_lookup(&pt, 0, NULL, NULL));
    assert_int_equal(walk_all(), 0);
}

static void init_rejects_bad_geometry(void **state)
{
    struct pt other;

    (void)state;
    assert_false(init_at(&other, &pt_vmsa_s1, 4, 21));
    assert_false(init_at(&other, &pt_vmsa_s1, 0, 49));  /* needs concatenated roots */
    assert_false(init_at(&other, &pt_vmsa_s1, 0, 39));  /* level 0 would resolve no bit */
    assert_false(init_at(&other, &pt_vmsa_s1, 1, 40));
    assert_false(init_at(&other, &pt_vmsa_s1, 2, 21));
    assert_int_equal(tables_in_use(), 1);
    assert_true(init_at(&other, &pt_vmsa_s1, 2, 30));
    assert_true(init_at(&other, &pt_vmsa_s1, 3, 21));
    assert_int_equal(tables_in_use(), 3);
}

/* A stage-2 root may be 2..16 concatenated level-1 tables, aligned to
 * their size (Arm ARM D8.2.6); a stage-1 root may not. */
static void stage2_root_concatenates_tables(void **state)
{
    struct pt other;
    uint64_t out;

    (void)state;
    assert_false(init_at(&other, &pt_vmsa_s1, 1, 40));
    assert_false(init_at(&other, &pt_vmsa_s2, 1, 44)); /* 32 tables */
    assert_false(init_at(&other, &pt_vmsa_s2, 0, 49)); /* beyond 48-bit IPA */
    assert_true(init_at(&other, &pt_vmsa_s2, 1, 42)); /* 8 tables, 32 KiB */
    assert_int_equal(pa_addr(other.root) & 0x7fff, 0);
    for (size_t i = 0; i < 8 * 512; i++)
        assert_int_equal(((uint64_t *)(uintptr_t)pa_addr(other.root))[i], 0);
    /* The top of the 42-bit range lands in the last concatenated table. */
    assert_true(pt_map(&other, (1ull << 42) - GiB(1), GiB(5), GiB(1), ATTRS_RAM));
    assert_int_equal(((uint64_t *)(uintptr_t)pa_addr(other.root))[8 * 512 - 1],
                     GiB(5) | ATTRS_RAM | PTE_VALID);
    assert_true(pt_lookup(&other, (1ull << 42) - 8, &out, NULL));
    assert_int_equal(out, GiB(6) - 8);
    assert_false(pt_map(&other, 1ull << 42, 0, PAGE_SIZE, ATTRS_RAM));
}

static void aligned_range_uses_2m_blocks(void **state)
{
    (void)state;
    assert_true(pt_map(&pt, MiB(2), GiB(2) + MiB(4), MiB(4), ATTRS_RAM));
    /* root, one level-1 and one level-2 table; no level 3. */
    assert_int_equal(tables_in_use(), 3);
    assert_int_equal(walk_all(), 2);
    assert_leaf(0, MiB(2), GiB(2) + MiB(4), MiB(2), ATTRS_RAM);
    assert_leaf(1, MiB(4), GiB(2) + MiB(6), MiB(2), ATTRS_RAM);
    assert_maps(MiB(2) + 0x1234, GiB(2) + MiB(4) + 0x1234, ATTRS_RAM);
    assert_maps(MiB(6) - 1, GiB(2) + MiB(8) - 1, ATTRS_RAM);
    assert_false(pt_lookup(&pt, MiB(6), NULL, NULL));
    assert_false(pt_lookup(&pt, MiB(2) - 1, NULL, NULL));
    assert_int_equal(inval.calls, 0);
}

static void aligned_range_uses_1g_block(void **state)
{
    (void)state;
    assert_true(pt_map(&pt, GiB(1), GiB(3), GiB(1), ATTRS_RAM));
    assert_int_equal(tables_in_use(), 2);
    assert_int_equal(walk_all(), 1);
    assert_leaf(0, GiB(1), GiB(3), GiB(1), ATTRS_RAM);
    assert_maps(GiB(2) - PAGE_SIZE, GiB(4) - PAGE_SIZE, ATTRS_RAM);
}

static void misaligned_output_uses_pages(void **state)
{
    (void)state;
    /* in is 2 MiB aligned, out is not: no block can map it. */
    assert_true(pt_map(&pt, MiB(2), GiB(2) + KiB(4), MiB(2), ATTRS_RAM));
    assert_int_equal(tables_in_use(), 4);
    assert_int_equal(walk_all(), 512);
    assert_leaf(0, MiB(2), GiB(2) + KiB(4), KiB(4), ATTRS_RAM);
    assert_leaf(511, MiB(4) - KiB(4), GiB(2) + MiB(2), KiB(4), ATTRS_RAM);
}

static void unaligned_ends_use_pages_and_middle_a_block(void **state)
{
    (void)state;
    assert_true(pt_map(&pt, MiB(2) - KiB(4), MiB(2) - KiB(4), MiB(2) + KiB(8), ATTRS_DEV));
    assert_int_equal(walk_all(), 3);
    assert_leaf(0, MiB(2) - KiB(4), MiB(2) - KiB(4), KiB(4), ATTRS_DEV);
    assert_leaf(1, MiB(2), MiB(2), MiB(2), ATTRS_DEV);
    assert_leaf(2, MiB(4), MiB(4), KiB(4), ATTRS_DEV);
}

static void small_range_uses_pages(void **state)
{
    (void)state;
    assert_true(pt_map(&pt, 0x09000000, 0x09000000, KiB(12), ATTRS_DEV));
    assert_int_equal(walk_all(), 3);
    for (size_t i = 0; i < 3; i++)
        assert_leaf(i, 0x09000000 + i * KiB(4), 0x09000000 + i * KiB(4), KiB(4), ATTRS_DEV);
    assert_false(pt_lookup(&pt, 0x09003000, NULL, NULL));
}

static void page_inside_block_splits_it(void **state)
{
    (void)state;
    assert_true(pt_map(&pt, GiB(1), GiB(2), MiB(2), ATTRS_RAM));
    assert_int_equal(tables_in_use(), 3);
    assert_true(pt_map(&pt, GiB(1) + KiB(20), GiB(3), KiB(4), ATTRS_DEV));
    /* The block became a level-3 table: break-before-make for its 2 MiB. */
    assert_int_equal(tables_in_use(), 4);
    assert_int_equal(inval.calls, 1);
    assert_int_equal(inval.in, GiB(1));
    assert_int_equal(inval.size, MiB(2));
    /* The changed page, and untouched neighbours keeping the block's mapping. */
    assert_maps(GiB(1) + KiB(20) + 8, GiB(3) + 8, ATTRS_DEV);
    assert_maps(GiB(1) + KiB(24), GiB(2) + KiB(24), ATTRS_RAM);
    assert_maps(GiB(1) + KiB(20) - 1, GiB(2) + KiB(20) - 1, ATTRS_RAM);
    assert_maps(GiB(1), GiB(2), ATTRS_RAM);
    assert_maps(GiB(1) + MiB(2) - 1, GiB(2) + MiB(2) - 1, ATTRS_RAM);
    assert_int_equal(walk_all(), 512);
    assert_leaf(5, GiB(1) + KiB(20), GiB(3), KiB(4), ATTRS_DEV);
    assert_leaf(6, GiB(1) + KiB(24), GiB(2) + KiB(24), KiB(4), ATTRS_RAM);
}

static void page_inside_1g_block_splits_twice(void **state)
{
    (void)state;
    assert_true(pt_map(&pt, 0, GiB(1), GiB(1), ATTRS_RAM));
    assert_true(pt_map(&pt, MiB(6), 0x09000000, KiB(4), ATTRS_DEV));
    /* 1 GiB -> 512 x 2 MiB, one of them -> 512 x 4 KiB. */
    assert_int_equal(walk_all(), 511 + 512);
    assert_int_equal(tables_in_use(), 4);
    assert_maps(MiB(6), 0x09000000, ATTRS_DEV);
    assert_maps(MiB(6) + KiB(4), GiB(1) + MiB(6) + KiB(4), ATTRS_RAM);
    assert_maps(MiB(4), GiB(1) + MiB(4), ATTRS_RAM);
    assert_maps(GiB(1) - 1, GiB(2) - 1, ATTRS_RAM);
    assert_leaf(0, 0, GiB(1), MiB(2), ATTRS_RAM);
    assert_leaf(3, MiB(6), 0x09000000, KiB(4), ATTRS_DEV);
}

static void block_over_table_frees_it(void **state)
{
    (void)state;
    assert_true(pt_map(&pt, MiB(2), MiB(2), KiB(4), ATTRS_RAM));
    assert_int_equal(tables_in_use(), 4);
    assert_true(pt_map(&pt, MiB(2), GiB(2), MiB(2), ATTRS_DEV));
    /* The level-3 table was unhooked (with TLB maintenance) and returned. */
    assert_int_equal(tables_in_use(), 3);
    assert_int_equal(inval.calls, 1);
    assert_int_equal(walk_all(), 1);
    assert_leaf(0, MiB(2), GiB(2), MiB(2), ATTRS_DEV);
}

static void remap_changes_leaf_with_break_before_make(void **state)
{
    (void)state;
    assert_true(pt_map(&pt, MiB(2), GiB(2), KiB(4), ATTRS_RAM));
    assert_true(pt_map(&pt, MiB(2), GiB(2), KiB(4), ATTRS_RAM));
    assert_int_equal(inval.calls, 0);
    assert_true(pt_map(&pt, MiB(2), GiB(2), KiB(4), ATTRS_DEV));
    assert_int_equal(inval.calls, 1);
    assert_maps(MiB(2), GiB(2), ATTRS_DEV);
}

static void unmap_inside_block_keeps_the_rest(void **state)
{
    (void)state;
    assert_true(pt_map(&pt, GiB(1), GiB(2), MiB(2), ATTRS_RAM));
    assert_true(pt_unmap(&pt, GiB(1) + KiB(8), KiB(8)));
    assert_int_equal(inval.calls, 1);
    assert_false(pt_lookup(&pt, GiB(1) + KiB(8), NULL, NULL));
    assert_false(pt_lookup(&pt, GiB(1) + KiB(12), NULL, NULL));
    assert_maps(GiB(1) + KiB(4), GiB(2) + KiB(4), ATTRS_RAM);
    assert_maps(GiB(1) + KiB(16), GiB(2) + KiB(16), ATTRS_RAM);
    assert_int_equal(walk_all(), 510);
}

static void unmap_whole_ranges(void **state)
{
    (void)state;
    assert_true(pt_map(&pt, 0, GiB(1), MiB(4) + KiB(4), ATTRS_RAM));
    size_t before = tables_in_use();
    /* Unmapping nothing changes nothing and needs no tables. */
    assert_true(pt_unmap(&pt, GiB(8), GiB(1)));
    assert_int_equal(tables_in_use(), before);
    /* A whole block: a plain store, the caller does the TLBI. */
    assert_true(pt_unmap(&pt, 0, MiB(2)));
    assert_int_equal(inval.calls, 0);
    assert_false(pt_lookup(&pt, 0, NULL, NULL));
    assert_maps(MiB(2), GiB(1) + MiB(2), ATTRS_RAM);
    /* A range covering a whole table frees the table (after the TLBI). */
    assert_true(pt_unmap(&pt, MiB(4), MiB(2)));
    assert_int_equal(inval.calls, 1);
    assert_int_equal(tables_in_use(), before - 1);
    assert_true(pt_unmap(&pt, 0, GiB(1)));
    assert_int_equal(walk_all(), 0);
}

static void attrs_are_kept_and_masked(void **state)
{
    uint64_t attrs = PTE_AF | PTE_SH_INNER | PTE_S1_ATTRIDX(2) | PTE_S1_AP_RO | PTE_S1_XN | (1ull << 53);

    (void)state;
    /* Address bits and bits[1:0] passed as attributes are ignored. */
    assert_true(pt_map(&pt, MiB(2), MiB(8), MiB(2), attrs | 0x0000abcdef000003ull));
    assert_maps(MiB(2), MiB(8), attrs);
    assert_true(pt_map(&pt, MiB(8), MiB(8), KiB(4), attrs));
    assert_maps(MiB(8), MiB(8), attrs);
    /* Splitting copies the block's attributes into every page. */
    assert_true(pt_map(&pt, MiB(2), 0, KiB(4), ATTRS_RAM));
    assert_int_equal(walk_all(), 513);
    for (size_t i = 1; i < 512; i++)
        assert_int_equal(leaves[i].attrs, attrs);
}

static void out_of_table_memory_changes_nothing(void **state)
{
    paddr_t pa;

    (void)state;
    assert_true(pt_map(&pt, GiB(1), GiB(2), MiB(2), ATTRS_RAM));
    /* Leave a single free page: a page mapping elsewhere needs two tables. */
    while (pool.free_count > 1)
        assert_true(page_alloc(&pool, 1, 1, &pa));
    assert_false(pt_map(&pt, GiB(5) + KiB(4), 0, KiB(4), ATTRS_RAM));
    assert_false(pt_lookup(&pt, GiB(5) + KiB(4), NULL, NULL));
    assert_int_equal(pool.free_count, 1);
    /* Splitting the block needs one table: it fits, then nothing is left. */
    assert_true(pt_map(&pt, GiB(1), 0, KiB(4), ATTRS_DEV));
    assert_int_equal(pool.free_count, 0);
    /* A new level-3 table is needed here: refused. */
    assert_false(pt_map(&pt, GiB(1) + MiB(2), 0, KiB(4), ATTRS_DEV));
    assert_false(pt_lookup(&pt, GiB(1) + MiB(2), NULL, NULL));
    /* Needing no table still works without memory. */
    assert_true(pt_unmap(&pt, GiB(1) + MiB(2), KiB(4)));
    assert_true(pt_map(&pt, GiB(1) + KiB(4), KiB(4), KiB(4), ATTRS_DEV));
    assert_maps(GiB(1) + KiB(4), KiB(4), ATTRS_DEV);
    assert_maps(GiB(1) + KiB(8), GiB(2) + KiB(8), ATTRS_RAM);
    assert_int_equal(walk_all(), 512);
}

static void out_of_memory_on_split_keeps_block(void **state)
{
    paddr_t pa;

    (void)state;
    assert_true(pt_map(&pt, GiB(1), GiB(2), MiB(2), ATTRS_RAM));
    while (pool.free_count > 0)
        assert_true(page_alloc(&pool, 1, 1, &pa));
    assert_false(pt_unmap(&pt, GiB(1) + KiB(4), KiB(4)));
    assert_false(pt_map(&pt, GiB(1) + KiB(4), 0, KiB(4), ATTRS_DEV));
    assert_int_equal(inval.calls, 0);
    assert_maps(GiB(1) + KiB(4), GiB(2) + KiB(4), ATTRS_RAM);
    assert_int_equal(walk_all(), 1);
}

static void rejects_bad_ranges(void **state)
{
    (void)state;
    assert_false(pt_map(&pt, KiB(4) + 1, 0, KiB(4), ATTRS_RAM));
    assert_false(pt_map(&pt, 0, 1, KiB(4), ATTRS_RAM));
    assert_false(pt_map(&pt, 0, 0, KiB(4) + 1, ATTRS_RAM));
    assert_false(pt_map(&pt, 0, 0, 0, ATTRS_RAM));
    assert_false(pt_map(&pt, (1ull << 48) - KiB(4), 0, KiB(8), ATTRS_RAM));
    assert_false(pt_map(&pt, 1ull << 48, 0, KiB(4), ATTRS_RAM));
    assert_false(pt_map(&pt, 0, (1ull << 48) - KiB(4), KiB(8), ATTRS_RAM));
    assert_false(pt_map(&pt, 0, KiB(4), UINT64_MAX - KiB(4) + 1, ATTRS_RAM));
    assert_false(pt_unmap(&pt, 0, 0));
    assert_false(pt_unmap(&pt, 1, KiB(4)));
    assert_false(pt_lookup(&pt, 1ull << 48, NULL, NULL));
    assert_int_equal(walk_all(), 0);
    assert_int_equal(tables_in_use(), 1);
    /* The very top of the input range is fine. */
    assert_true(pt_map(&pt, (1ull << 48) - MiB(2), 0, MiB(2), ATTRS_RAM));
    assert_maps((1ull << 48) - 1, MiB(2) - 1, ATTRS_RAM);
}

static void stage2_layout_from_level1(void **state)
{
    (void)state;
    /* 39-bit IPA space: the root is a level-1 table of 1 GiB entries. */
    assert_true(pt_map(&pt, GiB(511), GiB(3), GiB(1), ATTRS_RAM));
    assert_int_equal(tables_in_use(), 1);
    assert_true(pt_map(&pt, 0x08000000, 0x08000000, KiB(64), ATTRS_DEV));
    assert_int_equal(tables_in_use(), 3);
    assert_false(pt_map(&pt, GiB(512), 0, KiB(4), ATTRS_RAM));
    assert_int_equal(walk_all(), 17);
    assert_leaf(16, GiB(511), GiB(3), GiB(1), ATTRS_RAM);
    assert_maps(GiB(512) - 1, GiB(4) - 1, ATTRS_RAM);
}

static void walk_stops_when_visit_says_so(void **state)
{
    (void)state;
    assert_true(pt_map(&pt, 0, 0, KiB(16), ATTRS_RAM));
    leaf_count = 0;
    stop_after = 2;
    assert_false(pt_walk(&pt, collect, &leaf_count));
    assert_int_equal(leaf_count, 2);
    assert_leaf(1, KiB(4), KiB(4), KiB(4), ATTRS_RAM);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(init_gives_an_empty_tree, setup48),
        cmocka_unit_test_setup(init_rejects_bad_geometry, setup48),
        cmocka_unit_test_setup(aligned_range_uses_2m_blocks, setup48),
        cmocka_unit_test_setup(aligned_range_uses_1g_block, setup48),
        cmocka_unit_test_setup(misaligned_output_uses_pages, setup48),
        cmocka_unit_test_setup(unaligned_ends_use_pages_and_middle_a_block, setup48),
        cmocka_unit_test_setup(small_range_uses_pages, setup48),
        cmocka_unit_test_setup(page_inside_block_splits_it, setup48),
        cmocka_unit_test_setup(page_inside_1g_block_splits_twice, setup48),
        cmocka_unit_test_setup(block_over_table_frees_it, setup48),
        cmocka_unit_test_setup(remap_changes_leaf_with_break_before_make, setup48),
        cmocka_unit_test_setup(unmap_inside_block_keeps_the_rest, setup48),
        cmocka_unit_test_setup(unmap_whole_ranges, setup48),
        cmocka_unit_test_setup(attrs_are_kept_and_masked, setup48),
        cmocka_unit_test_setup(out_of_table_memory_changes_nothing, setup48),
        cmocka_unit_test_setup(out_of_memory_on_split_keeps_block, setup48),
        cmocka_unit_test_setup(rejects_bad_ranges, setup48),
        cmocka_unit_test_setup(stage2_layout_from_level1, setup39),
        cmocka_unit_test_setup(stage2_root_concatenates_tables, setup39),
        cmocka_unit_test_setup(walk_stops_when_visit_says_so, setup48),
    };

    return cmocka_run_group_tests_name("pt", tests, NULL, NULL);
}
