/* Workload guest (RV64 S-mode bare under OpenSBI / VS-mode under Baohu): entry and trap entry. */
#define STACK_SIZE 0x8000
#define SSTATUS_FS_INITIAL 0x2000 /* FS = Initial (priv. spec §4.1.1): the FPU on */

	.section .text.boot, "ax"
	.global _start
_start:
	/* a0 = hart id, a1 = DTB (unused). Only the boot hart enters here. */
	csrw	sie, zero
	la	t0, __bss_start
	la	t1, __bss_end
1:	bgeu	t0, t1, 2f
	sd	zero, 0(t0)
	addi	t0, t0, 8
	j	1b
2:	li	t0, SSTATUS_FS_INITIAL
	csrs	sstatus, t0
	fscsr	zero
	la	t0, trap_entry
	csrw	stvec, t0
	la	sp, stack_top
	call	workload_main
stop:
	csrw	sie, zero
	wfi
	j	stop

	/* Trap entry (stvec direct mode). The handler does no floating point:
	 * the integer caller-saved registers are all it may clobber. */
	.balign	4
trap_entry:
	addi	sp, sp, -128
	sd	a0, 0(sp)
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
	csrr	a0, scause
	csrr	a1, sepc
	call	workload_trap	/* returns the pc to resume at */
	csrw	sepc, a0
	ld	a0, 0(sp)
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
	addi	sp, sp, 128
	sret

	.section .bss.stack, "aw", @nobits
	.balign	16
	.space	STACK_SIZE
stack_top:
