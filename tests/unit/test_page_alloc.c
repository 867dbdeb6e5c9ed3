/* Unit tests of the bitmap page allocator (src/core/page_alloc.c). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "page_alloc.h"

/* The allocator never touches the pages themselves, so any address works. */
#define BASE 0x40000000ull
#define PG(n) (BASE + (uint64_t)(n) * PAGE_SIZE)

static uint64_t bitmap[4];
static struct page_pool pool;

static int setup(void **state)
{
    (void)state;
    page_pool_init(&pool, pa_init(BASE), 200, bitmap);
    return 0;
}

static uint64_t alloc_ok(size_t pages, size_t align)
{
    paddr_t pa;

    assert_true(page_alloc(&pool, pages, align, &pa));
    return pa_addr(pa);
}

static void init_starts_all_free(void **state)
{
    (void)state;
    /* A dirty bitmap is cleared by init. */
    bitmap[0] = bitmap[1] = bitmap[2] = bitmap[3] = ~0ull;
    page_pool_init(&pool, pa_init(BASE), 200, bitmap);
    assert_int_equal(pool.free_count, 200);
    assert_int_equal(pool.page_count, 200);
    for (size_t i = 0; i < 200; i++)
        assert_false(page_is_used(&pool, pa_init(PG(i))));
    /* 200 bits need 4 words: the tail of the last one is cleared too. */
    assert_int_equal(bitmap[3], 0);
}

static void alloc_is_first_fit(void **state)
{
    (void)state;
    assert_int_equal(alloc_ok(1, 1), PG(0));
    assert_int_equal(alloc_ok(3, 1), PG(1));
    assert_int_equal(alloc_ok(1, 1), PG(4));
    assert_int_equal(pool.free_count, 195);
    page_free(&pool, pa_init(PG(1)), 3);
    /* The hole is reused first, then the pool continues after it. */
    assert_int_equal(alloc_ok(2, 1), PG(1));
    assert_int_equal(alloc_ok(2, 1), PG(5));
    assert_int_equal(alloc_ok(1, 1), PG(3));
}

static void alloc_aligns_physical_address(void **state)
{
    (void)state;
    /* Pool starting one page past a 2 MiB boundary: alignment is of the
     * address, not of the index inside the pool. */
    page_pool_init(&pool, pa_init(BASE + PAGE_SIZE), 1100, (uint64_t[18]){0});
    assert_int_equal(alloc_ok(1, 4), BASE + 4 * PAGE_SIZE);
    assert_int_equal(alloc_ok(512, 512), BASE + 512 * PAGE_SIZE);
    /* First fit still fills the gap before the aligned run. */
    assert_int_equal(alloc_ok(1, 1), BASE + PAGE_SIZE);
    assert_int_equal(alloc_ok(2, 2), BASE + 2 * PAGE_SIZE);
}

static void alloc_skips_used_runs_with_alignment(void **state)
{
    (void)state;
    assert_true(page_pool_reserve(&pool, pa_init(PG(5)), 1));
    /* [0, 8) has a used page at 5: the next aligned candidate is 8. */
    assert_int_equal(alloc_ok(8, 8), PG(8));
    assert_int_equal(alloc_ok(4, 4), PG(0));
}

static void alloc_fails_when_no_room(void **state)
{
    paddr_t pa;

    (void)state;
    assert_false(page_alloc(&pool, 201, 1, &pa));
    assert_int_equal(alloc_ok(200, 1), PG(0));
    assert_int_equal(pool.free_count, 0);
    assert_false(page_alloc(&pool, 1, 1, &pa));
    /* Fragmented: enough free pages, but not contiguous. */
    page_free(&pool, pa_init(PG(10)), 1);
    page_free(&pool, pa_init(PG(20)), 1);
    assert_int_equal(pool.free_count, 2);
    assert_false(page_alloc(&pool, 2, 1, &pa));
    /* Free but misaligned. */
    assert_false(page_alloc(&pool, 1, 8, &pa));
    assert_int_equal(pool.free_count, 2);
}

