/* Probe guest (RV64 S-mode / VS-mode) entry points and trap entry. */
#define STACK_SHIFT 14
#define MAX_HARTS 4

	.section .text.boot, "ax"
	.global _start
_start:
	/* a0 = hart id, a1 = DTB (unused). Only hart 0 enters here. */
	csrw	sie, zero
	bnez	a0, stop
	la	t0, __bss_start
	la	t1, __bss_end
1:	bgeu	t0, t1, common
	sd	zero, 0(t0)
	addi	t0, t0, 8
	j	1b

	/* SBI HSM hart_start entry: a0 = hart id, a1 = opaque. */
	.global hart_start_entry
hart_start_entry:
	csrw	sie, zero
	li	t0, MAX_HARTS
	bgeu	a0, t0, stop

common:
	la	t0, trap_entry
	csrw	stvec, t0
	la	sp, stacks
	addi	t0, a0, 1
	slli	t0, t0, STACK_SHIFT
	add	sp, sp, t0
	bnez	a0, 2f
	call	probe_main
	j	stop
2:	call	probe_secondary
stop:
	csrw	sie, zero
	wfi
	j	stop

	/*
	 * Trap entry (stvec direct mode). Its third instruction reads the
	 * counter: the timestamp of every interrupt the probes measure.
	 */
	.balign	4
trap_entry:
	addi	sp, sp, -144
	sd	a0, 0(sp)
	rdtime	a0
	sd	a1, 8(sp)
	sd	a2, 16(sp)
	sd	a3, 24(sp)
	sd	a4, 32(sp)
	sd	a5, 40(sp)
	sd	a6, 48(sp)
	sd	a7, 56(sp)
	sd	t0, 64(sp)
	sd	t1, 72(sp)
	sd	t2, 80(sp)
	sd	t3, 88(sp)
	sd	t4, 96(sp)
	sd	t5, 104(sp)
	sd	t6, 112(sp)
	sd	ra, 120(sp)
	csrr	a1, scause
	csrr	a2, sepc
	call	probe_trap	/* returns the pc to resume at */
	csrw	sepc, a0
	ld	a1, 8(sp)
	ld	a2, 16(sp)
	ld	a3, 24(sp)
	ld	a4, 32(sp)
	ld	a5, 40(sp)
	ld	a6, 48(sp)
	ld	a7, 56(sp)
	ld	t0, 64(sp)
	ld	t1, 72(sp)
	ld	t2, 80(sp)
	ld	t3, 88(sp)
	ld	t4, 96(sp)
	ld	t5, 104(sp)
	ld	t6, 112(sp)
	ld	ra, 120(sp)
	ld	a0, 0(sp)
	addi	sp, sp, 144
	sret

	.section .bss.stacks, "aw", @nobits
	.balign	16
stacks:
	.space	MAX_HARTS << STACK_SHIFT
