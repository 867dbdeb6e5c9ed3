/* HS-mode trap entry: save the guest's registers in the trap frame, call C, restore, sret. */
#include "arch_layout.h"

/*
 * sscratch holds the trap frame's address while a guest runs and 0 while
 * Baohu itself runs: a trap finding 0 there came from HS-mode (a bug).
 */
.section .text
.balign 4
.global trap_entry
trap_entry:
    csrrw   sp, sscratch, sp
    beqz    sp, hyp_trap
    sd      x1, FRAME_X(1)(sp)
    sd      x3, FRAME_X(3)(sp)
    sd      x4, FRAME_X(4)(sp)
    sd      x5, FRAME_X(5)(sp)
    sd      x6, FRAME_X(6)(sp)
    sd      x7, FRAME_X(7)(sp)
    sd      x8, FRAME_X(8)(sp)
    sd      x9, FRAME_X(9)(sp)
    sd      x10, FRAME_X(10)(sp)
    sd      x11, FRAME_X(11)(sp)
    sd      x12, FRAME_X(12)(sp)
    sd      x13, FRAME_X(13)(sp)
    sd      x14, FRAME_X(14)(sp)
    sd      x15, FRAME_X(15)(sp)
    sd      x16, FRAME_X(16)(sp)
    sd      x17, FRAME_X(17)(sp)
    sd      x18, FRAME_X(18)(sp)
    sd      x19, FRAME_X(19)(sp)
    sd      x20, FRAME_X(20)(sp)
    sd      x21, FRAME_X(21)(sp)
    sd      x22, FRAME_X(22)(sp)
    sd      x23, FRAME_X(23)(sp)
    sd      x24, FRAME_X(24)(sp)
    sd      x25, FRAME_X(25)(sp)
    sd      x26, FRAME_X(26)(sp)
    sd      x27, FRAME_X(27)(sp)
    sd      x28, FRAME_X(28)(sp)
    sd      x29, FRAME_X(29)(sp)
    sd      x30, FRAME_X(30)(sp)
    sd      x31, FRAME_X(31)(sp)
    csrr    t0, sscratch
    sd      t0, FRAME_X(2)(sp)
    csrw    sscratch, zero
    csrr    t0, sepc
    sd      t0, FRAME_SEPC(sp)
    csrr    t0, sstatus
    sd      t0, FRAME_SSTATUS(sp)
    csrr    t0, hstatus
    sd      t0, FRAME_HSTATUS(sp)
    ld      tp, FRAME_CPU(sp)
    mv      a0, sp
    call    guest_trap
    /* fall through: also the first entry into a guest (sp = frame) */
.global trap_return
trap_return:
    ld      t0, FRAME_SEPC(sp)
    csrw    sepc, t0
    ld      t0, FRAME_SSTATUS(sp)
    csrw    sstatus, t0
    ld      t0, FRAME_HSTATUS(sp)
    csrw    hstatus, t0
    csrw    sscratch, sp
    ld      x1, FRAME_X(1)(sp)
    ld      x3, FRAME_X(3)(sp)
    ld      x4, FRAME_X(4)(sp)
    ld      x5, FRAME_X(5)(sp)
    ld      x6, FRAME_X(6)(sp)
    ld      x7, FRAME_X(7)(sp)
    ld      x8, FRAME_X(8)(sp)
    ld      x9, FRAME_X(9)(sp)
    ld      x10, FRAME_X(10)(sp)
    ld      x11, FRAME_X(11)(sp)
    ld      x12, FRAME_X(12)(sp)
    ld      x13, FRAME_X(13)(sp)
    ld      x14, FRAME_X(14)(sp)
    ld      x15, FRAME_X(15)(sp)
    ld      x16, FRAME_X(16)(sp)
    ld      x17, FRAME_X(17)(sp)
    ld      x18, FRAME_X(18)(sp)
    ld      x19, FRAME_X(19)(sp)
    ld      x20, FRAME_X(20)(sp)
    ld      x21, FRAME_X(21)(sp)
    ld      x22, FRAME_X(22)(sp)
    ld      x23, FRAME_X(23)(sp)
    ld      x24, FRAME_X(24)(sp)
    ld      x25, FRAME_X(25)(sp)
    ld      x26, FRAME_X(26)(sp)
    ld      x27, FRAME_X(27)(sp)
    ld      x28, FRAME_X(28)(sp)
    ld      x29, FRAME_X(29)(sp)
    ld      x30, FRAME_X(30)(sp)
    ld      x31, FRAME_X(31)(sp)
    ld      x2, FRAME_X(2)(sp)
    sret

