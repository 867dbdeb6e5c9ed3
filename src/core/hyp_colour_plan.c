/* The relocation plan of a coloured Baohu: which physical page each page of its image runs from (arithmetic only). */
#include "hyp_colour.h"

/* The index of the k-th set bit of mask (k counted from 0; k below its popcount). */
static unsigned nth_set_bit(uint64_t mask, unsigned k)
{
    unsigned bit = 0;
    unsigned seen = 0;

    while (bit < 64u) {
        if ((mask >> bit) & 1u) {
            if (seen == k)
                return bit;
            seen++;
        }
        bit++;
    }
    return 64u;
}

static unsigned popcount(uint64_t mask)
{
    unsigned n = 0;

    while (mask != 0u) {
        mask &= mask - 1u;
        n++;
    }
    return n;
}

bool hyp_colour_plan_make(struct hyp_colour_plan *plan, uint64_t image_va, uint64_t image_pages,
                          uint64_t from, uint64_t limit, uint64_t colours, unsigned colour_count)
{
    uint64_t period;

    if (colour_count == 0u || colour_count > 64u || colours == 0u || image_pages == 0u)
        return false;
    if (colour_count < 64u && (colours >> colour_count) != 0u)
        return false;
    if (!IS_ALIGNED(image_va, PAGE_SIZE) || !IS_ALIGNED(from, PAGE_SIZE))
        return false;
    period = (uint64_t)colour_count * PAGE_SIZE;
    if (from > UINT64_MAX - period)
        return false;
    plan->image_va = image_va;
    plan->image_pages = image_pages;
    plan->base = ALIGN_UP(from, period);
    plan->colours = colours;
    plan->colour_count = colour_count;
    plan->per_period = popcount(colours);
    /* Whole periods up to the last copy: (image_pages / k + 1) * period
     * bounds it, so that must not wrap. */
    if ((image_pages / plan->per_period + 1u) > (UINT64_MAX - plan->base) / period)
        return false;
    return hyp_colour_plan_end(plan) <= limit;
}

uint64_t hyp_table_pool_end(uint64_t reserved_base, uint64_t reserved_size)
{
    uint64_t pool_pages = reserved_size >> PAGE_SHIFT;

    if (pool_pages > HYP_TABLE_POOL_MAX_PAGES)
        pool_pages = HYP_TABLE_POOL_MAX_PAGES;
    return reserved_base + (pool_pages << PAGE_SHIFT);
}

bool hyp_colour_plan_boot(struct hyp_colour_plan *plan, uint64_t image_start, uint64_t image_end,
                          uint64_t reserved_base, uint64_t reserved_size, uint64_t colours,
                          unsigned colour_count)
{
    uint64_t end = ALIGN_UP(image_end, PAGE_SIZE);

    if (end <= image_start)
        return false;
    return hyp_colour_plan_make(plan, image_start, (end - image_start) >> PAGE_SHIFT, end,
                                hyp_table_pool_end(reserved_base, reserved_size), colours, colour_count);
}

uint64_t hyp_colour_plan_page(const struct hyp_colour_plan *plan, uint64_t n)
{
    uint64_t periods = n / plan->per_period;
    unsigned colour = nth_set_bit(plan->colours, (unsigned)(n % plan->per_period));

    return plan->base + (periods * plan->colour_count + colour) * PAGE_SIZE;
}

uint64_t hyp_colour_plan_run(const struct hyp_colour_plan *plan, uint64_t n)
{
    uint64_t first = hyp_colour_plan_page(plan, n);
    uint64_t run = 1;

    while (n + run < plan->image_pages && hyp_colour_plan_page(plan, n + run) == first + run * PAGE_SIZE)
        run++;
    return run;
}

uint64_t hyp_colour_plan_image_pa(const struct hyp_colour_plan *plan, uint64_t va)
{
    uint64_t offset = va - plan->image_va;

    return hyp_colour_plan_page(plan, offset >> PAGE_SHIFT) + (offset & (PAGE_SIZE - 1u));
}

uint64_t hyp_colour_plan_end(const struct hyp_colour_plan *plan)
{
    return hyp_colour_plan_page(plan, plan->image_pages - 1u) + PAGE_SIZE;
}

bool hyp_colour_plan_owns(const struct hyp_colour_plan *plan, uint64_t pa)
{
    return ((plan->colours >> ((pa >> PAGE_SHIFT) % plan->colour_count)) & 1u) != 0u;
}
