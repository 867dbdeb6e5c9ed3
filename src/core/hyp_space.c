/* Baohu's per-CPU address space: the windows onto VM RAM, and the boot self-check of what each CPU's own tables map. */
#include "arch.h"
#include "console.h"
#include "hyp_mem.h"
#include "platform.h"

/* Every architecture's linker script names the image and its stacks. */
extern char __image_start[], __image_end[], __stacks_start[], __stacks_end[];

bool hyp_window_open(paddr_t pa, uint64_t size, enum hyp_window_use use)
{
    spin_lock(&hyp_pool_lock);
    bool ok = arch_hyp_map_ram(pa, size, use);
    spin_unlock(&hyp_pool_lock);
    return ok;
}

void hyp_window_close(paddr_t pa, uint64_t size, enum hyp_window_use use)
{
    spin_lock(&hyp_pool_lock);
    arch_hyp_unmap_ram(pa, size, use);
    spin_unlock(&hyp_pool_lock);
}

void *hyp_vm_window_open(struct vm *vm, ipa_t ipa, uint64_t size, enum hyp_window_use use,
                         pt_run_fn run, void *ctx)
{
    spin_lock(&hyp_pool_lock);
    void *va = arch_vm_window_open(vm, ipa, size, use, run, ctx);
    spin_unlock(&hyp_pool_lock);
    return va;
}

void hyp_vm_window_close(ipa_t ipa, uint64_t size)
{
    spin_lock(&hyp_pool_lock);
    arch_vm_window_close(ipa, size);
    spin_unlock(&hyp_pool_lock);
}

struct hyp_space_walk {
    struct hyp_space_summary s;
    unsigned wx; /* leaves both writable and executable */
};

static uint64_t overlap(uint64_t a, uint64_t asize, uint64_t b, uint64_t bsize)
{
    uint64_t lo = a > b ? a : b;
    uint64_t hi = a + asize < b + bsize ? a + asize : b + bsize;
    return hi > lo ? hi - lo : 0;
}

static bool in_ram(uint64_t pa, uint64_t size)
{
    for (size_t i = 0; i < platform.ram_count; i++)
        if (overlap(pa, size, platform.ram[i].base, platform.ram[i].size))
            return true;
    return false;
}

/* Sorted by output address: Baohu's stacks (inside its image), the rest of
 * its image, the table pool (the rest of its reserved range), devices, and
 * any other RAM, which must not be there once the CPU's VM is built. */
static bool hyp_space_visit(const struct pt_leaf *leaf, void *ctx)
{
    struct hyp_space_walk *w = ctx;
    uint64_t image = (uintptr_t)__image_start, image_size = (uintptr_t)__image_end - image;
    uint64_t stacks = (uintptr_t)__stacks_start, stacks_size = (uintptr_t)__stacks_end - stacks;
    uint64_t reserved = platform.hyp_reserved.base, reserved_size = platform.hyp_reserved.size;
    uint64_t stack = overlap(leaf->out, leaf->size, stacks, stacks_size);
    uint64_t in_image = overlap(leaf->out, leaf->size, image, image_size);
    uint64_t own = overlap(leaf->out, leaf->size, reserved, reserved_size);

    w->s.leaves += leaf->count;
    if (arch_hyp_leaf_wx(leaf->attrs))
        w->wx += leaf->count;
    w->s.stack += stack;
    w->s.image += in_image - stack;
    w->s.tables += own - in_image;
    if (arch_hyp_leaf_device(leaf->attrs) || !in_ram(leaf->out, leaf->size)) {
        w->s.devices += leaf->size - own;
    } else if (leaf->size > own) {
        if (w->s.foreign == 0)
            w->s.foreign_first = leaf->out < reserved ? leaf->out : leaf->out + own;
        w->s.foreign += leaf->size - own;
        if (leaf->in != leaf->out)
            w->s.foreign_alias += leaf->size - own; /* through an alias (Arm's NC one) */
    }
    return true;
}

void hyp_space_check(cpuid_t cpu)
{
    struct hyp_space_walk w;

    w.s.image = 0;
    w.s.tables = 0;
    w.s.stack = 0;
    w.s.devices = 0;
    w.s.foreign = 0;
    w.s.foreign_alias = 0;
    w.s.foreign_first = 0;
    w.s.leaves = 0;
    w.wx = 0;
    arch_hyp_walk(hyp_space_visit, &w);
    console_log("CPU %u address space: %u leaves; image %lu KiB, stack %lu KiB (own), table pool %lu KiB, "
                "devices %lu KiB; writable+executable: %u; RAM outside Baohu: %s",
                cpu, w.s.leaves, (unsigned long)(w.s.image >> 10), (unsigned long)(w.s.stack >> 10),
                (unsigned long)(w.s.tables >> 10), (unsigned long)(w.s.devices >> 10), w.wx,
                w.s.foreign ? "MAPPED" : "none");
    if (w.s.foreign)
        console_log("CPU %u address space: %lu KiB of RAM outside Baohu mapped from 0x%lx "
                    "(%lu KiB of it through aliases)", cpu, (unsigned long)(w.s.foreign >> 10),
                    (unsigned long)w.s.foreign_first, (unsigned long)(w.s.foreign_alias >> 10));
}
