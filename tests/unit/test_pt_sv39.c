/* Unit tests of the Sv39 / Sv39x4 table builder (src/core/pt.c) with Sv39 / Sv39x4 PTEs (src/arch/riscv64/pt_sv39.c), on host memory. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "pt_sv39.h"

#define MiB(n) ((uint64_t)(n) << 20)
#define GiB(n) ((uint64_t)(n) << 30)

#define POOL_PAGES 64
/* On the host the pool is a static buffer: pa == pointer, as in Baohu. */
static _Alignas(16384) uint8_t pool_mem[POOL_PAGES * 4096];
static uint64_t pool_bitmap[POOL_PAGES / 64];
static struct page_pool pool;
static struct pt pt;

/* G-stage RAM and device leaves (gstage.c), and Baohu's own RX / RW. */
#define G_RAM (PTE_R | PTE_W | PTE_X | PTE_U | PTE_A | PTE_D)
#define G_DEV (PTE_R | PTE_W | PTE_U | PTE_A | PTE_D)
#define HYP_RX (PTE_R | PTE_X | PTE_G | PTE_A)

/* Host stub of the TLB hook: the "break" really happened when it is called. */
static unsigned inval_calls;

void pt_arch_invalidate(const struct pt *p, uint64_t in, uint64_t size)
{
    assert_ptr_equal(p, &pt);
    assert_false(pt_lookup(p, in, NULL, NULL));
    assert_false(pt_lookup(p, in + size - PAGE_SIZE, NULL, NULL));
    inval_calls++;
}

static int setup_bits(unsigned va_bits)
{
    page_pool_init(&pool, pa_init((uint64_t)(uintptr_t)pool_mem), POOL_PAGES, pool_bitmap);
    for (size_t i = 0; i < sizeof pool_mem; i++)
        pool_mem[i] = 0xa5; /* stale data: tables must come out zeroed */
    inval_calls = 0;
    return pt_init(&pt, &pool, va_bits == 41 ? &pt_sv39x4 : &pt_sv39, PT_SV39_LEVELS, va_bits) ? 0 : -1;
}

static int setup_sv39(void **state)
{
    (void)state;
    return setup_bits(39);
}

static int setup_sv39x4(void **state)
{
    (void)state;
    return setup_bits(41);
}

static size_t tables_in_use(void)
{
    return POOL_PAGES - pool.free_count;
}

static const uint64_t *root(void)
{
    return (const uint64_t *)(uintptr_t)pa_addr(pt.root);
}

static void assert_maps(uint64_t in, uint64_t out, uint64_t attrs)
{
    uint64_t got_out = 0, got_attrs = 0;

    assert_true(pt_lookup(&pt, in, &got_out, &got_attrs));
    assert_int_equal(got_out, out);
    assert_int_equal(got_attrs, attrs);
}

static size_t leaves;
static uint64_t leaf_sizes;

static bool count(const struct pt_leaf *leaf, void *ctx)
{
    (void)ctx;
    leaves++;
    leaf_sizes += leaf->size;
    return true;
}

static void walk(void)
{
    leaves = 0;
    leaf_sizes = 0;
    assert_true(pt_walk(&pt, count, NULL));
}

/* ---- tests */

static void sv39_root_is_one_zeroed_page(void **state)
{
    (void)state;
    assert_int_equal(tables_in_use(), 1);
    for (size_t i = 0; i < 512; i++)
        assert_int_equal(root()[i], 0);
    assert_false(pt_lookup(&pt, 0x80000000, NULL, NULL));
}

static void sv39x4_root_is_16k_aligned_and_zeroed(void **state)
{
    struct pt other;

    (void)state;
    assert_int_equal(tables_in_use(), 4);
    assert_int_equal(pa_addr(pt.root) & 0x3fff, 0);
    for (size_t i = 0; i < 2048; i++)
        assert_int_equal(root()[i], 0);
    /* The second root skips the 12 free pages' misaligned starts. */
    assert_true(pt_init(&other, &pool, &pt_sv39x4, PT_SV39_LEVELS, 41));
    assert_int_equal(pa_addr(other.root) & 0x3fff, 0);
    assert_false(pt_init(&other, &pool, &pt_sv39x4, PT_SV39_LEVELS, 40));
    assert_false(pt_init(&other, &pool, &pt_sv39x4, PT_SV39_LEVELS, 48));
    assert_false(pt_init(&other, &pool, &pt_sv39, PT_SV39_LEVELS, 41));
    assert_false(pt_init(&other, &pool, &pt_sv39x4, 2, 41)); /* Sv39 has three levels */
}

static void pte_format_is_ppn_and_flags(void **state)
{
    (void)state;
    assert_true(pt_map(&pt, GiB(2), GiB(3), GiB(1), G_RAM));
    /* A gigapage in the root: PPN = PA >> 12 at bit 10, flags | V (priv. §4.4.1). */
    assert_int_equal(root()[2], ((GiB(3) >> 12) << 10) | G_RAM | PTE_V);
    assert_int_equal(tables_in_use(), 1);
    assert_maps(GiB(2) + 0x1234, GiB(3) + 0x1234, G_RAM);
}

