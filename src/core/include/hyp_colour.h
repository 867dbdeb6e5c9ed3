/* Colouring Baohu itself (docs/design.md, "Colouring Baohu"): where its image runs from, and which pages of its table pool it uses. */
#ifndef BAOHU_HYP_COLOUR_H
#define BAOHU_HYP_COLOUR_H

#include "pt.h"
#include "types.h"

/*
 * The relocation plan, pure arithmetic: the loader places Baohu's image
 * contiguously at its link address; image page n runs from the n-th page
 * of Baohu's colours counted from `base` (the first page of colour 0 at or
 * after the loaded image's end, so the copies never overlap the loaded
 * image, which secondary CPUs still enter with their MMU off). Virtual
 * addresses stay the link addresses: only the physical pages behind them
 * change.
 */
struct hyp_colour_plan {
    uint64_t image_va;    /* the image's first page: its link and load address */
    uint64_t image_pages;
    uint64_t base;        /* the copies start in the colour period at base */
    uint64_t colours;     /* bit n: colour n is Baohu's */
    unsigned colour_count;
    unsigned per_period;  /* Baohu's pages in each colour_count consecutive pages */
};

/* False when the colours name none or one beyond colour_count (at most
 * 64), an address is not page aligned, or the copies would end past limit. */
bool hyp_colour_plan_make(struct hyp_colour_plan *plan, uint64_t image_va, uint64_t image_pages,
                          uint64_t from, uint64_t limit, uint64_t colours, unsigned colour_count);
/* Baohu's table pool: its reserved range, at most this much of it. */
#define HYP_TABLE_POOL_MAX_PAGES (64ull << 20 >> PAGE_SHIFT)
/* The end of the table pool of that reserved range. */
uint64_t hyp_table_pool_end(uint64_t reserved_base, uint64_t reserved_size);

/* The plan hyp_colour_init makes at boot for the image loaded at
 * [image_start, image_end) in the reserved range [reserved_base,
 * reserved_base + reserved_size): copies from the page after the image up
 * to the end of the table pool. Also run by the build on the linked image
 * (tools/colour_check.c), so a plan that does not fit fails the build. */
bool hyp_colour_plan_boot(struct hyp_colour_plan *plan, uint64_t image_start, uint64_t image_end,
                          uint64_t reserved_base, uint64_t reserved_size, uint64_t colours,
                          unsigned colour_count);
/* The physical address image page n runs from (n < image_pages). */
uint64_t hyp_colour_plan_page(const struct hyp_colour_plan *plan, uint64_t n);
/* How many image pages from page n on are physically contiguous with it. */
uint64_t hyp_colour_plan_run(const struct hyp_colour_plan *plan, uint64_t n);
/* The physical address behind image address va. */
uint64_t hyp_colour_plan_image_pa(const struct hyp_colour_plan *plan, uint64_t va);
/* The first address after the last copy. */
uint64_t hyp_colour_plan_end(const struct hyp_colour_plan *plan);
/* Whether the page at pa is of one of the plan's colours. */
bool hyp_colour_plan_owns(const struct hyp_colour_plan *plan, uint64_t pa);

/* What Baohu runs from (set once by hyp_colour_init on the boot CPU). */
struct hyp_colouring {
    bool on;
    bool failed;          /* colours were asked for but the plan did not fit */
    struct hyp_colour_plan plan;
    uint64_t pool_base;   /* the table pool pages of Baohu's colours lie in */
    uint64_t pool_end;    /* [pool_base, pool_end) */
    uint64_t table_pages; /* of them, free for tables after the image was placed */
};
extern struct hyp_colouring hyp_colouring;

/* Boot CPU, MMU off, after the table pool was set up: plan the image's
 * copies and hold back every page of the pool that is not Baohu's colour
 * (or holds a copy), so page_alloc hands out only pages of Baohu's colours
 * for its tables. colours 0: Baohu stays uncoloured. */
bool hyp_colour_init(uint64_t colours, unsigned colour_count);

/* The leaf attributes of Baohu's own mappings, and its stack slots (the
 * architecture's layout: slot i at __stacks_start + i * stack_slot, its
 * lowest stack_guard bytes never mapped). */
struct hyp_image_attrs {
    uint64_t rx, ro, rw;
    uint64_t stack_slot, stack_guard;
    unsigned stack_slots;
};
/* Map Baohu's image for `cpu` (text RX, rodata R, data RW and never
 * executable; only its own stack, without the guard page) and the table
 * pool, read/write at VA == PA, from the pages Baohu runs from. */
bool hyp_image_map(struct pt *pt, cpuid_t cpu, const struct hyp_image_attrs *attrs);

/* Boot CPU, MMU off, as the last thing before its MMU goes on: copy the
 * image (its data as it is now) to the planned pages. */
void hyp_colour_copy(void);

/* The boot report: where the image went, how many table pages are left. */
void hyp_colour_report(void);

#endif
