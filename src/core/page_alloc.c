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

/* Index of the lowest set bit of w (w != 0). By halves, not
 * __builtin_ctzll: RV64 without Zbb has no such instruction, and GCC would
 * call libgcc's __ctzdi2, which Baohu does not link. */
static unsigned lowest_bit(uint64_t w)
{
    unsigned n = 0;
    for (unsigned half = 32; half; half >>= 1) {
        if (!(w & ((1ull << half) - 1))) {
            w >>= half;
            n += half;
        }
    }
    return n;
}

/* Mark [first, first + n) used, whole words at a time where possible. */
static void bits_set_range(struct page_pool *pool, size_t first, size_t n)
{
    size_t i = first, end = first + n;
    while (i < end) {
        if (i % BITS_PER_WORD == 0 && end - i >= BITS_PER_WORD) {
            pool->bitmap[i / BITS_PER_WORD] = ~0ull;
            i += BITS_PER_WORD;
            continue;
        }
        bit_set(pool, i);
        i++;
    }
}

/* First used page in [first, first + n), or first + n if all are free.
 * A whole word of the bitmap at a time where the range covers it: the
 * check of a 512 MiB allocation then looks at 2048 words, not 131072 bits. */
static size_t first_used(const struct page_pool *pool, size_t first, size_t n)
{
    size_t i = first, end = first + n;
    while (i < end) {
        if (i % BITS_PER_WORD == 0 && end - i >= BITS_PER_WORD) {
            uint64_t w = pool->bitmap[i / BITS_PER_WORD];
            if (w)
                return i + lowest_bit(w);
            i += BITS_PER_WORD;
            continue;
        }
        if (bit_get(pool, i))
            return i;
        i++;
    }
    return end;
}

/* First free page at or after `from`, or page_count: whole used words are
 * skipped at once, so a table page allocated late (when the VMs fill the
 * start of the pool) does not walk every used page bit by bit. */
static size_t first_free(const struct page_pool *pool, size_t from)
{
    size_t i = from;
    while (i < pool->page_count) {
        uint64_t w = ~pool->bitmap[i / BITS_PER_WORD] >> (i % BITS_PER_WORD);
        if (w) {
            i += lowest_bit(w);
            return i < pool->page_count ? i : pool->page_count;
        }
        i = (i / BITS_PER_WORD + 1) * BITS_PER_WORD;
    }
    return pool->page_count;
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
    bits_set_range(pool, first, pages);
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
        size_t f = first_free(pool, idx);
        if (f != idx) {
            /* Up to the next aligned candidate at or past the free page. */
            if (f >= count)
                break;
            size_t up = (size_t)((align_pages - ((base_pfn + f) & (align_pages - 1))) &
                                 (align_pages - 1));
            if (up > count - f)
                break;
            idx = f + up;
            continue;
        }
        size_t used = first_used(pool, idx, pages);

        if (used == idx + pages) {
            bits_set_range(pool, idx, pages);
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
    /* Only colours below colour_count exist: the others would never match. */
    if (colour_count < 64)
        colours &= (1ull << colour_count) - 1;
    if (colours == 0)
        return false;
    uint64_t base_pfn = pa_addr(pool->base) >> PAGE_SHIFT;
    size_t i = *cursor;
    while (i < pool->page_count) {
        unsigned colour = (unsigned)((base_pfn + i) % colour_count);
        uint64_t ahead = colours >> colour;
        if (!(ahead & 1)) {
            /* Straight to the next page of one of the colours. */
            i += ahead ? lowest_bit(ahead) : colour_count - colour + lowest_bit(colours);
            continue;
        }
        if (bit_get(pool, i)) {
            i++;
            continue;
        }
        bit_set(pool, i);
        pool->free_count--;
        *cursor = i + 1;
        *out = pa_add(pool->base, (uint64_t)i << PAGE_SHIFT);
        return true;
    }
    *cursor = pool->page_count;
    return false;
}

/* A run of up to max_pages consecutive free pages of the colours, starting
 * at the first such page from *cursor: a coloured VM is then mapped and
 * filled a run at a time rather than a page at a time. */
static bool alloc_coloured_run_locked(struct page_pool *pool, uint64_t colours,
                                      unsigned colour_count, size_t *cursor, size_t max_pages,
                                      paddr_t *out, size_t *count)
{
    if (max_pages == 0 || !alloc_coloured_locked(pool, colours, colour_count, cursor, out))
        return false;
    size_t i = *cursor, n = 1, want = 0;
    /* How far the colours go on from the page after the first (each page's
     * colour follows on: no division per page), then how many of those
     * pages are free, a bitmap word at a time. */
    unsigned colour = (unsigned)(((pa_addr(pool->base) >> PAGE_SHIFT) + i) % colour_count);
    size_t limit = max_pages - 1 < pool->page_count - i ? max_pages - 1 : pool->page_count - i;
    while (want < limit && ((colours >> colour) & 1)) {
        want++;
        colour = page_colour_next(colour, colour_count);
    }
    while (want != 0) {
        size_t bit = i % BITS_PER_WORD;
        size_t take = BITS_PER_WORD - bit < want ? BITS_PER_WORD - bit : want;
        uint64_t mask = (take == BITS_PER_WORD ? ~0ull : (1ull << take) - 1) << bit;
        uint64_t *word = &pool->bitmap[i / BITS_PER_WORD];
        uint64_t used = *word & mask;
        if (used != 0) {
            /* Up to the first page in use. */
            take = lowest_bit(used) - bit;
            mask = take == 0 ? 0 : ((1ull << take) - 1) << bit;
            want = take;
        }
        *word |= mask;
        i += take;
        n += take;
        want -= take;
    }
    pool->free_count -= n - 1;
    *cursor = i;
    *count = n;
    return true;
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

bool page_alloc_coloured_run(struct page_pool *pool, uint64_t colours, unsigned colour_count,
                             size_t *cursor, size_t max_pages, paddr_t *out, size_t *count)
{
    pool_lock(pool);
    bool ok = alloc_coloured_run_locked(pool, colours, colour_count, cursor, max_pages, out, count);
    pool_unlock(pool);
    return ok;
}
