/* Filling a VM's RAM before its guest runs: zero and copy at cache-line speed, DC ZVA and whole-line maintenance. */
#include "arch.h"
#include "arch_layout.h"
#include "sysreg.h"

/*
 * Two ways to make RAM hold what the guest must see (Arm ARM B2.8 on
 * mismatched attributes, D7.5.9 on cache maintenance by VA):
 *
 * - fresh (a VM's first build): the pages have never been written through a
 *   cacheable mapping since reset (the boot protocol hands memory over with
 *   caches clean and invalid, and Baohu never wrote them): write them
 *   through Baohu's Normal Non-cacheable alias (HYP_NC_ALIAS, mmu.c). The
 *   data goes straight to memory, where a guest with its caches off reads
 *   it, and no clean is needed afterwards.
 * - reused (a VM reset): the old run may hold dirty lines of these pages;
 *   a write to memory beside them would be undone by their eviction. Write
 *   through the cacheable identity map (DC ZVA allocates the zeros in the
 *   cache, replacing any old line), then clean and invalidate each line to
 *   the point of coherency (DC CIVAC): memory holds the new bytes and no
 *   cache holds a line of these pages at all. A clean alone (DC CVAC) would
 *   leave clean lines behind: a guest that writes with its caches off (the
 *   Linux boot protocol's state) and then turns them on would read those
 *   lines in place of what it wrote.
 *
 * The instruction side is arch_vm_code_sync (IC IALLUIS), once per load.
 */

/* DCZID_EL0 (Arm ARM D17.2.34): BS = log2 of the DC ZVA block in words,
 * DZP = DC ZVA prohibited. Read on each call: one MRS, no shared state. */
static uint64_t zva_block(void)
{
    uint64_t dczid = sysreg_read(dczid_el0);
    return (dczid & (1u << 4)) ? 0 : 4ull << (dczid & 0xf);
}

/* CTR_EL0.DminLine (Arm ARM D17.2.33): the smallest data cache line, log2 words. */
static uint64_t dcache_line(void)
{
    return 4ull << ((sysreg_read(ctr_el0) >> 16) & 0xf);
}

static void zero_bytes(uint8_t *p, uint64_t n)
{
    for (uint64_t i = 0; i < n; i++)
        ((volatile uint8_t *)p)[i] = 0;
}

/*
 * Bulk stores of 64 bytes per instruction: ST1 {v0-v3} / LD1 {v0-v3} with
 * post-index (Arm ARM C7.2.321 ST1 multiple structures, four registers).
 * DC ZVA takes no offset and has no writeback, so with 64-byte blocks (the
 * Cortex-A53's DCZID_EL0.BS = 4) each line costs the DC ZVA and an ADD; one
 * ST1 writes the same line in one instruction, and a copy is one LD1 and one
 * ST1 per line instead of four LDP and four STP. Baohu is built without FP
 * registers (the guest owns them; CPTR_EL2.TFP = 0, vcpu.c), so these
 * functions save the eight they use and put them back: a build or reset
 * leaves the caller's FP state as it found it. The encodings need the SIMD
 * extension, which -mgeneral-regs-only leaves out of the assembler's view.
 */
#define SIMD_SAVE(buf)                                                                   \
    __asm__ volatile(".arch_extension simd\n stp q0, q1, [%0]\n stp q2, q3, [%0, #32]\n" \
                     "stp q4, q5, [%0, #64]\n stp q6, q7, [%0, #96]" ::"r"(buf) : "memory")
#define SIMD_RESTORE(buf)                                                                \
    __asm__ volatile(".arch_extension simd\n ldp q0, q1, [%0]\n ldp q2, q3, [%0, #32]\n" \
                     "ldp q4, q5, [%0, #64]\n ldp q6, q7, [%0, #96]" ::"r"(buf) : "memory")

/* [p, p+n) with n a multiple of 8 KiB: 128 ST1 of zero registers per loop, so
 * the loop's CMP and branch cost 1/64 of an instruction per line. */