/* A trap taken in HS-mode: sp is 0 now, the old sp in sscratch. A fault of
 * the guest-code read, the hstateen0 probe or the vsireg probe below resumes
 * after it with an error; anything else is a bug in Baohu: report and stop.
 * The resume must stay in HS-mode: sret enters VS-mode if hstatus.SPV is
 * set (priv. §9.6.2), and it is when the faulting probe runs while a guest
 * trap is handled (QEMU 7.2 leaves SPV as the guest trap set it when an
 * HS-mode trap follows), so it is cleared first; the guest's own SPV is in
 * its trap frame, which trap_return restores. */
hyp_trap:
    csrrw   sp, sscratch, sp
    csrw    sscratch, zero
    csrr    t0, sepc
    la      t1, guest_code_read_insn
    bne     t0, t1, 6f
    la      t0, guest_code_read_resume
    j       8f
6:  la      t1, hstateen0_write_insn
    bne     t0, t1, 7f
    la      t0, hstateen0_write_resume
    j       8f
7:  la      t1, vsireg_write_insn
    bne     t0, t1, 1f
    la      t0, vsireg_write_resume
8:  csrw    sepc, t0
    li      t0, 1 << 7          /* hstatus.SPV */
    csrc    hstatus, t0
    li      t1, -1
    sret
1:
    addi    sp, sp, -FRAME_SIZE
    sd      ra, FRAME_X(1)(sp)
    csrr    t0, sepc
    sd      t0, FRAME_SEPC(sp)
    mv      a0, sp
    call    hyp_trap_unexpected
5:  wfi
    j       5b

/* noreturn void arch_frame_enter(struct trap_frame *frame) */
.global arch_frame_enter
arch_frame_enter:
    mv      sp, a0
    j       trap_return

/*
 * int guest_code_read(uint64_t gva, uint16_t *out): one halfword of guest code
 * through both translation stages with HLVX.HU (priv. §9.3.3; raw encoding, so
 * no assembler needs the H extension). The guest may have unmapped the page
 * since it trapped (another of its harts can edit its page tables): the
 * resulting HS-mode fault lands in hyp_trap, which resumes at
 * guest_code_read_resume with t1 = -1. Returns 0, or -1 on a fault.
 */
.global guest_code_read
guest_code_read:
    li      t1, 0
guest_code_read_insn:
    .insn r 0x73, 4, 0x32, t0, a0, x3
guest_code_read_resume:
    bnez    t1, 2f
    sh      t0, 0(a1)
2:  mv      a0, t1
    ret

/*
 * int hstateen0_try_write(uint64_t value): write hstateen0 (CSR 0x60c,
 * Smstateen §"hstateen"), which is an illegal instruction in HS-mode unless
 * M-mode set mstateen0.SE0 (a firmware that predates Smstateen does not):
 * such a fault resumes at hstateen0_write_resume with t1 = -1 (hyp_trap).
 * Returns 0, or -1 if the CSR is not accessible.
 */
.global hstateen0_try_write
hstateen0_try_write:
    li      t1, 0
hstateen0_write_insn:
    csrw    0x60c, a0
hstateen0_write_resume:
    mv      a0, t1
    ret

/*
 * int vsireg_try_write(uint64_t value): write vsireg (CSR 0x251) at the
 * register vsiselect names. An interrupt file implements eip/eie registers
 * only for its own number of identities (AIA §3.8.4: 63 to 2047); QEMU
 * makes an access beyond them an illegal instruction, which resumes at
 * vsireg_write_resume with t1 = -1 (hyp_trap). Returns 0, or -1.
 */
.global vsireg_try_write
vsireg_try_write:
    li      t1, 0
vsireg_write_insn:
    csrw    0x251, a0
vsireg_write_resume:
    mv      a0, t1
    ret