static void megapages_then_pages(void **state)
{
    (void)state;
    /* 2 MiB-aligned 4 MiB + 8 KiB: two megapages and two pages. */
    assert_true(pt_map(&pt, 0x80000000, 0x90000000, MiB(4) + 0x2000, G_RAM));
    walk();
    assert_int_equal(leaves, 4);
    assert_int_equal(leaf_sizes, MiB(4) + 0x2000);
    assert_int_equal(tables_in_use(), 3);
    assert_maps(0x80400000 + 0x1000, 0x90401000, G_RAM);
}

static void misaligned_output_uses_pages(void **state)
{
    (void)state;
    assert_true(pt_map(&pt, 0x80000000, 0x90001000, MiB(2), G_RAM));
    walk();
    assert_int_equal(leaves, 512);
}

static void page_inside_megapage_splits_it(void **state)
{
    (void)state;
    assert_true(pt_map(&pt, 0x80000000, 0x90000000, MiB(2), G_RAM));
    assert_true(pt_map(&pt, 0x80001000, 0xa0000000, 0x1000, G_DEV));
    assert_int_equal(inval_calls, 1);
    assert_maps(0x80000000, 0x90000000, G_RAM);
    assert_maps(0x80001000, 0xa0000000, G_DEV);
    assert_maps(0x80002000, 0x90002000, G_RAM);
    walk();
    assert_int_equal(leaves, 512);
}

static void unmap_guard_page_keeps_the_rest(void **state)
{
    (void)state;
    assert_true(pt_map(&pt, 0x80000000, 0x80000000, GiB(1), HYP_RX));
    assert_true(pt_unmap(&pt, 0x80200000, 0x1000));
    assert_false(pt_lookup(&pt, 0x80200000, NULL, NULL));
    assert_maps(0x80201000, 0x80201000, HYP_RX);
    assert_maps(0x801ff000, 0x801ff000, HYP_RX);
    assert_maps(0xbffff000, 0xbffff000, HYP_RX);
}

static void sv39x4_maps_above_512_gib(void **state)
{
    (void)state;
    /* GPA bits 40:39 index the widened root (priv. §9.5.1). */
    assert_true(pt_map(&pt, GiB(1536), 0x80000000, MiB(2), G_RAM));
    assert_maps(GiB(1536) + 0x5000, 0x80005000, G_RAM);
    assert_false(pt_lookup(&pt, 0, NULL, NULL));
    assert_false(pt_map(&pt, GiB(2048), 0x80000000, 0x1000, G_RAM));
}

static void rejects_bad_requests(void **state)
{
    (void)state;
    assert_false(pt_map(&pt, 0x80000800, 0x80000000, 0x1000, G_RAM));  /* misaligned in */
    assert_false(pt_map(&pt, 0x80000000, 0x80000800, 0x1000, G_RAM));  /* misaligned out */
    assert_false(pt_map(&pt, 0x80000000, 0x80000000, 0, G_RAM));       /* empty */
    assert_false(pt_map(&pt, GiB(512), 0x80000000, 0x1000, G_RAM));    /* beyond Sv39 */
    assert_false(pt_map(&pt, 0x80000000, 0x80000000, 0x1000, PTE_U));  /* no R/W/X: a pointer */
    assert_false(pt_map(&pt, 0x80000000, 0x80000000, 0x1000, PTE_W));  /* W without R: reserved */
    assert_int_equal(tables_in_use(), 1);
}

static void out_of_table_memory_changes_nothing(void **state)
{
    paddr_t pa;

    (void)state;
    while (page_alloc(&pool, 1, 1, &pa))
        ;
    assert_false(pt_map(&pt, 0x80000000, 0x90000000, 0x1000, G_RAM));
    assert_false(pt_lookup(&pt, 0x80000000, NULL, NULL));
    for (size_t i = 0; i < 512; i++)
        assert_int_equal(root()[i], 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(sv39_root_is_one_zeroed_page, setup_sv39),
        cmocka_unit_test_setup(sv39x4_root_is_16k_aligned_and_zeroed, setup_sv39x4),
        cmocka_unit_test_setup(pte_format_is_ppn_and_flags, setup_sv39),
        cmocka_unit_test_setup(megapages_then_pages, setup_sv39),
        cmocka_unit_test_setup(misaligned_output_uses_pages, setup_sv39x4),
        cmocka_unit_test_setup(page_inside_megapage_splits_it, setup_sv39x4),
        cmocka_unit_test_setup(unmap_guard_page_keeps_the_rest, setup_sv39),
        cmocka_unit_test_setup(sv39x4_maps_above_512_gib, setup_sv39x4),
        cmocka_unit_test_setup(rejects_bad_requests, setup_sv39),
        cmocka_unit_test_setup(out_of_table_memory_changes_nothing, setup_sv39),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
