/* Decoding the guest load/store that hit an emulated device (RISC-V unprivileged ISA §2.6, §16.3). */
#ifndef BAOHU_RISCV64_MMIO_DECODE_H
#define BAOHU_RISCV64_MMIO_DECODE_H

#include "arch_regs.h"
#include "types.h"

struct mmio_insn {
    bool write;
    bool is_signed; /* loads: sign-extend to 64 bits */
    unsigned size;  /* bytes */
    unsigned reg;   /* rd of a load, rs2 of a store */
    unsigned len;   /* instruction length: 2 or 4 */
};

/* From htinst when the hart gives a transformed instruction (priv. §9.6.3),
 * else from the guest's code at sepc. False for anything but a plain load
 * or store (AMOs, FP, and the sp-relative compressed forms included). */
bool mmio_decode(const struct trap_frame *f, uint64_t htinst, struct mmio_insn *out);
/* Write a load's result to its destination register. */
void mmio_decode_complete(struct trap_frame *f, const struct mmio_insn *insn, uint64_t value);

#endif
