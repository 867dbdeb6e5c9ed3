/* Colouring Baohu itself: plan its image's pages, hold back the table pool's other colours, map and copy the image (docs/design.md, "Colouring Baohu"). */
#include "arch.h"
#include "console.h"
#include "hyp_colour.h"
#include "hyp_mem.h"
#include "platform.h"
#include "vm.h"

/* Every architecture's linker script names these (one page-aligned class each). */
extern char __image_start[], __text_end[], __rodata_end[], __stacks_start[], __image_end[];

struct hyp_colouring hyp_colouring;

static uint64_t image_start(void)
{
    return (uint64_t)(uintptr_t)__image_start;
}

static uint64_t image_end(void)
{
    return ALIGN_UP((uint64_t)(uintptr_t)__image_end, PAGE_SIZE);
}

/* The end of the table pool core_memory_init set up (the reserved range, capped). */
static uint64_t table_pool_end(void)
{
    return pa_addr(hyp_table_pool.base) + ((uint64_t)hyp_table_pool.page_count << PAGE_SHIFT);
}

bool hyp_colour_init(uint64_t colours, unsigned colour_count)
{
    struct hyp_colouring *hc = &hyp_colouring;
    uint64_t pa;

    hc->on = false;
    hc->failed = false;
    if (colours == 0u)
        return true;
    if (!hyp_colour_plan_boot(&hc->plan, image_start(), image_end(), platform.hyp_reserved.base,
                              platform.hyp_reserved.size, colours, colour_count)) {
        hc->failed = true;
        return false;
    }
    hc->pool_base = hyp_colour_plan_end(&hc->plan);
    hc->pool_end = table_pool_end();
    /* The copies and the pages between them: never tables. */
    (void)page_pool_reserve(&hyp_table_pool, pa_init(image_end()), (hc->pool_base - image_end()) >> PAGE_SHIFT);
    pa = hc->pool_base;
    while (pa < hc->pool_end) {
        if (!hyp_colour_plan_owns(&hc->plan, pa))
            (void)page_pool_reserve(&hyp_table_pool, pa_init(pa), 1);
        pa += PAGE_SIZE;
    }
    hc->table_pages = hyp_table_pool.free_count;
    hc->on = true;
    return true;
}

/* What image page va gets on `cpu`'s tables: 0 = not mapped (another CPU's
 * stack, or the guard page below its own). */
static uint64_t image_page_attrs(uint64_t va, cpuid_t cpu, const struct hyp_image_attrs *a)
{
    uint64_t stacks = (uint64_t)(uintptr_t)__stacks_start;

    if (va < (uint64_t)(uintptr_t)__text_end)
        return a->rx;
    if (va < (uint64_t)(uintptr_t)__rodata_end)
        return a->ro;
    if (va >= stacks && va < stacks + (uint64_t)a->stack_slots * a->stack_slot) {
        uint64_t slot = (va - stacks) / a->stack_slot;
        uint64_t offset = (va - stacks) % a->stack_slot;
        if (slot != cpu || offset < a->stack_guard)
            return 0;
    }
    return a->rw;
}

/* The coloured image: runs of pages with the same attributes whose copies are contiguous. */
static bool map_coloured_image(struct pt *pt, cpuid_t cpu, const struct hyp_image_attrs *a)
{
    const struct hyp_colour_plan *plan = &hyp_colouring.plan;
    uint64_t va = image_start();

    while (va < image_end()) {
        uint64_t attrs = image_page_attrs(va, cpu, a);
        uint64_t pa = hyp_colour_plan_image_pa(plan, va);
        uint64_t size = PAGE_SIZE;
        while (va + size < image_end() && image_page_attrs(va + size, cpu, a) == attrs &&
               hyp_colour_plan_image_pa(plan, va + size) == pa + size)
            size += PAGE_SIZE;
        if (attrs != 0u && !pt_map(pt, va, pa, size, attrs))
            return false;
        va += size;
    }
    return true;
}

/* The table pool's pages of Baohu's colours, at VA == PA (pt.h: a table's
 * address is its pointer), whether they hold tables yet or not. */
