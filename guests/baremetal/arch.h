/* Armv8-A helpers for the guest: system registers, barriers, IRQ masking and MMIO. */
#ifndef ARCH_H
#define ARCH_H

#include <stdint.h>

#define sysreg_read(r) __extension__({ \
	uint64_t v_; \
	__asm__ __volatile__("mrs %0, " #r : "=r"(v_)); \
	v_; \
})
#define sysreg_write(r, v) \
	__asm__ __volatile__("msr " #r ", %0" : : "r"((uint64_t)(v)) : "memory")

static inline void isb(void) { __asm__ __volatile__("isb" : : : "memory"); }
/* Full-system barriers: with the MMU off all data is Device memory (Arm ARM B2.7). */
static inline void dmb(void) { __asm__ __volatile__("dmb sy" : : : "memory"); }
static inline void dsb(void) { __asm__ __volatile__("dsb sy" : : : "memory"); }
/* The barrier guests/common's code orders shared memory and doorbells with. */
static inline void mb(void) { dsb(); }
/* Every spin loop yields: QEMU's single-threaded modes can otherwise starve peers. */
static inline void cpu_relax(void) { __asm__ __volatile__("yield" : : : "memory"); }
static inline void wfi(void) { __asm__ __volatile__("dsb sy\n\twfi" : : : "memory"); }

/* Vector entries, as exc_handler's vec = offset / 0x80 (Arm ARM D1.10.2):
 * current EL with SP_EL0, current EL with SP_ELx, lower EL (AArch64). */
#define VEC_SP0_SYNC 0
#define VEC_SPX_SYNC 4
#define VEC_SPX_IRQ 5
#define VEC_LOWER_SYNC 8

/* ESR_ELx.EC, the exception class (Arm ARM D17.2.37: bits [31:26]). */
#define ESR_EC(esr) ((unsigned)((esr) >> 26) & 0x3fu)

static inline void irq_mask(void) { __asm__ __volatile__("msr daifset, #2" : : : "memory"); }
/* The ISB makes a pending IRQ be taken here, not some instructions later. */
static inline void irq_unmask(void)
{
	__asm__ __volatile__("msr daifclr, #2\n\tisb" : : : "memory");
}

/*
 * MMIO through single LDR/STR without writeback, so a trapping hypervisor
 * gets a valid syndrome (Arm ARM, ESR_ELx ISS for Data Aborts: ISV=1).
 */
static inline uint32_t mmio_r32(uintptr_t a)
{
	uint32_t v;
	__asm__ __volatile__("ldr %w0, [%1]" : "=r"(v) : "r"(a) : "memory");
	return v;
}
static inline void mmio_w32(uintptr_t a, uint32_t v)
{
	__asm__ __volatile__("str %w0, [%1]" : : "r"(v), "r"(a) : "memory");
}
static inline void mmio_w8(uintptr_t a, uint8_t v)
{
	__asm__ __volatile__("strb %w0, [%1]" : : "r"(v), "r"(a) : "memory");
}
static inline void mmio_w64(uintptr_t a, uint64_t v)
{
	__asm__ __volatile__("str %0, [%1]" : : "r"(v), "r"(a) : "memory");
}
static inline uint64_t mmio_r64(uintptr_t a)
{
	uint64_t v;
	__asm__ __volatile__("ldr %0, [%1]" : "=r"(v) : "r"(a) : "memory");
	return v;
}

#endif
