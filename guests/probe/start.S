/* Probe guest entry points and EL1 vector table. */

#define SCTLR_EL1_OFF 0x30d00800 /* RES1 bits only: MMU, caches, alignment checks off */
#define STACK_SIZE 0x4000
#define MAX_CPUS 4

	.section .text.boot, "ax"
	.global _start
_start:
	mrs	x20, cntvct_el0		/* the guest's first instruction: when it ran (boot probe) */
	msr	daifset, #0xf
	mrs	x1, mpidr_el1
	and	x1, x1, #0xff
	cbnz	x1, stop		/* only CPU 0 enters at the image entry */
	ldr	x1, =__bss_start
	ldr	x2, =__bss_end
1:	cmp	x1, x2
	b.hs	2f
	stp	xzr, xzr, [x1], #16
	b	1b
2:	ldr	x1, =boot_first_insn
	str	x20, [x1]
	mov	x19, #0
	b	common

	/* PSCI CPU_ON entry: x0 = context id = CPU number. */
	.global cpu_on_entry
cpu_on_entry:
	msr	daifset, #0xf
	mov	x19, x0
	cmp	x19, #MAX_CPUS
	b.hs	stop

common:
	ldr	x1, =SCTLR_EL1_OFF
	msr	sctlr_el1, x1
	ldr	x1, =vectors
	msr	vbar_el1, x1
	isb
	msr	spsel, #1
	ldr	x1, =stacks
	add	x2, x19, #1
	add	x1, x1, x2, lsl #14	/* STACK_SIZE = 1 << 14 */
	mov	sp, x1
	mov	x0, x19
	cbnz	x19, 3f
	bl	probe_main
	b	stop
3:	bl	probe_secondary
stop:
	msr	daifset, #0xf
	wfi
	b	stop

/*
 * Vectors (Arm ARM D1.10.2: 16 entries of 0x80 bytes, table 2 KiB aligned).
 * Only the IRQ entry for EL1 with SP_EL1 (offset 0x280) is expected: its
 * second instruction reads the counter, the timestamp every probe uses.
 */
.macro bad_vector n
	.balign	0x80
	stp	x0, x1, [sp, #-16]!
	mov	x0, #\n
	b	bad_exception
.endm

	.section .text.vectors, "ax"
	.balign	2048
	.global	vectors
vectors:
	bad_vector 0
	bad_vector 1
	bad_vector 2
	bad_vector 3
	bad_vector 4		/* sync, EL1h */
	.balign	0x80		/* IRQ, EL1h */
	stp	x0, x1, [sp, #-16]!
	mrs	x0, cntvct_el0
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

irq_entry:
	/* x0 = the counter at entry; save what the C handler may clobber. */
	stp	x2, x3, [sp, #-16]!
	stp	x4, x5, [sp, #-16]!
	stp	x6, x7, [sp, #-16]!
	stp	x8, x9, [sp, #-16]!
	stp	x10, x11, [sp, #-16]!
	stp	x12, x13, [sp, #-16]!
	stp	x14, x15, [sp, #-16]!
	stp	x16, x17, [sp, #-16]!
	stp	x18, x30, [sp, #-16]!
	bl	probe_irq
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
	bl	probe_fatal
	b	stop

	.section .bss.stacks, "aw", %nobits
	.balign	16
stacks:
	.space	MAX_CPUS * STACK_SIZE

	.section .note.GNU-stack, "", %progbits
