/* Filling a VM's RAM before its guest runs: 64-bit stores, 2 KiB per loop. */
#include "arch.h"

/*
 * RISC-V has no memory types in its page tables (priv. §3.6: cacheability is
 * the platform's PMA) and QEMU's harts are coherent for every access, so
 * there is no alias to write through and nothing to clean: the FENCE after
 * the stores orders them before whatever starts the guest (unpriv. §2.7).
 *
 * Zicboz (CBO.ZERO, a cache block at a time) would cut the instruction count
 * eightfold, but Baohu reads no ISA string yet, and an HS-mode CBO.ZERO is
 * an illegal instruction unless M-mode set menvcfg.CBZE (Zicboz §3.2): with
 * no way to know, the stores below are what every RV64 hart has.
 * `reused` changes nothing here: without Zicbom there is no cache
 * maintenance to do.
 */

/* Unrolled loop bodies with literal offsets (no assembler symbols, which a
 * second inlined copy would redefine): S1(n) stores at 8 * n for the octal
 * digits n, S256 at 0, 8, ..., 2040; C4(r) is round r of a 32-byte copy. */
#define S1(n) "sd zero, 8*0" #n "(%0)\n"
#define S8(n) S1(n##0) S1(n##1) S1(n##2) S1(n##3) S1(n##4) S1(n##5) S1(n##6) S1(n##7)
#define S64(n) S8(n##0) S8(n##1) S8(n##2) S8(n##3) S8(n##4) S8(n##5) S8(n##6) S8(n##7)
#define S256 S64(0) S64(1) S64(2) S64(3)
#define C4(r)                                                                            \
    "ld t0, 32*" #r "(%1)\n ld t1, 32*" #r "+8(%1)\n ld t2, 32*" #r "+16(%1)\n"           \
    "ld t3, 32*" #r "+24(%1)\n sd t0, 32*" #r "(%0)\n sd t1, 32*" #r "+8(%0)\n"            \
    "sd t2, 32*" #r "+16(%0)\n sd t3, 32*" #r "+24(%0)\n"

static void zero_bytes(uint8_t *p, uint64_t n)
{
    for (uint64_t i = 0; i < n; i++)
        ((volatile uint8_t *)p)[i] = 0;
}

/* Not inlined (LTO would put the unrolled loops at every call site): one
 * call per extent is nothing beside the bytes it fills. */
__attribute__((noinline)) void arch_ram_zero_at(void *va, uint64_t size, bool reused)
{
    (void)reused;
    uint8_t *p = va;
    uint64_t head = (uint64_t)(-(uintptr_t)p & 7);
    if (head > size)
        head = size;
    zero_bytes(p, head);
    p += head;
    size -= head;
    /* 256 stores (offsets 0..2040: a 12-bit immediate) and one ADD and
     * branch per 2 KiB: 8.06 instructions per 64 bytes, the floor without
     * Zicboz being 8. */
    if (size >= 2048) {
        uint8_t *end = p + (size & ~2047ull);
        uint64_t step = 2048;
        __asm__ volatile("1:\n" S256 " add %0, %0, %2\n bltu %0, %1, 1b"
                         : "+r"(p) : "r"(end), "r"(step) : "memory");
        size &= 2047;
    }
    for (; size >= 64; p += 64, size -= 64)
        __asm__ volatile("sd zero, 0(%0)\n sd zero, 8(%0)\n sd zero, 16(%0)\n sd zero, 24(%0)\n"
                         "sd zero, 32(%0)\n sd zero, 40(%0)\n sd zero, 48(%0)\n sd zero, 56(%0)"
                         ::"r"(p) : "memory");
    for (; size >= 8; p += 8, size -= 8)
        __asm__ volatile("sd zero, 0(%0)" ::"r"(p) : "memory");
    zero_bytes(p, size);
    __asm__ volatile("fence rw, rw" ::: "memory");
}

__attribute__((noinline)) void arch_ram_copy_at(void *va, const void *src, uint64_t size, bool reused)
{
    (void)reused;
    uint8_t *d = va;
    const uint8_t *s = src;
    if ((((uintptr_t)d | (uintptr_t)s) & 7) == 0) {
        /* 256 bytes per loop: eight rounds of four loads and four stores. */
        if (size >= 256) {
            uint8_t *end = d + (size & ~255ull);
            __asm__ volatile("1:\n" C4(0) C4(1) C4(2) C4(3) C4(4) C4(5) C4(6) C4(7)
                             " addi %0, %0, 256\n addi %1, %1, 256\n bltu %0, %2, 1b"
                             : "+r"(d), "+r"(s) : "r"(end) : "t0", "t1", "t2", "t3", "memory");
            size &= 255;
        }
        for (; size >= 32; d += 32, s += 32, size -= 32) {
            uint64_t a, b, c, e;
            __asm__ volatile("ld %0, 0(%4)\n ld %1, 8(%4)\n ld %2, 16(%4)\n ld %3, 24(%4)"
                             : "=&r"(a), "=&r"(b), "=&r"(c), "=&r"(e)
                             : "r"(s) : "memory");
            __asm__ volatile("sd %0, 0(%4)\n sd %1, 8(%4)\n sd %2, 16(%4)\n sd %3, 24(%4)"
                             ::"r"(a), "r"(b), "r"(c), "r"(e), "r"(d) : "memory");
        }
    }
    for (uint64_t i = 0; i < size; i++)
        ((volatile uint8_t *)d)[i] = s[i];
    __asm__ volatile("fence rw, rw" ::: "memory");
}

/* RAM is mapped at VA == PA (windows, mmu.c). */
void arch_ram_zero(paddr_t pa, uint64_t size, bool reused)
{
    arch_ram_zero_at((void *)(uintptr_t)pa_addr(pa), size, reused);
}

void arch_ram_copy(paddr_t pa, const void *src, uint64_t size, bool reused)
{
    arch_ram_copy_at((void *)(uintptr_t)pa_addr(pa), src, size, reused);
}

/*
 * Instruction fetches need not see stores without FENCE.I (unpriv. §3.1,
 * Zifencei), and FENCE.I orders only the hart that runs it: this hart's
 * here, after the load; each vCPU's own hart runs it again in
 * arch_vcpu_reset before it enters the guest, so no hart of the VM fetches
 * an instruction of the old content. (QEMU models no instruction cache:
 * its translated blocks are dropped on the stores themselves.)
 */
void arch_vm_code_sync(struct vm *vm)
{
    (void)vm;
    __asm__ volatile("fence rw, rw\n fence.i" ::: "memory");
}
