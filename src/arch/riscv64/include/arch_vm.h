/* The RV64 part of struct vm and struct vcpu. */
#ifndef BAOHU_RISCV64_ARCH_VM_H
#define BAOHU_RISCV64_ARCH_VM_H

#include "pt.h"
#include "../virqchip.h"

struct vcpu_arch {
    uint64_t timer_next; /* SBI set_timer deadline when the hart has no Sstc */
    struct virq_cpu virq;
};

struct vm_arch {
    struct pt gstage;
    uint64_t hgatp;
    struct virq_dist virq;
};

#endif
