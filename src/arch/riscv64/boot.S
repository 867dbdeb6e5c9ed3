/* Entry in HS-mode: the boot hart from OpenSBI (a0 = hart id, a1 = DTB), the others from SBI HSM hart_start. */
#include "arch_layout.h"

.section .text.boot, "ax"
.global _start
.global secondary_entry
_start:
secondary_entry:
    /* Every hart enters here: the boot hart from the firmware (a0 = hart id,
     * a1 = DTB) and the others from SBI HSM hart_start (SBI §9.1: a0 = hart id,
     * a1 = opaque, satp = 0, sstatus.SIE = 0). Which hart is which CPU comes
     * from the hart id only: OpenSBI 1.1's hart_start publishes START_PENDING
     * before it writes the entry point and opaque, and its stopped harts poll
     * that state, so a started hart may arrive at the firmware's payload entry
     * (_start) with the DTB in a1 instead of at secondary_entry with its CPU
     * index. */
    csrw    sie, zero
    csrw    sscratch, zero
    /* s0 = the CPU whose platform.cpu_hwid is this hart id. */
    la      t0, platform
    ld      t1, PLATFORM_CPU_COUNT(t0)
    addi    t0, t0, PLATFORM_CPU_HWID
    li      s0, 0
1:  bgeu    s0, t1, 5f          /* not one of Baohu's harts */
    ld      t2, 0(t0)
    beq     t2, a0, 2f
    addi    s0, s0, 1
    addi    t0, t0, 8
    j       1b
    /* sp = top of this CPU's stack minus the trap frame that always sits
     * there while its vCPU runs (see trap.S). Each hart has its own from
     * its first instruction on. */
2:  la      t0, __stacks_start
    li      t1, STACK_SLOT
    addi    t2, s0, 1
    mul     t1, t1, t2
    add     sp, t0, t1
    addi    sp, sp, -FRAME_SIZE
    /* arch_boot_entry returns true on CPU 0's first entry, false on a started
     * secondary; on the firmware's boot hart when that is not CPU 0's it
     * starts CPU 0's hart here and stops this one (touching no .bss). */
    mv      a2, a1
    mv      a1, s0
    call    arch_boot_entry     /* a0 = hart id, a1 = CPU, a2 = DTB / opaque */
    beqz    a0, cpu_entry_common
    /* Clear .bss before any C that uses it runs. */
    la      t0, __bss_start
    la      t1, __bss_end
3:  bgeu    t0, t1, cpu_entry_common
    sd      zero, 0(t0)
    addi    t0, t0, 8
    j       3b
5:  wfi
    j       5b

cpu_entry_common:
    la      t0, trap_entry
    csrw    stvec, t0
    mv      a0, s0
    call    arch_boot_cpu
4:  wfi
    j       4b

/*
 * noreturn void mmu_on_and_continue(satp a0, sp a1, next a2, cpu a3)
 * (mmu.c, mmu_enable). The tables are complete in memory; FENCE.I so this
 * hart fetches the code Baohu just copied (unpriv. Zifencei), the satp
 * write, then SFENCE.VMA (priv. §4.2.1) so no translation of before
 * survives. The next fetch goes through the new tables: the same
 * instructions at the same address, from the image's copies when Baohu is
 * coloured; the stack starts afresh (the copies hold it as it was at the
 * copy).
 */
.global mmu_on_and_continue
mmu_on_and_continue:
    fence   rw, rw
    fence.i
    csrw    satp, a0
    sfence.vma
    mv      sp, a1
    mv      a0, a3
    jalr    a2
6:  wfi
    j       6b

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
