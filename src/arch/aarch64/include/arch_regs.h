/* The guest's general-purpose registers as saved by exceptions.S. */
#ifndef BAOHU_AARCH64_REGS_H
#define BAOHU_AARCH64_REGS_H

#include <stdint.h>

struct trap_frame {
    uint64_t x[31];
    uint64_t elr;
    uint64_t spsr;
    uint64_t pad;
};

_Static_assert(sizeof(struct trap_frame) == 272, "FRAME_SIZE in arch_layout.h");

#endif
