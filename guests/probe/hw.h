/* Armv8-A helpers of the probe guest: system registers, barriers, MMIO, counter. */
#ifndef PROBE_HW_H
#define PROBE_HW_H

#include <stdint.h>

#define SYSREG_GET(r) __extension__({ \
	uint64_t v_; \
	__asm__ __volatile__("mrs %0, " #r : "=r"(v_)); \
	v_; \
})
#define SYSREG_SET(r, v) \
	__asm__ __volatile__("msr " #r ", %0" : : "r"((uint64_t)(v)) : "memory")

static inline void isb(void) { __asm__ __volatile__("isb" : : : "memory"); }
static inline void dsb(void) { __asm__ __volatile__("dsb sy" : : : "memory"); }
/* Every wait loop yields: under QEMU icount all CPUs share one thread, and
 * `yield` is what hands it to the next CPU (WFI is not used: its wake-up is
 * distorted under icount). */
static inline void relax(void) { __asm__ __volatile__("yield" : : : "memory"); }

static inline void irqs_on(void) { __asm__ __volatile__("msr daifclr, #2\n\tisb" : : : "memory"); }
static inline void irqs_off(void) { __asm__ __volatile__("msr daifset, #2" : : : "memory"); }

/* Single LDR/STR without writeback: a trapping hypervisor gets a full syndrome. */
static inline uint32_t rd32(uintptr_t a)
{
	uint32_t v;
	__asm__ __volatile__("ldr %w0, [%1]" : "=r"(v) : "r"(a) : "memory");
	return v;
}
static inline void wr32(uintptr_t a, uint32_t v)
{
	__asm__ __volatile__("str %w0, [%1]" : : "r"(v), "r"(a) : "memory");
}
static inline uint64_t rd64(uintptr_t a)
{
	uint64_t v;
	__asm__ __volatile__("ldr %0, [%1]" : "=r"(v) : "r"(a) : "memory");
	return v;
}

/* The virtual counter; under QEMU -icount shift=4 one tick = one instruction. */
static inline uint64_t counter(void)
{
	isb();
	return SYSREG_GET(cntvct_el0);
}

static inline unsigned this_cpu(void) { return (unsigned)(SYSREG_GET(mpidr_el1) & 0xff); }

#endif
