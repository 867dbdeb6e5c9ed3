/* What pt.c needs from the rest of the hypervisor: TLB maintenance for break-before-make. */
#ifndef BAOHU_AARCH64_PT_HOOKS_H
#define BAOHU_AARCH64_PT_HOOKS_H

#include <stdint.h>

struct pt;

/*
 * Called by pt.c right after it wrote 0 to a valid entry covering
 * [in, in + size) of `pt`, before it writes the replacement entry (a table
 * instead of a block, a block instead of a table, a different leaf) or frees
 * tables that were reachable through it. It must make the invalid entry
 * visible to the table walkers and remove every TLB and walk-cache entry for
 * that input range (a DSB, the TLBI by stage / regime, a DSB), which is the
 * "break" of break-before-make (Arm ARM D8.16.1). Implemented by the
 * hypervisor; unit tests provide a host stub.
 */
void pt_arch_invalidate(const struct pt *pt, uint64_t in, uint64_t size);

#endif
