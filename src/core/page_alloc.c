/* Physical page allocator: first-fit search over one bitmap, 1 bit per 4 KiB page. */
#include "page_alloc.h"

#define BITS_PER_WORD 64u

/*
 * Index of the page holding `pa`, or false when `pa` is not a page address
 * inside the pool. Works on page numbers so that no address sum can wrap.
 */
static bool page_index(const struct page_pool *pool, paddr_t pa, size_t *idx)
{
    uint64_t base = pa_addr(pool->base);
    uint64_t addr = pa_addr(pa);

    if (addr < base || !IS_ALIGNED(addr, PAGE_SIZE))
        return false;
    if ((addr - base) >> PAGE_SHIFT >= pool->page_count)
        return false;
    *idx = (size_t)((addr - base) >> PAGE_SHIFT);
    return true;
}

static bool bit_get(const struct page_pool *pool, size_t i)
{
    return (pool->bitmap[i / BITS_PER_WORD] >> (i % BITS_PER_WORD)) & 1u;
}

static void bit_set(struct page_pool *pool, size_t i)
{
    pool->bitmap[i / BITS_PER_WORD] |= 1ull << (i % BITS_PER_WORD);
}

static void bit_clear(struct page_pool *pool, size_t i)
{
    pool->bitmap[i / BITS_PER_WORD] &= ~(1ull << (i % BITS_PER_WORD));
}

/* First used page in [first, first + n), or first + n if all are free. */
static size_t first_used(const struct page_pool *pool, size_t first, size_t n)
{
    for (size_t i = first; i < first + n; i++) {
        if (bit_get(pool, i))
            return i;
    }
    return first + n;
}

void page_pool_init(struct page_pool *pool, paddr_t base, size_t page_count, uint64_t *bitmap)
{
    size_t words = page_count / BITS_PER_WORD + (page_count % BITS_PER_WORD != 0);
    /* volatile: GCC turns a plain zeroing loop into a memset call even with
     * -ffreestanding, and the hypervisor has no memset to link against. */
    volatile uint64_t *w = bitmap;

    pool->base = base;
    pool->page_count = page_count;
    pool->bitmap = bitmap;
    pool->free_count = page_count;
    pool->lock.next = 0;
    pool->lock.owner = 0;
    pool->shared = false;
    for (size_t i = 0; i < words; i++)
        w[i] = 0;
}

static bool reserve_locked(struct page_pool *pool, paddr_t pa, size_t pages)
{
    size_t first;

    if (pages == 0 || !page_index(pool, pa, &first) || pages > pool->page_count - first)
        return false;
    /* Check the whole range before marking anything, so a partial overlap
     * with used pages leaves the pool exactly as it was. */
    if (first_used(pool, first, pages) != first + pages)
        return false;
    for (size_t i = first; i < first + pages; i++)
        bit_set(pool, i);
    pool->free_count -= pages;
    return true;
}

static bool alloc_locked(struct page_pool *pool, size_t pages, size_t align_pages, paddr_t *out)
{
    uint64_t base_pfn = pa_addr(pool->base) >> PAGE_SHIFT;
    size_t count = pool->page_count;
    size_t idx, rem;

    if (pages == 0 || align_pages == 0 || (align_pages & (align_pages - 1)) != 0)
        return false;
    if (pages > pool->free_count)
        return false;

    /* Alignment is of the physical address (a 2 MiB block needs a 2 MiB
     * aligned PA), not of the index inside the pool. */
    rem = (size_t)(base_pfn & (align_pages - 1));
    idx = rem ? align_pages - rem : 0;

    while (idx < count && pages <= count - idx) {
        size_t used = first_used(pool, idx, pages);

        if (used == idx + pages) {
            for (size_t i = idx; i < idx + pages; i++)
                bit_set(pool, i);
            pool->free_count -= pages;
            *out = pa_add(pool->base, (uint64_t)idx << PAGE_SHIFT);
            return true;
        }
        /* Next aligned candidate past the used page; written so that a huge
         * align_pages cannot overflow. */
        size_t skip = ((used - idx) / align_pages + 1);
        if (skip > (count - idx) / align_pages)
            break;
        idx += skip * align_pages;
    }
    return false;
}

static void free_locked(struct page_pool *pool, paddr_t pa, size_t pages)
{
    size_t first;

    if (!page_index(pool, pa, &first))
        return;
    if (pages > pool->page_count - first)
        pages = pool->page_count - first;
    /* Only pages actually in use count, so a double free cannot inflate
     * free_count past page_count. */
    for (size_t i = first; i < first + pages; i++) {
        if (bit_get(pool, i)) {
            bit_clear(pool, i);
            pool->free_count++;
        }
    }
}

bool page_is_used(const struct page_pool *pool, paddr_t pa)
{
    size_t idx;

    /* pa may point anywhere inside the page. */
    if (!page_index(pool, pa_init(pa_addr(pa) & ~(PAGE_SIZE - 1)), &idx))
        return false;
    return bit_get(pool, idx);
}

unsigned page_colour(paddr_t pa, unsigned colour_count)
{
    return (unsigned)((pa_addr(pa) >> PAGE_SHIFT) % colour_count);
}

static bool alloc_coloured_locked(struct page_pool *pool, uint64_t colours, unsigned colour_count,
                                  size_t *cursor, paddr_t *out)
{
    if (colour_count == 0 || colour_count > 64 || colours == 0)
        return false;
    for (size_t i = *cursor; i < pool->page_count; i++) {
        paddr_t pa = pa_add(pool->base, (uint64_t)i << PAGE_SHIFT);
        if (bit_get(pool, i) || !((colours >> page_colour(pa, colour_count)) & 1))
            continue;
        bit_set(pool, i);
        pool->free_count--;
        *cursor = i + 1;
        *out = pa;
        return true;
    }
    *cursor = pool->page_count;
    return false;
}

/* Once shared by every CPU (VMs are built on their own CPUs at the same
 * time, and each translation-table page comes from here), every change to
 * the bitmap holds the pool's lock. Before that the boot CPU runs alone with
 * its MMU off, where atomics on Device memory are not allowed (Arm ARM
 * B2.9): no lock then. */
static void pool_lock(struct page_pool *pool)
{
    if (pool->shared)
        spin_lock(&pool->lock);
}

static void pool_unlock(struct page_pool *pool)
{
    if (pool->shared)
        spin_unlock(&pool->lock);
}

void page_pool_share(struct page_pool *pool)
{
    pool->shared = true;
}

bool page_pool_reserve(struct page_pool *pool, paddr_t pa, size_t pages)
{
    pool_lock(pool);
    bool ok = reserve_locked(pool, pa, pages);
    pool_unlock(pool);
    return ok;
}

bool page_alloc(struct page_pool *pool, size_t pages, size_t align_pages, paddr_t *out)
{
    pool_lock(pool);
    bool ok = alloc_locked(pool, pages, align_pages, out);
    pool_unlock(pool);
    return ok;
}

void page_free(struct page_pool *pool, paddr_t pa, size_t pages)
{
    pool_lock(pool);
    free_locked(pool, pa, pages);
    pool_unlock(pool);
}

bool page_alloc_coloured(struct page_pool *pool, uint64_t colours, unsigned colour_count,
                         size_t *cursor, paddr_t *out)
{
    pool_lock(pool);
    bool ok = alloc_coloured_locked(pool, colours, colour_count, cursor, out);
    pool_unlock(pool);
    return ok;
}
