/* Baohu's own hypercalls, decoded the same way on every architecture. */
#ifndef BAOHU_CORE_HYPERCALL_H
#define BAOHU_CORE_HYPERCALL_H

#include <baohu/hypercall.h>
#include "types.h"

struct vcpu;

#define HYPERCALL_ARGS 5

/* Is `fid` in Baohu's hypercall range (the caller decides the conduit)? */
bool hypercall_is_baohu(uint64_t fid);
/* Run hypercall `fid` for `vcpu`; returns the value for the guest's result register. */
int64_t hypercall_handle(struct vcpu *vcpu, uint64_t fid, const uint64_t args[HYPERCALL_ARGS]);

#endif
