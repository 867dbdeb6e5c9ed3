/* Sv39 / Sv39x4 translation tables: one builder for Baohu's own satp and for each VM's hgatp. */
#ifndef BAOHU_RISCV64_PT_H
#define BAOHU_RISCV64_PT_H

#include "page_alloc.h"
#include "types.h"

/*
 * Three levels of 512 8-byte PTEs (RISC-V priv. §4.4 "Sv39"): the root
 * resolves VA[38:30] (1 GiB per entry), then [29:21] (2 MiB), then
 * [20:12] (4 KiB). For G-stage Sv39x4 the root is widened by 2 bits to
 * GPA[40:30]: 2048 entries, 16 KiB, 16 KiB aligned (priv. §9.5.1).
 * Tables come from `pool` and are zeroed; Baohu maps RAM identically, so a
 * table's physical address is also its pointer. Leaf permission bits
 * (R, W, X, U, G, A, D) are the caller's, V is added here.
 */
struct pt {
    paddr_t root;
    unsigned va_bits; /* 39 (Sv39) or 41 (Sv39x4) */
    struct page_pool *pool;
};

bool pt_init(struct pt *pt, struct page_pool *pool, unsigned va_bits);
/* Map [in, in+size) to [out, out+size), all 4 KiB aligned. 1 GiB / 2 MiB
 * superpages where in, out and the remaining size allow, splitting an
 * existing superpage when a smaller mapping lands inside it. False on
 * misalignment, out of range, or no table memory (then nothing changed). */
bool pt_map(struct pt *pt, uint64_t in, uint64_t out, uint64_t size, uint64_t leaf_attrs);
bool pt_unmap(struct pt *pt, uint64_t in, uint64_t size);
/* Translate: true and *out / *attrs (leaf flag bits) if `in` is mapped. */
bool pt_lookup(const struct pt *pt, uint64_t in, uint64_t *out, uint64_t *attrs);

struct pt_leaf {
    uint64_t in, out, size, attrs;
};
typedef bool (*pt_visit_fn)(const struct pt_leaf *leaf, void *ctx);
/* Calls visit() for each leaf in address order; stops when it returns false. */
bool pt_walk(const struct pt *pt, pt_visit_fn visit, void *ctx);

/* PTE bits (priv. §4.4.1, Figure "Sv39 page table entry"). */
#define PTE_V (1ull << 0)
#define PTE_R (1ull << 1)
#define PTE_W (1ull << 2)
#define PTE_X (1ull << 3)
#define PTE_U (1ull << 4) /* G-stage leaves must have U: all its accesses are U-mode (§9.5.1) */
#define PTE_G (1ull << 5)
#define PTE_A (1ull << 6)
#define PTE_D (1ull << 7)
#define PTE_PPN_SHIFT 10
#define PTE_PPN_MASK (((1ull << 44) - 1) << PTE_PPN_SHIFT)

/* Called by pt.c right after it cleared a valid entry covering [in, in+size)
 * and before it writes the replacement or frees tables below it: the
 * hypervisor flushes the matching TLB entries (SFENCE.VMA / HFENCE.GVMA,
 * priv. §4.2.1, §9.3.2); unit tests provide a host stub. */
void pt_arch_invalidate(const struct pt *pt, uint64_t in, uint64_t size);

#endif
