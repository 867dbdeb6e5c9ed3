/* Entry at EL2: the boot CPU from the loader, the others from PSCI CPU_ON. */
#include "arch_layout.h"

.section .text.boot, "ax"
.global _start
_start:
    /* Arm64 Image header (Linux Documentation/arch/arm64/booting.rst) so that
     * a bootloader's `booti` accepts Baohu: code0 branches over it. */
    b       primary_entry
    .long   0
    .quad   0                       /* text_offset */
    .quad   __image_end - _start    /* image_size */
    .quad   0xa                     /* flags: LE, 4K pages, anywhere */
    .quad   0, 0, 0
    .ascii  "ARM\x64"
    .long   0

primary_entry:
    msr     daifset, #0xf
    /* Clear .bss before any C runs; the MMU is off, so plain aligned stores
     * (no DC ZVA: with the MMU off memory is Device, where it faults). 128
     * bytes per loop, then 16 at a time: .bss is 16-byte aligned and
     * several hundred KiB, and this is on every boot's path. */
    adrp    x1, __bss_start
    add     x1, x1, :lo12:__bss_start
    adrp    x2, __bss_end
    add     x2, x2, :lo12:__bss_end
    sub     x3, x2, #128
1:  cmp     x1, x3
    b.hi    5f
    stp     xzr, xzr, [x1]
    stp     xzr, xzr, [x1, #16]
    stp     xzr, xzr, [x1, #32]
    stp     xzr, xzr, [x1, #48]
    stp     xzr, xzr, [x1, #64]
    stp     xzr, xzr, [x1, #80]
    stp     xzr, xzr, [x1, #96]
    stp     xzr, xzr, [x1, #112]
    add     x1, x1, #128
    b       1b
5:  cmp     x1, x2
    b.hs    2f
    stp     xzr, xzr, [x1], #16
    b       5b
2:  mov     x19, #0
    b       cpu_entry_common

.global secondary_entry
secondary_entry:
    /* x0 = context id = Baohu's CPU index (PSCI CPU_ON §5.6). */
    msr     daifset, #0xf
    mov     x19, x0

cpu_entry_common:
    /* sp = top of this CPU's stack, minus the trap frame that always sits
     * there while its vCPU runs (see exceptions.S). */
    adrp    x1, __stacks_start
    add     x1, x1, :lo12:__stacks_start
    mov     x2, #STACK_SLOT
    add     x3, x19, #1
    madd    x1, x2, x3, x1
    sub     sp, x1, #FRAME_SIZE
    adrp    x1, el2_vectors
    add     x1, x1, :lo12:el2_vectors
    msr     vbar_el2, x1
    isb
    mov     x0, x19
    bl      arch_boot_cpu
3:  wfe
    b       3b

/*
 * noreturn void mmu_on_and_continue(ttbr0 x0, sctlr x1, sp x2, next x3, cpu x4)
 * (mmu.c, mmu_enable). The tables are complete in memory (written with the
 * MMU off); no TLB entry of an earlier regime may survive (Arm ARM D8.16:
 * TLBI ALLE2 after the TTBR write, DSB, ISB), then SCTLR_EL2.M. The next
 * fetch goes through the new tables: the same instructions at the same
 * address, from the image's copies when Baohu is coloured. No instruction
 * cache line of the loaded image may be taken for them (IC IALLU, D7.5.9),
 * and the stack starts afresh: the copies hold it as it was at the copy.
 */
.global mmu_on_and_continue
mmu_on_and_continue:
    msr     ttbr0_el2, x0
    dsb     sy
    tlbi    alle2
    dsb     sy
    isb
    msr     sctlr_el2, x1
    isb
    ic      iallu
    dsb     nsh
    isb
    mov     sp, x2
    mov     x0, x4
    blr     x3
6:  wfe
    b       6b

/* noreturn void arch_cpu_park(void): drop the current stack, run cpu_idle. */
.global arch_cpu_park
arch_cpu_park:
    msr     daifset, #0xf
    mrs     x0, tpidr_el2
    ldr     w19, [x0]               /* struct cpu starts with its id */
    adrp    x1, __stacks_start
    add     x1, x1, :lo12:__stacks_start
    mov     x2, #STACK_SLOT
    add     x3, x19, #1
    madd    x1, x2, x3, x1
    sub     sp, x1, #FRAME_SIZE
    bl      cpu_idle
4:  b       4b
