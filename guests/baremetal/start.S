/* Entry points: _start for vCPU 0 (image entry) and secondary_entry for PSCI CPU_ON. */
#include "config.h"

	.section .text.boot, "ax"
	.global _start
_start:
	/* x0 (DTB IPA) is ignored. Only vCPU 0 may enter here. */
	msr	daifset, #0xf
	ldr	x1, =SCTLR_EL1_MMU_OFF
	msr	sctlr_el1, x1
	isb
	mrs	x1, mpidr_el1
	and	x1, x1, #0xff
	cbnz	x1, park
	/* Zero .bss (16-byte aligned by the linker script); no stack in use yet. */
	ldr	x1, =__bss_start
	ldr	x2, =__bss_end
1:	cmp	x1, x2
	b.hs	2f
	stp	xzr, xzr, [x1], #16
	b	1b
2:	mov	x0, #0
	b	common

	/* PSCI CPU_ON entry: MMU off, x0 = context id (PSCI, DEN0022, CPU_ON). */
	.global secondary_entry
secondary_entry:
	msr	daifset, #0xf
	ldr	x1, =SCTLR_EL1_MMU_OFF
	msr	sctlr_el1, x1
	isb
	mov	x1, x0
	mrs	x0, mpidr_el1
	and	x0, x0, #0xff

	/* x0 = vCPU number (MPIDR_EL1.Aff0), x1 = context id for secondaries. */
common:
	cmp	x0, #MAX_VCPUS
	b.hs	park
	msr	spsel, #1
	ldr	x2, =stacks
	add	x3, x0, #1
	add	x2, x2, x3, lsl #STACK_SHIFT
	mov	sp, x2
	cbnz	x0, 3f
	bl	boot_main
3:	bl	secondary_main

park:
	msr	daifset, #0xf
	wfi
	b	park

	/* One stack per vCPU; stacks grow down from the top of each slot. */
	.section .bss.stacks, "aw", %nobits
	.balign 16
stacks:
	.space	MAX_VCPUS << STACK_SHIFT

	.section .note.GNU-stack, "", %progbits