static void alloc_rejects_bad_arguments(void **state)
{
    paddr_t pa;

    (void)state;
    assert_false(page_alloc(&pool, 0, 1, &pa));
    assert_false(page_alloc(&pool, 1, 0, &pa));
    assert_false(page_alloc(&pool, 1, 3, &pa));
    /* Alignments larger than the pool: one candidate at most, and no
     * overflow computing the next one. */
    assert_false(page_alloc(&pool, 1, (size_t)1 << (sizeof(size_t) * 8 - 1), &pa));
    assert_true(page_pool_reserve(&pool, pa_init(PG(0)), 1));
    assert_false(page_alloc(&pool, 1, 256, &pa));
    assert_int_equal(pool.free_count, 199);
}

static void alloc_uses_pages_past_last_full_word(void **state)
{
    (void)state;
    /* 200 pages = 3 full words + 8 bits. */
    assert_true(page_pool_reserve(&pool, pa_init(PG(0)), 192));
    assert_int_equal(alloc_ok(8, 1), PG(192));
    assert_int_equal(pool.free_count, 0);
}

static void reserve_marks_pages(void **state)
{
    (void)state;
    assert_true(page_pool_reserve(&pool, pa_init(PG(10)), 5));
    assert_int_equal(pool.free_count, 195);
    assert_false(page_is_used(&pool, pa_init(PG(9))));
    assert_true(page_is_used(&pool, pa_init(PG(10))));
    assert_true(page_is_used(&pool, pa_init(PG(14) + 0x123)));
    assert_false(page_is_used(&pool, pa_init(PG(15))));
}

static void reserve_partial_overlap_has_no_effect(void **state)
{
    (void)state;
    assert_true(page_pool_reserve(&pool, pa_init(PG(10)), 2));
    /* [8, 11) overlaps page 10: refused, and pages 8 and 9 stay free. */
    assert_false(page_pool_reserve(&pool, pa_init(PG(8)), 3));
    assert_false(page_is_used(&pool, pa_init(PG(8))));
    assert_false(page_is_used(&pool, pa_init(PG(9))));
    assert_false(page_pool_reserve(&pool, pa_init(PG(11)), 4));
    assert_false(page_is_used(&pool, pa_init(PG(12))));
    assert_int_equal(pool.free_count, 198);
}

static void reserve_outside_pool_fails(void **state)
{
    (void)state;
    assert_false(page_pool_reserve(&pool, pa_init(BASE - PAGE_SIZE), 1));
    assert_false(page_pool_reserve(&pool, pa_init(BASE - PAGE_SIZE), 2));
    assert_false(page_pool_reserve(&pool, pa_init(PG(200)), 1));
    assert_false(page_pool_reserve(&pool, pa_init(PG(199)), 2));
    assert_false(page_pool_reserve(&pool, pa_init(PG(1)), SIZE_MAX));
    assert_false(page_pool_reserve(&pool, pa_init(PG(1) + 8), 1));
    assert_false(page_pool_reserve(&pool, pa_init(PG(1)), 0));
    assert_int_equal(pool.free_count, 200);
    assert_true(page_pool_reserve(&pool, pa_init(PG(199)), 1));
}

static void free_is_idempotent(void **state)
{
    (void)state;
    assert_int_equal(alloc_ok(4, 1), PG(0));
    page_free(&pool, pa_init(PG(0)), 4);
    page_free(&pool, pa_init(PG(0)), 4);
    assert_int_equal(pool.free_count, 200);
    /* Out-of-pool frees are ignored, a range past the end is clipped. */
    page_free(&pool, pa_init(BASE - PAGE_SIZE), 1);
    assert_true(page_pool_reserve(&pool, pa_init(PG(198)), 2));
    page_free(&pool, pa_init(PG(198)), 10);
    assert_int_equal(pool.free_count, 200);
}

