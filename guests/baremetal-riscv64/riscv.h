/* RISC-V helpers for the guest: CSRs, interrupt bits, fences and MMIO. */
#ifndef RISCV_H
#define RISCV_H

#include <stdint.h>

#define csr_read(c) __extension__({ \
	uint64_t v_; \
	__asm__ __volatile__("csrr %0, " #c : "=r"(v_) : : "memory"); \
	v_; \
})
#define csr_write(c, v) __asm__ __volatile__("csrw " #c ", %0" : : "r"((uint64_t)(v)) : "memory")
#define csr_set(c, v) __asm__ __volatile__("csrs " #c ", %0" : : "r"((uint64_t)(v)) : "memory")
#define csr_clear(c, v) __asm__ __volatile__("csrc " #c ", %0" : : "r"((uint64_t)(v)) : "memory")

/* sie/sip bits and scause codes (RISC-V priv. §4.1.3, §4.1.9). */
#define IRQ_SSI 1
#define IRQ_STI 5
#define IRQ_SEI 9
#define SSTATUS_SIE (1u << 1)
#define SCAUSE_IRQ (1ull << 63)
#define EXC_ILLEGAL 2

static inline void fence(void) { __asm__ __volatile__("fence rw, rw" : : : "memory"); }
/* The barrier guests/common's code orders shared memory and doorbells with. */
static inline void mb(void) { fence(); }
/* PAUSE (Zihintpause; a FENCE hint elsewhere): every spin loop has one. */
static inline void cpu_relax(void)
{
	__asm__ __volatile__(".insn i 0x0f, 0, x0, x0, 0x010" : : : "memory");
}
static inline void wfi(void) { __asm__ __volatile__("wfi" : : : "memory"); }
static inline void irq_mask(void) { csr_clear(sstatus, SSTATUS_SIE); }
static inline void irq_unmask(void) { csr_set(sstatus, SSTATUS_SIE); }

/* MMIO through single lw/sw, which a trapping hypervisor can decode. */
static inline uint32_t mmio_r32(uintptr_t a)
{
	uint32_t v;
	__asm__ __volatile__("lw %0, 0(%1)" : "=r"(v) : "r"(a) : "memory");
	return v;
}
static inline void mmio_w32(uintptr_t a, uint32_t v)
{
	__asm__ __volatile__("sw %0, 0(%1)" : : "r"(v), "r"(a) : "memory");
}

#endif