static uint8_t *zero_simd(uint8_t *p, uint64_t n)
{
    uint8_t *end = p + n;
    _Alignas(16) uint64_t save[16];
    SIMD_SAVE(save);
    __asm__ volatile(".arch_extension simd\n movi v0.2d, #0\n movi v1.2d, #0\n"
                     " movi v2.2d, #0\n movi v3.2d, #0\n"
                     "1:\n .rept 128\n st1 {v0.16b, v1.16b, v2.16b, v3.16b}, [%0], #64\n .endr\n"
                     " cmp %0, %1\n b.lo 1b"
                     : "+r"(p) : "r"(end) : "memory", "cc");
    SIMD_RESTORE(save);
    return p;
}

/* [p, p+n), any alignment: bytes up to 16-byte alignment, then whole 8 KiB
 * chunks with ST1 (above) where the DC ZVA block is under 128 bytes, else
 * DC ZVA over whole blocks (Arm ARM C6.2.92: zeroes one naturally aligned
 * block; with 256-byte blocks, e.g. A64FX, its ADD costs half an instruction
 * per line), STP of zero registers for the rest. */
static void zero_range(uint8_t *p, uint64_t n)
{
    uint64_t head = (uint64_t)(-(uintptr_t)p & 15);
    if (head >= n) {
        zero_bytes(p, n);
        return;
    }
    zero_bytes(p, head);
    p += head;
    n -= head;
    uint64_t bs = zva_block();
    if (bs < 128 && n >= 8192) {
        p = zero_simd(p, n & ~8191ull);
        n &= 8191;
    } else if (bs >= 16 && n >= 2 * bs) {
        uint64_t pre = (uint64_t)(-(uintptr_t)p & (bs - 1));
        for (uint64_t i = 0; i < pre; i += 16)
            __asm__ volatile("stp xzr, xzr, [%0]" ::"r"(p + i) : "memory");
        p += pre;
        n -= pre;
        uint8_t *end = p + (n & ~(bs - 1));
        /* Sixteen DC ZVA per loop leave the loop's CMP and branch an
         * eighth of an instruction per block. */
        uint8_t *end16 = p + ((uint64_t)(end - p) & ~(16 * bs - 1));
        if (p < end16)
            __asm__ volatile("1:\n .rept 16\n dc zva, %0\n add %0, %0, %2\n .endr\n"
                             " cmp %0, %1\n b.lo 1b"
                             : "+r"(p) : "r"(end16), "r"(bs) : "memory", "cc");
        for (; p < end; p += bs)
            __asm__ volatile("dc zva, %0" ::"r"(p) : "memory");
        n &= bs - 1;
    }
    for (; n >= 64; p += 64, n -= 64)
        __asm__ volatile("stp xzr, xzr, [%0]\n stp xzr, xzr, [%0, #16]\n"
                         "stp xzr, xzr, [%0, #32]\n stp xzr, xzr, [%0, #48]" ::"r"(p) : "memory");
    for (; n >= 16; p += 16, n -= 16)
        __asm__ volatile("stp xzr, xzr, [%0]" ::"r"(p) : "memory");
    zero_bytes(p, n);
}

/* 1 KiB per loop with LD1/ST1 (two instructions per 64 bytes, above) when
 * both sides are 16-byte aligned (the usual case: images and RAM regions
 * are page aligned), then bytes. */
