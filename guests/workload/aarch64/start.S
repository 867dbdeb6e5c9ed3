/* Workload guest (Armv8-A EL1, MMU off) entry point and vector table. */

#define SCTLR_EL1_OFF 0x30d00800 /* RES1 bits only: MMU, caches, alignment checks off */
#define CPACR_EL1_FPEN (3 << 20) /* FP/SIMD at EL1 and EL0 not trapped (D13.2.30) */
#define STACK_SIZE 0x8000

	.section .text.boot, "ax"
	.global _start
_start:
	msr	daifset, #0xf
	mrs	x1, mpidr_el1
	and	x1, x1, #0xff
	cbnz	x1, stop		/* only CPU 0 runs */
	ldr	x1, =__bss_start
	ldr	x2, =__bss_end
1:	cmp	x1, x2
	b.hs	2f
	stp	xzr, xzr, [x1], #16
	b	1b
2:	ldr	x1, =SCTLR_EL1_OFF
	msr	sctlr_el1, x1
	mov	x1, #CPACR_EL1_FPEN
	msr	cpacr_el1, x1
	ldr	x1, =vectors
	msr	vbar_el1, x1
	isb
	msr	spsel, #1
	ldr	x1, =stack_top
	mov	sp, x1
	bl	workload_main
stop:
	msr	daifset, #0xf
	wfi
	b	stop

/* Vectors (Arm ARM D1.10.2): only the IRQ entry for EL1 with SP_EL1 (0x280) is expected. */
.macro bad_vector n
	.balign	0x80
	mov	x0, #\n
	b	bad_exception
.endm

	.section .text.vectors, "ax"
	.balign	2048
vectors:
	bad_vector 0
	bad_vector 1
	bad_vector 2
	bad_vector 3
	bad_vector 4
	.balign	0x80		/* IRQ, EL1h */
	b	irq_entry
	bad_vector 6
	bad_vector 7
	bad_vector 8
	bad_vector 9
	bad_vector 10
	bad_vector 11
	bad_vector 12
	bad_vector 13
	bad_vector 14
	bad_vector 15

/* The handler is built with general registers only: x0-x18 and x30 are all it may clobber. */
irq_entry:
	stp	x0, x1, [sp, #-16]!
	stp	x2, x3, [sp, #-16]!
	stp	x4, x5, [sp, #-16]!
	stp	x6, x7, [sp, #-16]!
	stp	x8, x9, [sp, #-16]!
	stp	x10, x11, [sp, #-16]!
	stp	x12, x13, [sp, #-16]!
	stp	x14, x15, [sp, #-16]!
	stp	x16, x17, [sp, #-16]!
	stp	x18, x30, [sp, #-16]!
	bl	workload_irq
	ldp	x18, x30, [sp], #16
	ldp	x16, x17, [sp], #16
	ldp	x14, x15, [sp], #16
	ldp	x12, x13, [sp], #16
	ldp	x10, x11, [sp], #16
	ldp	x8, x9, [sp], #16
	ldp	x6, x7, [sp], #16
	ldp	x4, x5, [sp], #16
	ldp	x2, x3, [sp], #16
	ldp	x0, x1, [sp], #16
	eret

bad_exception:
	mrs	x1, esr_el1
	mrs	x2, elr_el1
	bl	workload_fatal
	b	stop

	.section .bss.stack, "aw", %nobits
	.balign	16
	.space	STACK_SIZE
stack_top:

	.section .note.GNU-stack, "", %progbits
