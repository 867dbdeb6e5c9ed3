/* The guest's general-purpose registers and trap CSRs as saved by trap.S. */
#ifndef BAOHU_RISCV64_REGS_H
#define BAOHU_RISCV64_REGS_H

#include <stdint.h>

struct cpu;

struct trap_frame {
    uint64_t x[32]; /* x[0] is never read: x0 is hard-wired zero */
    uint64_t sepc;
    uint64_t sstatus;
    uint64_t hstatus;
    struct cpu *cpu; /* reloaded into tp on every trap: the guest owns tp */
};

_Static_assert(sizeof(struct trap_frame) == 288, "FRAME_SIZE in arch_layout.h");

/* Register numbers of the calling convention (RISC-V psABI). */
enum { REG_RA = 1, REG_SP = 2, REG_TP = 4, REG_A0 = 10, REG_A1, REG_A2, REG_A3, REG_A4, REG_A5,
       REG_A6, REG_A7 };

#endif
