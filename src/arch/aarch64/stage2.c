/* Stage-2 translation of a VM's guest-physical space (Arm ARM D8: VTCR_EL2, VTTBR_EL2). */
#include "arch.h"
#include "pt_vmsa.h"
#include "sysreg.h"
#include "vm.h"

/* Same geometry as Baohu's own tables: 39-bit IPA starting at level 1
 * (T0SZ 25, SL0 1), write-back inner-shareable walks, 4 KiB granule, the
 * CPU's PA size (PS, mmu.c), 8-bit VMID; bit 31 RES1. */
#define VTCR_EL2_VALUE ((1ull << 31) | (3ull << 12) | (1ull << 10) | (1ull << 8) | (1ull << 6) | 25)

uint64_t mmu_pa_size(void);

#define S2_RAM (PTE_AF | PTE_SH_INNER | PTE_S2_MEMATTR(PTE_S2_MEMATTR_NORMAL_WB) | \
                PTE_S2_S2AP_R | PTE_S2_S2AP_W)
#define S2_DEVICE (PTE_AF | PTE_S2_MEMATTR(PTE_S2_MEMATTR_DEVICE_nGnRE) | PTE_S2_S2AP_R | \
                   PTE_S2_S2AP_W | PTE_S2_XN)

uint64_t stage2_vtcr(void)
{
    return VTCR_EL2_VALUE | mmu_pa_size() << 16;
}

bool arch_vm_init(struct vm *vm, struct page_pool *pool)
{
    if (!pt_init(&vm->arch.stage2, pool, &pt_vmsa_s2, 3, 39))
        return false;
    /* VMID = vmid + 1: VMID 0 stays unused so no VM shares TLB entries with
     * whatever ran before Baohu. */
    vm->arch.vttbr = pa_addr(vm->arch.stage2.root) | ((uint64_t)(vm->id + 1) << 48);
    return vgic_vm_map_cpuif(vm);
}

/* Shared memory is data: never executable, so a peer cannot plant code. */
#define S2_SHARED_RO (PTE_AF | PTE_SH_INNER | PTE_S2_MEMATTR(PTE_S2_MEMATTR_NORMAL_WB) | \
                      PTE_S2_S2AP_R | PTE_S2_XN)
#define S2_SHARED_RW (S2_SHARED_RO | PTE_S2_S2AP_W)

bool arch_vm_map_runs(struct vm *vm, ipa_t ipa, uint64_t size, pt_next_run_fn next, void *ctx)
{
    return pt_map_runs(&vm->arch.stage2, ipa_addr(ipa), size, S2_RAM, next, ctx);
}

bool arch_vm_map(struct vm *vm, ipa_t ipa, paddr_t pa, uint64_t size, enum vm_map_kind kind)
{
    static const uint64_t attrs[] = {
        [VM_MAP_RAM] = S2_RAM,
        [VM_MAP_DEVICE] = S2_DEVICE,
        [VM_MAP_SHARED_RW] = S2_SHARED_RW,
        [VM_MAP_SHARED_RO] = S2_SHARED_RO,
    };
    return pt_map(&vm->arch.stage2, ipa_addr(ipa), pa_addr(pa), size, attrs[kind]);
}

bool arch_vm_walk(struct vm *vm, ipa_t ipa, uint64_t size, pt_visit_fn visit, void *ctx)
{
    return pt_walk_range(&vm->arch.stage2, ipa_addr(ipa), size, visit, ctx);
}

bool arch_vm_translate(struct vm *vm, ipa_t ipa, paddr_t *pa)
{
    uint64_t out, attrs;
    if (!pt_lookup(&vm->arch.stage2, ipa_addr(ipa), &out, &attrs))
        return false;
    *pa = pa_init(out);
    return true;
}
