/* G-stage translation of a VM's guest-physical space: Sv39x4 tables, hgatp with VMID (priv. §9.2.10, §9.5). */
#include "arch.h"
#include "csr.h"
#include "pt_sv39.h"
#include "vm.h"

/* Every G-stage access counts as a U-mode access (§9.5.1), so leaves carry U;
 * A and D are preset. Devices are never executable. */
#define G_RAM (PTE_R | PTE_W | PTE_X | PTE_U | PTE_A | PTE_D)
#define G_DEVICE (PTE_R | PTE_W | PTE_U | PTE_A | PTE_D)
#define G_SHARED_RW (PTE_R | PTE_W | PTE_U | PTE_A | PTE_D)
#define G_SHARED_RO (PTE_R | PTE_U | PTE_A)

bool arch_vm_init(struct vm *vm, struct page_pool *pool)
{
    if (!pt_init(&vm->arch.gstage, pool, &pt_sv39x4, PT_SV39_LEVELS, 41))
        return false;
    /* VMID = vmid + 1: VMID 0 stays unused so no VM shares TLB entries with
     * whatever ran before Baohu. */
    vm->arch.hgatp = HGATP_MODE_SV39X4 | ((uint64_t)(vm->id + 1) << HGATP_VMID_SHIFT) |
                     (pa_addr(vm->arch.gstage.root) >> PAGE_SHIFT);
    return true;
}

bool arch_vm_map_runs(struct vm *vm, ipa_t ipa, uint64_t size, pt_next_run_fn next, void *ctx)
{
    return pt_map_runs(&vm->arch.gstage, ipa_addr(ipa), size, G_RAM, next, ctx);
}

bool arch_vm_map(struct vm *vm, ipa_t ipa, paddr_t pa, uint64_t size, enum vm_map_kind kind)
{
    uint64_t attrs;
    switch (kind) {
    case VM_MAP_RAM: attrs = G_RAM; break;
    case VM_MAP_DEVICE: attrs = G_DEVICE; break;
    case VM_MAP_SHARED_RW: attrs = G_SHARED_RW; break;
    case VM_MAP_SHARED_RO: attrs = G_SHARED_RO; break;
    default: return false;
    }
    return pt_map(&vm->arch.gstage, ipa_addr(ipa), pa_addr(pa), size, attrs);
}

bool arch_vm_walk(struct vm *vm, ipa_t ipa, uint64_t size, pt_visit_fn visit, void *ctx)
{
    return pt_walk_range(&vm->arch.gstage, ipa_addr(ipa), size, visit, ctx);
}

bool arch_vm_translate(struct vm *vm, ipa_t ipa, paddr_t *pa)
{
    uint64_t out;
    if (!pt_lookup(&vm->arch.gstage, ipa_addr(ipa), &out, NULL))
        return false;
    *pa = pa_init(out);
    return true;
}
