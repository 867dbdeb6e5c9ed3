/* The manager VM's hypercalls: list, stop, start and restart the other VMs, read their statistics. */
#ifndef BAOHU_VM_MANAGE_H
#define BAOHU_VM_MANAGE_H

#include "hypercall.h"
#include "types.h"

struct vcpu;

/* Is `fid` one of BAOHU_HC_VM_INFO .. BAOHU_HC_VM_STATS? */
static inline bool vm_manage_is_call(uint64_t fid)
{
    return fid >= BAOHU_HC_VM_INFO && fid <= BAOHU_HC_VM_STATS;
}
/* Run management call `fid` for `caller` (include/baohu/hypercall.h, "Management"). */
int64_t vm_manage_call(struct vcpu *caller, uint64_t fid, const uint64_t args[HYPERCALL_ARGS]);

#endif