static void is_used_outside_pool_is_false(void **state)
{
    (void)state;
    assert_true(page_pool_reserve(&pool, pa_init(PG(0)), 200));
    assert_false(page_is_used(&pool, pa_init(BASE - 1)));
    assert_false(page_is_used(&pool, pa_init(PG(200))));
    assert_true(page_is_used(&pool, pa_init(PG(200) - 1)));
}

/* Colour = page frame number mod colour count: with 16 colours the colour
 * of BASE + n pages is (BASE_PFN + n) % 16. */
static void colour_arithmetic(void **state)
{
    (void)state;
    assert_int_equal(page_colour(pa_init(0x40000000), 16), 0);
    assert_int_equal(page_colour(pa_init(0x40001000), 16), 1);
    assert_int_equal(page_colour(pa_init(0x4000f000), 16), 15);
    assert_int_equal(page_colour(pa_init(0x40010000), 16), 0);
    assert_int_equal(page_colour(pa_init(0x40003fff), 4), 3);
}

static void coloured_alloc_takes_only_its_colours(void **state)
{
    (void)state;
    size_t cursor = 0, got = 0;
    paddr_t pa;
    /* Colours 2 and 5 of 8: 2 pages in every 8 of the 200-page pool. */
    while (page_alloc_coloured(&pool, (1u << 2) | (1u << 5), 8, &cursor, &pa)) {
        unsigned c = page_colour(pa, 8);
        assert_true(c == 2 || c == 5);
        assert_true(page_is_used(&pool, pa));
        got++;
    }
    unsigned base_colour = page_colour(pa_init(BASE), 8);
    size_t expect = 0;
    for (size_t i = 0; i < 200; i++) {
        unsigned c = (base_colour + i) % 8;
        expect += c == 2 || c == 5;
    }
    assert_int_equal(got, expect);
    assert_int_equal(pool.free_count, 200 - expect);
}

static void coloured_alloc_skips_used_pages(void **state)
{
    (void)state;
    size_t cursor = 0;
    paddr_t pa, first;
    assert_true(page_alloc_coloured(&pool, 1u << 3, 4, &cursor, &first));
    page_free(&pool, first, 1);
    assert_true(page_pool_reserve(&pool, first, 1));
    cursor = 0;
    assert_true(page_alloc_coloured(&pool, 1u << 3, 4, &cursor, &pa));
    assert_int_equal(pa_addr(pa), pa_addr(first) + 4 * PAGE_SIZE);
}

static void shared_pool_still_allocates_and_frees(void **state)
{
    (void)state;
    paddr_t pa;
    page_pool_share(&pool);
    assert_true(page_alloc(&pool, 4, 1, &pa));
    assert_true(page_is_used(&pool, pa));
    page_free(&pool, pa, 4);
    assert_false(page_is_used(&pool, pa));
    assert_int_equal(pool.lock.next, pool.lock.owner); /* every lock released */
    assert_int_equal(pool.lock.next, 2);
}

static void coloured_alloc_rejects_bad_arguments(void **state)
{
    (void)state;
    size_t cursor = 0;
    paddr_t pa;
    assert_false(page_alloc_coloured(&pool, 0, 16, &cursor, &pa));
    assert_false(page_alloc_coloured(&pool, 1, 0, &cursor, &pa));
    assert_false(page_alloc_coloured(&pool, 1, 65, &cursor, &pa));
    assert_int_equal(pool.free_count, 200);
}

/* Freeing past the end of the pool touches nothing beyond it: the bitmap
 * words after the pool's last one (here: guard words set to all-ones)
 * keep their bits and free_count never exceeds page_count. */
