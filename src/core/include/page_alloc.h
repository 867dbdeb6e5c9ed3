/* Physical page allocator: one bitmap over a contiguous range of RAM pages. */
#ifndef BAOHU_PAGE_ALLOC_H
#define BAOHU_PAGE_ALLOC_H

#include "spinlock.h"
#include "types.h"

struct page_pool {
    spinlock_t lock;   /* held by every call below that changes the bitmap ... */
    bool shared;       /* ... once page_pool_share() said other CPUs use it */
    paddr_t base;      /* first page managed */
    size_t page_count;
    uint64_t *bitmap;  /* 1 bit per page, 1 = in use; caller-provided storage */
    size_t free_count;
};

/* bitmap must hold page_count bits; all pages start free. */
void page_pool_init(struct page_pool *pool, paddr_t base, size_t page_count, uint64_t *bitmap);
/* From now on other CPUs use the pool too (call with the MMU on). */
void page_pool_share(struct page_pool *pool);
/* Mark [pa, pa + pages*4K) used. False if any of it lies outside the pool or is already used. */
bool page_pool_reserve(struct page_pool *pool, paddr_t pa, size_t pages);
/* `pages` contiguous free pages whose first page's address is a multiple of
 * align_pages * 4 KiB (align_pages a power of two, >= 1). False if none. */
bool page_alloc(struct page_pool *pool, size_t pages, size_t align_pages, paddr_t *out);
/*
 * Cache colouring: a page's colour is its page frame number modulo the
 * number of LLC colours (LLC size / (ways x page size)), i.e. which LLC sets
 * its lines map to. page_alloc_coloured takes one free page whose colour is
 * in the bitmap `colours`, scanning from *cursor (a page index, 0 at first)
 * so a run of calls for one VM costs one pass over the pool.
 */
unsigned page_colour(paddr_t pa, unsigned colour_count);
/* The colour of the page after one of `colour`: consecutive pages have
 * consecutive colours, wrapping at colour_count (no division). */
static inline unsigned page_colour_next(unsigned colour, unsigned colour_count)
{
    return colour + 1 == colour_count ? 0 : colour + 1;
}
bool page_alloc_coloured(struct page_pool *pool, uint64_t colours, unsigned colour_count,
                         size_t *cursor, paddr_t *out);
/* The same, then as many following pages (free, of the colours) as there
 * are, up to max_pages in all: *out is the first, *count how many. */
bool page_alloc_coloured_run(struct page_pool *pool, uint64_t colours, unsigned colour_count,
                             size_t *cursor, size_t max_pages, paddr_t *out, size_t *count);
void page_free(struct page_pool *pool, paddr_t pa, size_t pages);
bool page_is_used(const struct page_pool *pool, paddr_t pa);

#endif
