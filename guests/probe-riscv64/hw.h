/* RV64 helpers of the probe guest: CSRs, SBI calls, MMIO, the counter. */
#ifndef PROBE_HW_H
#define PROBE_HW_H

#include <stdint.h>

#define CSR_GET(c) __extension__({ \
	uint64_t v_; \
	__asm__ __volatile__("csrr %0, " #c : "=r"(v_) : : "memory"); \
	v_; \
})
#define CSR_SET(c, v) __asm__ __volatile__("csrw " #c ", %0" : : "r"((uint64_t)(v)) : "memory")
#define CSR_OR(c, v) __asm__ __volatile__("csrs " #c ", %0" : : "r"((uint64_t)(v)) : "memory")
#define CSR_CLR(c, v) __asm__ __volatile__("csrc " #c ", %0" : : "r"((uint64_t)(v)) : "memory")

/* sie/sip bits and scause (privileged spec §4.1). */
#define IRQ_SSI 1u
#define IRQ_STI 5u
#define IRQ_SEI 9u
#define SSTATUS_SIE (1u << 1)
#define SCAUSE_INTR (1ull << 63)
#define EXC_ILLEGAL 2u

static inline void irqs_on(void) { CSR_OR(sstatus, SSTATUS_SIE); }
static inline void irqs_off(void) { CSR_CLR(sstatus, SSTATUS_SIE); }
/* PAUSE (Zihintpause). Under icount it does NOT hand QEMU's thread to another
 * hart (only WFI does): waits that need another hart to run use WFI. */
static inline void relax(void) { __asm__ __volatile__(".insn i 0x0f, 0, x0, x0, 0x010" : : : "memory"); }
static inline void wfi(void) { __asm__ __volatile__("wfi" : : : "memory"); }

static inline void wr32(uintptr_t a, uint32_t v)
{
	__asm__ __volatile__("sw %0, 0(%1)" : : "r"(v), "r"(a) : "memory");
}

/* The time CSR: QEMU virt's 10 MHz timebase, 100 ns = 6.25 instructions under -icount shift=4. */
static inline uint64_t counter(void)
{
	uint64_t t;
	__asm__ __volatile__("rdtime %0" : "=r"(t) : : "memory");
	return t;
}

struct sbiret {
	int64_t error;
	int64_t value;
};

static inline struct sbiret sbi(uint64_t ext, uint64_t fid, uint64_t a0, uint64_t a1, uint64_t a2)
{
	register uint64_t r0 __asm__("a0") = a0;
	register uint64_t r1 __asm__("a1") = a1;
	register uint64_t r2 __asm__("a2") = a2;
	register uint64_t r6 __asm__("a6") = fid;
	register uint64_t r7 __asm__("a7") = ext;

	__asm__ __volatile__("ecall" : "+r"(r0), "+r"(r1) : "r"(r2), "r"(r6), "r"(r7) : "memory");
	return (struct sbiret){(int64_t)r0, (int64_t)r1};
}

#define SBI_EXT_LEGACY_PUTCHAR 0x01u
#define SBI_EXT_BASE 0x10u
#define SBI_EXT_TIME 0x54494d45u
#define SBI_EXT_IPI 0x735049u
#define SBI_EXT_HSM 0x48534du
#define SBI_EXT_SRST 0x53525354u

#endif
