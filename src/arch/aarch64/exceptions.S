/* EL2 exception vectors: save the guest's registers in the trap frame, call C, restore, eret. */
#include "arch_layout.h"

.macro save_frame
    sub     sp, sp, #FRAME_SIZE
    stp     x0, x1, [sp, #0]
    stp     x2, x3, [sp, #16]
    stp     x4, x5, [sp, #32]
    stp     x6, x7, [sp, #48]
    stp     x8, x9, [sp, #64]
    stp     x10, x11, [sp, #80]
    stp     x12, x13, [sp, #96]
    stp     x14, x15, [sp, #112]
    stp     x16, x17, [sp, #128]
    stp     x18, x19, [sp, #144]
    stp     x20, x21, [sp, #160]
    stp     x22, x23, [sp, #176]
    stp     x24, x25, [sp, #192]
    stp     x26, x27, [sp, #208]
    stp     x28, x29, [sp, #224]
    mrs     x0, elr_el2
    mrs     x1, spsr_el2
    stp     x30, x0, [sp, #240]
    str     x1, [sp, #FRAME_SPSR]
.endm

.macro vector handler
    .balign 0x80
    save_frame
    mov     x0, sp
    bl      \handler
    b       trap_return
.endm

/*
 * An interrupt exit reads and writes no guest register: only what C may
 * clobber (x0-x18, x29, x30) and the return state are saved, and
 * irq_return restores just those. x19-x28 stay in their registers across
 * the C calls (AAPCS64 callee-saved); the frame's copies of them are stale
 * after such an exit, which nothing reads (a vCPU reset rewrites them all).
 */
.macro vector_irq handler
    .balign 0x80
    sub     sp, sp, #FRAME_SIZE
    stp     x0, x1, [sp, #0]
    stp     x2, x3, [sp, #16]
    stp     x4, x5, [sp, #32]
    stp     x6, x7, [sp, #48]
    stp     x8, x9, [sp, #64]
    stp     x10, x11, [sp, #80]
    stp     x12, x13, [sp, #96]
    stp     x14, x15, [sp, #112]
    stp     x16, x17, [sp, #128]
    str     x18, [sp, #144]
    str     x29, [sp, #232]
    mrs     x0, elr_el2
    mrs     x1, spsr_el2
    stp     x30, x0, [sp, #240]
    str     x1, [sp, #FRAME_SPSR]
    mov     x0, sp
    bl      \handler
    b       irq_return
.endm

.section .text
.balign 0x800
.global el2_vectors
el2_vectors:
    /* Current EL with SP_EL0: never used by Baohu. */
    vector  hyp_trap_unexpected
    vector  hyp_trap_unexpected
    vector  hyp_trap_unexpected
    vector  hyp_trap_unexpected
    /* Current EL with SP_ELx: a fault inside Baohu itself. */
    vector  hyp_trap_unexpected
    vector  hyp_trap_unexpected
    vector  hyp_trap_unexpected
    vector  hyp_trap_unexpected
    /* Lower EL, AArch64: the guest. */
    vector  guest_trap_sync
    vector_irq guest_trap_irq
    vector_irq guest_trap_irq
    vector  guest_trap_serror
    /* Lower EL, AArch32: the guest's EL0 (EL1 is AArch64, HCR_EL2.RW=1).
     * ESR_EL2 has the same classes, so the same handlers decode it. */
    vector  guest_trap_sync
    vector_irq guest_trap_irq
    vector_irq guest_trap_irq
    vector  guest_trap_serror

/* Also the first entry into a guest: arch_vcpu_enter points sp at the frame. */
.global trap_return
trap_return:
    ldr     x1, [sp, #FRAME_SPSR]
    ldp     x30, x0, [sp, #240]
    msr     elr_el2, x0
    msr     spsr_el2, x1
    ldp     x0, x1, [sp, #0]
    ldp     x2, x3, [sp, #16]
    ldp     x4, x5, [sp, #32]
    ldp     x6, x7, [sp, #48]
    ldp     x8, x9, [sp, #64]
    ldp     x10, x11, [sp, #80]
    ldp     x12, x13, [sp, #96]
    ldp     x14, x15, [sp, #112]
    ldp     x16, x17, [sp, #128]
    ldp     x18, x19, [sp, #144]
    ldp     x20, x21, [sp, #160]
    ldp     x22, x23, [sp, #176]
    ldp     x24, x25, [sp, #192]
    ldp     x26, x27, [sp, #208]
    ldp     x28, x29, [sp, #224]
    add     sp, sp, #FRAME_SIZE
    eret

irq_return:
    ldr     x1, [sp, #FRAME_SPSR]
    ldp     x30, x0, [sp, #240]
    msr     elr_el2, x0
    msr     spsr_el2, x1
    ldp     x0, x1, [sp, #0]
    ldp     x2, x3, [sp, #16]
    ldp     x4, x5, [sp, #32]
    ldp     x6, x7, [sp, #48]
    ldp     x8, x9, [sp, #64]
    ldp     x10, x11, [sp, #80]
    ldp     x12, x13, [sp, #96]
    ldp     x14, x15, [sp, #112]
    ldp     x16, x17, [sp, #128]
    ldr     x18, [sp, #144]
    ldr     x29, [sp, #232]
    add     sp, sp, #FRAME_SIZE
    eret

/* noreturn void arch_frame_enter(struct trap_frame *frame) */
.global arch_frame_enter
arch_frame_enter:
    mov     sp, x0
    b       trap_return