static bool map_coloured_pool(struct pt *pt, const struct hyp_image_attrs *a)
{
    const struct hyp_colouring *hc = &hyp_colouring;
    uint64_t pa = hc->pool_base;

    while (pa < hc->pool_end) {
        uint64_t size = PAGE_SIZE;
        if (!hyp_colour_plan_owns(&hc->plan, pa)) {
            pa += PAGE_SIZE;
            continue;
        }
        while (pa + size < hc->pool_end && hyp_colour_plan_owns(&hc->plan, pa + size))
            size += PAGE_SIZE;
        if (!pt_map(pt, pa, pa, size, a->rw))
            return false;
        pa += size;
    }
#ifdef BAOHU_TEST_UNCOLOURED_PAGE
    /* Test build: one page of another colour (the first after the copies),
     * read-only, so the self-check has something to find. */
    pa = hc->pool_base;
    while (pa < hc->pool_end && hyp_colour_plan_owns(&hc->plan, pa))
        pa += PAGE_SIZE;
    if (pa < hc->pool_end && !pt_map(pt, pa, pa, PAGE_SIZE, a->ro))
        return false;
#endif
    return true;
}

/* Uncoloured: the image where the loader put it. The whole reserved range
 * read/write (the table pool is in it), then the image's code and
 * read-only data narrowed down; every stack slot but this CPU's is
 * unmapped, and so is the guard page below its own. */
static bool map_loaded_image(struct pt *pt, cpuid_t cpu, const struct hyp_image_attrs *a)
{
    uint64_t reserved = platform.hyp_reserved.base;
    uint64_t text_end = (uint64_t)(uintptr_t)__text_end, rodata_end = (uint64_t)(uintptr_t)__rodata_end;
    bool ok = pt_map(pt, reserved, reserved, platform.hyp_reserved.size, a->rw) &&
              pt_map(pt, image_start(), image_start(), text_end - image_start(), a->rx) &&
              pt_map(pt, text_end, text_end, rodata_end - text_end, a->ro);
    unsigned other = 0;

    while (ok && other < a->stack_slots) {
        uint64_t slot = (uint64_t)(uintptr_t)__stacks_start + (uint64_t)other * a->stack_slot;
        ok = pt_unmap(pt, slot, other == cpu ? a->stack_guard : a->stack_slot);
        other++;
    }
    return ok;
}

bool hyp_image_map(struct pt *pt, cpuid_t cpu, const struct hyp_image_attrs *attrs)
{
    if (!hyp_colouring.on)
        return map_loaded_image(pt, cpu, attrs);
    return map_coloured_image(pt, cpu, attrs) && map_coloured_pool(pt, attrs);
}

void hyp_colour_copy(void)
{
    const struct hyp_colour_plan *plan = &hyp_colouring.plan;
    uint64_t n = 0;

    if (!hyp_colouring.on)
        return;
    /* With the MMU off addresses are physical; the copies lie above the
     * loaded image, so the order does not matter. */
    while (n < plan->image_pages) {
        uint64_t run = hyp_colour_plan_run(plan, n);
        uint64_t *dst = (uint64_t *)(uintptr_t)hyp_colour_plan_page(plan, n);
        const uint64_t *src = (const uint64_t *)(uintptr_t)(plan->image_va + (n << PAGE_SHIFT));
        uint64_t words = (run << PAGE_SHIFT) / sizeof(uint64_t);
        uint64_t i = 0;
        while (i < words) {
            ((volatile uint64_t *)dst)[i] = src[i];
            i++;
        }
        /* No cache may hold an older line of the copies when the MMU maps
         * them cacheable. */
        arch_cache_clean_inval(dst, run << PAGE_SHIFT);
        n += run;
    }
}

void hyp_colour_report(void)
{
    const struct hyp_colouring *hc = &hyp_colouring;

    if (hc->failed)
        console_log("Baohu colouring: colours 0x%lx cannot hold the image in the reserved range "
                    "(or name no colour of the %u): running uncoloured",
                    (unsigned long)baohu_config.hyp_colours, vm_llc_colours());
    if (!hc->on)
        return;
    console_log("Baohu coloured: image of %lu pages relocated to colours 0x%lx, %lu table pages",
                (unsigned long)hc->plan.image_pages, (unsigned long)hc->plan.colours,
                (unsigned long)hc->table_pages);
}