static void copy_range(uint8_t *d, const uint8_t *s, uint64_t n)
{
    if ((((uintptr_t)d | (uintptr_t)s) & 15) == 0 && n >= 1024) {
        uint8_t *end = d + (n & ~1023ull);
        _Alignas(16) uint64_t save[16];
        SIMD_SAVE(save);
        __asm__ volatile(".arch_extension simd\n"
                         "1:\n .rept 8\n"
                         " ld1 {v0.16b, v1.16b, v2.16b, v3.16b}, [%1], #64\n"
                         " ld1 {v4.16b, v5.16b, v6.16b, v7.16b}, [%1], #64\n"
                         " st1 {v0.16b, v1.16b, v2.16b, v3.16b}, [%0], #64\n"
                         " st1 {v4.16b, v5.16b, v6.16b, v7.16b}, [%0], #64\n"
                         " .endr\n cmp %0, %2\n b.lo 1b"
                         : "+r"(d), "+r"(s) : "r"(end) : "memory", "cc");
        SIMD_RESTORE(save);
        n &= 1023;
    }
    for (uint64_t i = 0; i < n; i++)
        ((volatile uint8_t *)d)[i] = s[i];
}

/* DC CIVAC per line over [p, p+n), one barrier at the end (Arm ARM D7.5.9:
 * completion of maintenance is only guaranteed after a DSB). */
static void clean_inval_range(const uint8_t *p, uint64_t n)
{
    uint64_t line = dcache_line();
    uintptr_t a = (uintptr_t)p & ~(line - 1), end = (uintptr_t)p + n;
    for (; a + 4 * line <= end; a += 4 * line)
        __asm__ volatile("dc civac, %0\n dc civac, %1\n dc civac, %2\n dc civac, %3"
                         ::"r"(a), "r"(a + line), "r"(a + 2 * line), "r"(a + 3 * line)
                         : "memory");
    for (; a < end; a += line)
        __asm__ volatile("dc civac, %0" ::"r"(a) : "memory");
}

/* Where Baohu writes `pa` from: the non-cacheable alias when the page is
 * fresh and the alias covers it, else the cacheable identity map. */
static uint8_t *ram_va(paddr_t pa, uint64_t size, bool reused, bool *nc)
{
    uint64_t a = pa_addr(pa);
    *nc = !reused && a + size <= HYP_NC_ALIAS_LIMIT && a + size >= a;
    return (uint8_t *)(uintptr_t)(*nc ? a + HYP_NC_ALIAS : a);
}

/* Not inlined (LTO would put the unrolled loops at every call site): one
 * call per extent is nothing beside the bytes it fills. */
__attribute__((noinline)) void arch_ram_zero(paddr_t pa, uint64_t size, bool reused)
{
    bool nc;
    uint8_t *p = ram_va(pa, size, reused, &nc);
    zero_range(p, size);
    if (!nc)
        clean_inval_range(p, size);
    dsb(sy);
}

__attribute__((noinline)) void arch_ram_copy(paddr_t pa, const void *src, uint64_t size, bool reused)
{
    bool nc;
    uint8_t *p = ram_va(pa, size, reused, &nc);
    copy_range(p, src, size);
    if (!nc)
        clean_inval_range(p, size);
    dsb(sy);
}

/* The VM window maps fresh pages Non-cacheable (mmu.c), like the alias. */
__attribute__((noinline)) void arch_ram_zero_at(void *va, uint64_t size, bool reused)
{
    zero_range(va, size);
    if (reused)
        clean_inval_range(va, size);
    dsb(sy);
}

__attribute__((noinline)) void arch_ram_copy_at(void *va, const void *src, uint64_t size, bool reused)
{
    copy_range(va, src, size);
    if (reused)
        clean_inval_range(va, size);
    dsb(sy);
}

/*
 * After a load every CPU's instruction cache may still hold lines of the
 * previous content of these pages (the old run's code, or whatever the
 * pages held before they were the VM's). IC IALLUIS invalidates all
 * instruction caches of the Inner Shareable domain to the point of
 * unification (Arm ARM D7.5.7); the data side is at the PoC already
 * (above), which lies beyond the PoU. DSB before: the DC maintenance
 * completes first; DSB after: the invalidation completes before any vCPU
 * of the VM is started (the release in vm_vcpu_start follows).
 */
void arch_vm_code_sync(struct vm *vm)
{
    (void)vm;
    __asm__ volatile("dsb ish\n ic ialluis\n dsb ish\n isb" ::: "memory");
}
