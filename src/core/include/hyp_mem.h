/* Where Baohu's memory comes from, and what each CPU's own tables map (docs/design.md, "Baohu's address space"). */
#ifndef BAOHU_HYP_MEM_H
#define BAOHU_HYP_MEM_H

#include "arch.h"
#include "page_alloc.h"
#include "spinlock.h"

/* RAM outside Baohu's reserved range: VMs' memory and shared memory. No
 * CPU maps it, except the window of its own VM it opens to build, load or
 * reset that VM (vm.c) and the page a console hypercall reads. */
extern struct page_pool hyp_page_pool;
/* Baohu's own pages, inside its reserved range after the image: every
 * translation table (EL2 / HS, stage 2 / G-stage, SMMU). Every CPU maps
 * it, read/write, never executable. */
extern struct page_pool hyp_table_pool;
/* Held by whoever takes pages of either pool, or changes a table. */
extern spinlock_t hyp_pool_lock;

/* A window onto [pa, pa + size) of RAM outside Baohu (page aligned) in the
 * current CPU's own tables, for the CPU that builds, loads or resets its
 * own VM, or reads a page its guest handed to a console hypercall. Closed
 * by the same CPU before it runs a guest again. */
bool hyp_window_open(paddr_t pa, uint64_t size, enum hyp_window_use use);
void hyp_window_close(paddr_t pa, uint64_t size, enum hyp_window_use use);

/* The same for a coloured VM's RAM, through the CPU's VM window
 * (arch_vm_window_open): one window at a time. */
void *hyp_vm_window_open(struct vm *vm, ipa_t ipa, uint64_t size, enum hyp_window_use use,
                         pt_run_fn run, void *ctx);
void hyp_vm_window_close(ipa_t ipa, uint64_t size);

/* What the boot self-check found in one CPU's tables. */
struct hyp_space_summary {
    uint64_t image, tables, stack, devices; /* bytes mapped of each kind */
    uint64_t foreign;                       /* bytes of RAM outside Baohu's reserved range */
    uint64_t foreign_first;                 /* the first such address */
    uint64_t foreign_alias;                 /* of those, mapped at another address */
    unsigned leaves;
};

/* Walk the current CPU's own tables (the ones its MMU uses) and sort what
 * they map; printed once per CPU at boot. */
void hyp_space_check(cpuid_t cpu);

#endif