static void free_past_end_is_clipped(void **state)
{
    (void)state;
    static uint64_t big[8];
    struct page_pool p;
    paddr_t pa;
    page_pool_init(&p, pa_init(BASE), 130, big);
    for (size_t w = 3; w < 8; w++)
        big[w] = ~0ull;
    assert_true(page_alloc(&p, 130, 1, &pa));
    assert_int_equal(p.free_count, 0);
    page_free(&p, pa_init(PG(120)), 100);
    assert_int_equal(p.free_count, 10);
    for (size_t w = 3; w < 8; w++)
        assert_int_equal(big[w], ~0ull);
    page_free(&p, pa_init(PG(0)), ~(size_t)0);
    assert_int_equal(p.free_count, 130);
}

/* A reservation reaching past the end of the pool fails whole. */
static void reserve_past_end_fails(void **state)
{
    (void)state;
    assert_false(page_pool_reserve(&pool, pa_init(PG(190)), 11));
    assert_false(page_pool_reserve(&pool, pa_init(PG(199)), 2));
    assert_int_equal(pool.free_count, 200);
    assert_true(page_pool_reserve(&pool, pa_init(PG(190)), 10));
    assert_int_equal(pool.free_count, 190);
}

/* 64 colours is the most a colour mask holds, and works. */
static void coloured_alloc_with_64_colours(void **state)
{
    (void)state;
    size_t cursor = 0;
    paddr_t pa;
    /* BASE is page 0x40000: colour 0 of 64. */
    assert_true(page_alloc_coloured(&pool, 1ull << 63, 64, &cursor, &pa));
    assert_int_equal(pa_addr(pa), PG(63));
    assert_int_equal(page_colour(pa, 64), 63);
    assert_true(page_alloc_coloured(&pool, 1ull << 63, 64, &cursor, &pa));
    assert_int_equal(pa_addr(pa), PG(127));
    assert_true(page_alloc_coloured(&pool, 1ull << 63, 64, &cursor, &pa));
    assert_int_equal(pa_addr(pa), PG(191));
    assert_false(page_alloc_coloured(&pool, 1ull << 63, 64, &cursor, &pa));
    assert_int_equal(pool.free_count, 197);
    /* A run of colours 62 and 63. */
    size_t n = 0;
    cursor = 0;
    page_pool_init(&pool, pa_init(BASE), 200, bitmap);
    assert_true(page_alloc_coloured_run(&pool, 3ull << 62, 64, &cursor, 8, &pa, &n));
    assert_int_equal(pa_addr(pa), PG(62));
    assert_int_equal(n, 2);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(init_starts_all_free, setup),
        cmocka_unit_test_setup(colour_arithmetic, setup),
        cmocka_unit_test_setup(shared_pool_still_allocates_and_frees, setup),
        cmocka_unit_test_setup(coloured_alloc_takes_only_its_colours, setup),
        cmocka_unit_test_setup(coloured_alloc_skips_used_pages, setup),
        cmocka_unit_test_setup(coloured_alloc_rejects_bad_arguments, setup),
        cmocka_unit_test_setup(alloc_is_first_fit, setup),
        cmocka_unit_test_setup(alloc_aligns_physical_address, setup),
        cmocka_unit_test_setup(alloc_skips_used_runs_with_alignment, setup),
        cmocka_unit_test_setup(alloc_fails_when_no_room, setup),
        cmocka_unit_test_setup(alloc_rejects_bad_arguments, setup),
        cmocka_unit_test_setup(alloc_uses_pages_past_last_full_word, setup),
        cmocka_unit_test_setup(reserve_marks_pages, setup),
        cmocka_unit_test_setup(reserve_partial_overlap_has_no_effect, setup),
        cmocka_unit_test_setup(reserve_outside_pool_fails, setup),
        cmocka_unit_test_setup(free_is_idempotent, setup),
        cmocka_unit_test_setup(is_used_outside_pool_is_false, setup),
        cmocka_unit_test_setup(free_past_end_is_clipped, setup),
        cmocka_unit_test_setup(reserve_past_end_fails, setup),
        cmocka_unit_test_setup(coloured_alloc_with_64_colours, setup),
    };

    return cmocka_run_group_tests_name("page_alloc", tests, NULL, NULL);
}
