/* The Armv8-A part of struct vm and struct vcpu. */
#ifndef BAOHU_AARCH64_ARCH_VM_H
#define BAOHU_AARCH64_ARCH_VM_H

#include "pt.h"
#include "../vgic.h"

struct vcpu_arch {
    uint64_t vmpidr;
    struct vgic_cpu vgic;
};

struct vm_arch {
    struct pt stage2;
    uint64_t vttbr;
    struct vgic_dist vgic;
};

#endif
