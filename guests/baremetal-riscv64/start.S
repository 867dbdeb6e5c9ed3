/* Entry points: _start for hart 0 (image entry) and secondary_entry for SBI HSM hart_start. */
#include "config.h"

	.section .text.boot, "ax"
	.global _start
_start:
	/* a0 = hart id, a1 = DTB (ignored). Only hart 0 may enter here. */
	csrw	sie, zero
	la	t0, trap_entry
	csrw	stvec, t0
	mv	tp, a0		/* tp = hart id: S-mode cannot read mhartid */
	bnez	a0, park
	/* Zero .bss (16-byte aligned by the linker script); no stack in use yet. */
	la	t0, __bss_start
	la	t1, __bss_end
1:	bgeu	t0, t1, 2f
	sd	zero, 0(t0)
	addi	t0, t0, 8
	j	1b
2:	li	a1, 0
	li	t2, 0		/* boot_main */
	j	common

	/* SBI HSM hart_start entry (SBI §9.1): a0 = hart id, a1 = opaque,
	 * translation off, sstatus.SIE = 0. */
	.global secondary_entry
secondary_entry:
	csrw	sie, zero
	la	t0, trap_entry
	csrw	stvec, t0
	mv	tp, a0
	li	t2, 1		/* secondary_main, whichever hart (vCPU 0 too, restarted) */

	/* a0 = hart id = vCPU number, a1 = opaque for secondaries. */
common:
	li	t0, MAX_VCPUS
	bgeu	a0, t0, park
	la	sp, stacks
	addi	t0, a0, 1
	slli	t0, t0, STACK_SHIFT
	add	sp, sp, t0
	bnez	t2, 3f
	call	boot_main
3:	call	secondary_main

park:
	csrw	sie, zero
	wfi
	j	park

	/* One stack per vCPU; stacks grow down from the top of each slot. */
	.section .bss.stacks, "aw", @nobits
	.balign 16
stacks:
	.space	MAX_VCPUS << STACK_SHIFT
