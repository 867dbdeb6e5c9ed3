/* Entry in HS-mode: the boot hart from OpenSBI (a0 = hart id, a1 = DTB), the others from SBI HSM hart_start. */
#include "arch_layout.h"

.section .text.boot, "ax"
.global _start
_start:
    /* The firmware picks any hart as the boot hart (a lottery); Baohu's
     * CPU 0 does the one-time set-up, so which hart that is cannot vary.
     * arch_boot_entry returns only on CPU 0's hart; on another one it starts
     * CPU 0's hart here and stops itself. It runs on a stack in .data that
     * CPU 0 never uses, and touches no .bss. */
    csrw    sie, zero
    csrw    sscratch, zero
    la      sp, boot_redirect_stack_top
    call    arch_boot_entry     /* a0 = hart id */
    la      t0, __stacks_start
    li      t1, STACK_SLOT
    add     sp, t0, t1
    addi    sp, sp, -FRAME_SIZE
    /* Clear .bss before any C that uses it runs. */
    la      t0, __bss_start
    la      t1, __bss_end
1:  bgeu    t0, t1, 2f
    sd      zero, 0(t0)
    addi    t0, t0, 8
    j       1b
2:  li      s0, 0
    j       cpu_entry_common

.global secondary_entry
secondary_entry:
    /* SBI HSM hart_start (SBI §9.1): a0 = hart id, a1 = opaque = Baohu's CPU index,
     * satp = 0, sstatus.SIE = 0. */
    csrw    sie, zero
    csrw    sscratch, zero
    mv      s0, a1

cpu_entry_common:
    /* sp = top of this CPU's stack minus the trap frame that always sits
     * there while its vCPU runs (see trap.S). */
    la      t0, __stacks_start
    li      t1, STACK_SLOT
    addi    t2, s0, 1
    mul     t1, t1, t2
    add     sp, t0, t1
    addi    sp, sp, -FRAME_SIZE
    la      t0, trap_entry
    csrw    stvec, t0
    mv      a0, s0
    call    arch_boot_cpu
3:  wfi
    j       3b

/* noreturn void arch_cpu_park(void): drop the current stack, run cpu_idle. */
.global arch_cpu_park
arch_cpu_park:
    csrw    sscratch, zero
    lw      s0, 0(tp)           /* struct cpu starts with its id */
    la      t0, __stacks_start
    li      t1, STACK_SLOT
    addi    t2, s0, 1
    mul     t1, t1, t2
    add     sp, t0, t1
    addi    sp, sp, -FRAME_SIZE
    call    cpu_idle
4:  j       4b

.section .data
.balign 16
boot_redirect_stack:
    .space  1024
boot_redirect_stack_top:
