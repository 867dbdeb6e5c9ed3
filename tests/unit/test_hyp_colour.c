/* Unit tests of the relocation plan of a coloured Baohu (src/core/hyp_colour_plan.c). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "hyp_colour.h"

#define P PAGE_SIZE
#define IMAGE 0x40200000ull /* qemu-aarch64-virt's load address: colour 0 of 16 */

static void all_colours_is_a_contiguous_copy(void **state)
{
    struct hyp_colour_plan plan;
    (void)state;
    assert_true(hyp_colour_plan_make(&plan, IMAGE, 100, IMAGE + 100 * P, 0x44000000, 0xffff, 16));
    /* From the next colour-0 page after the image: 0x40264000 -> 0x40270000. */
    assert_int_equal(plan.base, 0x40270000);
    for (uint64_t n = 0; n < 100; n++)
        assert_int_equal(hyp_colour_plan_page(&plan, n), 0x40270000 + n * P);
    assert_int_equal(hyp_colour_plan_run(&plan, 0), 100);
    assert_int_equal(hyp_colour_plan_run(&plan, 99), 1);
    assert_int_equal(hyp_colour_plan_end(&plan), 0x40270000 + 100 * P);
}

static void four_of_sixteen_colours(void **state)
{
    struct hyp_colour_plan plan;
    (void)state;
    assert_true(hyp_colour_plan_make(&plan, IMAGE, 10, IMAGE + 10 * P, 0x44000000, 0xf, 16));
    assert_int_equal(plan.base, IMAGE + 16 * P);
    assert_int_equal(plan.per_period, 4);
    /* Pages 0-3 in the first period's colours 0-3, 4-7 in the next... */
    assert_int_equal(hyp_colour_plan_page(&plan, 0), plan.base);
    assert_int_equal(hyp_colour_plan_page(&plan, 3), plan.base + 3 * P);
    assert_int_equal(hyp_colour_plan_page(&plan, 4), plan.base + 16 * P);
    assert_int_equal(hyp_colour_plan_page(&plan, 9), plan.base + 33 * P);
    /* ... in runs of four, cut at the image's end. */
    assert_int_equal(hyp_colour_plan_run(&plan, 0), 4);
    assert_int_equal(hyp_colour_plan_run(&plan, 2), 2);
    assert_int_equal(hyp_colour_plan_run(&plan, 8), 2);
    assert_int_equal(hyp_colour_plan_end(&plan), plan.base + 34 * P);
    /* An address inside the image keeps its offset in the page. */
    assert_int_equal(hyp_colour_plan_image_pa(&plan, IMAGE + 5 * P + 0x123), plan.base + 17 * P + 0x123);
    for (uint64_t n = 0; n < 10; n++)
        assert_true(hyp_colour_plan_owns(&plan, hyp_colour_plan_page(&plan, n)));
    assert_false(hyp_colour_plan_owns(&plan, plan.base + 4 * P));
    assert_true(hyp_colour_plan_owns(&plan, plan.base + 19 * P));
}

static void scattered_colours(void **state)
{
    struct hyp_colour_plan plan;
    (void)state;
    /* Colours 1, 5 and 6 of 8: the copies start at the period after `from`. */
    assert_true(hyp_colour_plan_make(&plan, 0x80200000, 7, 0x80203000, 0x84000000, 0x62, 8));
    assert_int_equal(plan.base, 0x80208000);
    const uint64_t want[7] = {1, 5, 6, 9, 13, 14, 17};
    for (uint64_t n = 0; n < 7; n++)
        assert_int_equal(hyp_colour_plan_page(&plan, n), 0x80208000 + want[n] * P);
    assert_int_equal(hyp_colour_plan_run(&plan, 0), 1);
    assert_int_equal(hyp_colour_plan_run(&plan, 1), 2);
    assert_int_equal(hyp_colour_plan_run(&plan, 4), 2);
}

static void a_run_crosses_the_period(void **state)
{
    struct hyp_colour_plan plan;
    (void)state;
    /* Colours 15 and 0: the last page of a period is next to the first of the next. */
    assert_true(hyp_colour_plan_make(&plan, IMAGE, 4, IMAGE + 4 * P, 0x44000000, 0x8001, 16));
    assert_int_equal(hyp_colour_plan_page(&plan, 1), plan.base + 15 * P);
    assert_int_equal(hyp_colour_plan_page(&plan, 2), plan.base + 16 * P);
    assert_int_equal(hyp_colour_plan_run(&plan, 0), 1);
    assert_int_equal(hyp_colour_plan_run(&plan, 1), 2);
    assert_int_equal(hyp_colour_plan_run(&plan, 3), 1);
}

/* Every page of the image gets its own page of Baohu's colours, in order,
 * none inside the loaded image, for every mask of 8 colours. */
static void every_mask_gives_distinct_pages_of_its_colours(void **state)
{
    (void)state;
    for (uint64_t colours = 1; colours < 0x100; colours++) {
        struct hyp_colour_plan plan;
        assert_true(hyp_colour_plan_make(&plan, 0x80200000, 37, 0x80225000, 0x84000000, colours, 8));
        uint64_t last = 0;
        for (uint64_t n = 0; n < 37; n++) {
            uint64_t pa = hyp_colour_plan_page(&plan, n);
            assert_true(pa >= 0x80225000);
            assert_true(pa > last);
            assert_true((colours >> ((pa >> PAGE_SHIFT) % 8)) & 1);
            uint64_t run = hyp_colour_plan_run(&plan, n);
            assert_true(run >= 1 && n + run <= 37);
            assert_int_equal(hyp_colour_plan_page(&plan, n + run - 1), pa + (run - 1) * P);
            last = pa;
        }
        assert_int_equal(hyp_colour_plan_end(&plan), last + P);
    }
}

static void sixty_four_colours(void **state)
{
    struct hyp_colour_plan plan;
    (void)state;
    assert_true(hyp_colour_plan_make(&plan, 0, 2, 0, UINT64_MAX, 1ull << 63, 64));
    assert_int_equal(hyp_colour_plan_page(&plan, 0), 63 * P);
    assert_int_equal(hyp_colour_plan_page(&plan, 1), 127 * P);
}

static void bad_plans_are_refused(void **state)
{
    struct hyp_colour_plan plan;
    (void)state;
    assert_false(hyp_colour_plan_make(&plan, IMAGE, 10, IMAGE + 10 * P, 0x44000000, 0, 16));
    assert_false(hyp_colour_plan_make(&plan, IMAGE, 10, IMAGE + 10 * P, 0x44000000, 0x10000, 16));
    assert_false(hyp_colour_plan_make(&plan, IMAGE, 10, IMAGE + 10 * P, 0x44000000, 0xf, 0));
    assert_false(hyp_colour_plan_make(&plan, IMAGE, 10, IMAGE + 10 * P, 0x44000000, 0xf, 65));
    assert_false(hyp_colour_plan_make(&plan, IMAGE + 8, 10, IMAGE + 11 * P, 0x44000000, 0xf, 16));
    assert_false(hyp_colour_plan_make(&plan, IMAGE, 10, IMAGE + 10 * P + 8, 0x44000000, 0xf, 16));
    assert_false(hyp_colour_plan_make(&plan, IMAGE, 0, IMAGE, 0x44000000, 0xf, 16));
    /* Ten pages of one colour in sixteen need ten periods after the image. */
    assert_true(hyp_colour_plan_make(&plan, IMAGE, 10, IMAGE + 10 * P, IMAGE + 16 * P + 145 * P, 0x1, 16));
    assert_false(hyp_colour_plan_make(&plan, IMAGE, 10, IMAGE + 10 * P, IMAGE + 16 * P + 144 * P, 0x1, 16));
    /* No wrap at the top of the address space. */
    assert_false(hyp_colour_plan_make(&plan, 0, 4, UINT64_MAX - 0xfff, UINT64_MAX, 0x1, 16));
    assert_false(hyp_colour_plan_make(&plan, 0, UINT64_MAX / 2, 0x1000, UINT64_MAX, 0x1, 16));
}

/* The boot plan: the copies from the page after the (unaligned) image end
 * up to the table pool's end, the reserved range capped at 64 MiB. */
static void boot_plan_fits_below_the_table_pool(void **state)
{
    (void)state;
    struct hyp_colour_plan plan;
    /* 10 pages in colour 0 of 16: the 10th copy ends 145 pages after the
     * first period boundary after the image (as bad_plans_are_refused). */
    uint64_t base = IMAGE - 0x200000, end = IMAGE + 10 * P - 8;
    uint64_t need = IMAGE + 16 * P + 145 * P - base;
    assert_true(hyp_colour_plan_boot(&plan, IMAGE, end, base, need, 0x1, 16));
    assert_int_equal(plan.image_pages, 10);
    assert_int_equal(hyp_colour_plan_end(&plan), base + need);
    assert_false(hyp_colour_plan_boot(&plan, IMAGE, end, base, need - P, 0x1, 16));
    /* A reserved range beyond the pool's cap adds nothing. */
    assert_true(hyp_colour_plan_boot(&plan, IMAGE, IMAGE + 0x300000, base, 64ull << 20, 0x1, 16));
    assert_false(hyp_colour_plan_boot(&plan, IMAGE, IMAGE + 0x400000, base, 1ull << 40, 0x1, 16));
    assert_false(hyp_colour_plan_boot(&plan, IMAGE, IMAGE, base, 64ull << 20, 0xf, 16));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(all_colours_is_a_contiguous_copy),
        cmocka_unit_test(four_of_sixteen_colours),
        cmocka_unit_test(scattered_colours),
        cmocka_unit_test(a_run_crosses_the_period),
        cmocka_unit_test(every_mask_gives_distinct_pages_of_its_colours),
        cmocka_unit_test(sixty_four_colours),
        cmocka_unit_test(bad_plans_are_refused),
        cmocka_unit_test(boot_plan_fits_below_the_table_pool),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
