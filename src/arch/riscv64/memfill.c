/* Filling a VM's RAM before its guest runs: 64-bit stores, eight per loop. */
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

static void zero_bytes(uint8_t *p, uint64_t n)
{
    for (uint64_t i = 0; i < n; i++)
        ((volatile uint8_t *)p)[i] = 0;
}

void arch_ram_zero(paddr_t pa, uint64_t size, bool reused)
{
    (void)reused;
    uint8_t *p = (uint8_t *)(uintptr_t)pa_addr(pa);
    uint64_t head = (uint64_t)(-(uintptr_t)p & 7);
    if (head > size)
        head = size;
    zero_bytes(p, head);
    p += head;
    size -= head;
    for (; size >= 64; p += 64, size -= 64)
        __asm__ volatile("sd zero, 0(%0)\n sd zero, 8(%0)\n sd zero, 16(%0)\n sd zero, 24(%0)\n"
                         "sd zero, 32(%0)\n sd zero, 40(%0)\n sd zero, 48(%0)\n sd zero, 56(%0)"
                         ::"r"(p) : "memory");
    for (; size >= 8; p += 8, size -= 8)
        __asm__ volatile("sd zero, 0(%0)" ::"r"(p) : "memory");
    zero_bytes(p, size);
    __asm__ volatile("fence rw, rw" ::: "memory");
}

void arch_ram_copy(paddr_t pa, const void *src, uint64_t size, bool reused)
{
    (void)reused;
    uint8_t *d = (uint8_t *)(uintptr_t)pa_addr(pa);
    const uint8_t *s = src;
    if ((((uintptr_t)d | (uintptr_t)s) & 7) == 0) {
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
