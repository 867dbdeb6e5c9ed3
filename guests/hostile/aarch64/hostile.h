/* The Arm hostile guest's own interface: probing an access, naming what it got, and the GIC attacks. */
#ifndef HOSTILE_H
#define HOSTILE_H

#include <stddef.h>
#include <stdint.h>

/* The platform's addresses (guests/hostile/variants.mk). */
#ifndef HOSTILE_UART
#define HOSTILE_UART 0x09000000UL /* Baohu's console UART, never the VM's */
#endif
#ifndef GUEST_GICD_BASE
#define GUEST_GICD_BASE 0x08000000UL
#endif
#ifndef HOSTILE_SPI
#error "the platform names the SPI of the device the hostile VM owns (guests/hostile/variants.mk)"
#endif
/* SPIs 96-127 (one ISENABLER word): none of them the VM's on any platform. */
#define FOREIGN_WORD 3
#define FOREIGN_SPI 100
#define HOSTILE_OUTSIDE 0x7f000000UL /* in no partition of this VM (RAM is 16 MiB at 0x40000000) */
#define HOSTILE_RAM 0x40000000UL
#define HOSTILE_RAM_SIZE 0x01000000UL

/* Counted per vCPU by the exception and IRQ handlers. */
struct hstate {
	volatile uint32_t exc;     /* synchronous exceptions taken */
	volatile uint64_t esr, far;
	volatile uint32_t sgi[16]; /* SGIs taken, by INTID */
	volatile uint32_t online;
	volatile uint32_t spi;     /* its own SPI (HOSTILE_SPI) taken */
};
extern struct hstate hs[8];

/* probe_begin(); <access>; s = probe_end(): the exception the access raised, or NULL. */
void probe_begin(void);
const char *probe_end(void);
void report(const char *attack, const char *outcome);
void reportf(const char *attack, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* The outcome of a register write then read back: "raz-wi", "wi" or what was read. */
void report_rw(const char *attack, uintptr_t addr, uint32_t write, uint32_t before, uint32_t after);
uint32_t rnd(void);
void delay_ms(unsigned ms);
/* The outcome of an SGI experiment: own vCPUs' SGI counts after a settle time. */
void report_sgi(const char *attack, unsigned intid, uint32_t before0, uint32_t before1);

/* One probed access: the outcome is the exception it raised, or `none` if it raised none. */
#define TRY(attack, none, ...) do { \
	const char *o_; \
	probe_begin(); \
	__VA_ARGS__; \
	o_ = probe_end(); \
	report(attack, o_ ? o_ : none); \
} while (0)
#define ASM(...) __asm__ __volatile__(__VA_ARGS__)
uint8_t r8(uintptr_t a);
/* Read, write `w`, read back; reports the exception or what report_rw makes of it. */
void rw32(const char *attack, uintptr_t a, uint32_t w);

/* attack_gicv3.c / attack_gicv2.c */
void attack_gic(void);
void attack_gic_storm(void);

#endif
