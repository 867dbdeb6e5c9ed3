/* Baohu's own EL2 stage-1 translation, one tree per CPU: W^X image, its own pages, the devices it drives, and a VM's RAM only while the CPU builds or resets that VM. */
#include "arch.h"
#include "arch_layout.h"
#include "hyp_colour.h"
#include "hyp_mem.h"
#include "platform.h"
#include "pt_vmsa.h"
#include "sysreg.h"
#include "vm.h"

extern char __stacks_start[];

/* One table tree per CPU (docs/design.md, "Baohu's address space"): the same
 * image, table pool and devices in each; its own stack only; and RAM outside
 * Baohu's reserved range only in the windows vm.c opens on that CPU. */
static struct pt hyp_pt[MAX_CPUS];

/* MAIR_EL2 slots (Arm ARM D8.5.x, D17.2.97 MAIR_EL2): 0 Device-nGnRnE,
 * 1 Normal write-back, 2 Normal Non-cacheable (0x44: inner and outer NC). */
#define MAIR_DEVICE 0
#define MAIR_NORMAL 1
#define MAIR_NORMAL_NC 2
#define MAIR_VALUE ((0x00ull << (8 * MAIR_DEVICE)) | (0xffull << (8 * MAIR_NORMAL)) | \
                    (0x44ull << (8 * MAIR_NORMAL_NC)))

#define HYP_DEVICE (PTE_AF | PTE_S1_ATTRIDX(MAIR_DEVICE) | PTE_S1_XN)
#define HYP_RW (PTE_AF | PTE_SH_INNER | PTE_S1_ATTRIDX(MAIR_NORMAL) | PTE_S1_XN)
#define HYP_RO (HYP_RW | PTE_S1_AP_RO)
#define HYP_RW_NC (PTE_AF | PTE_SH_INNER | PTE_S1_ATTRIDX(MAIR_NORMAL_NC) | PTE_S1_XN)
#define HYP_RX (PTE_AF | PTE_SH_INNER | PTE_S1_ATTRIDX(MAIR_NORMAL) | PTE_S1_AP_RO)

/* TCR_EL2 (non-VHE): 39-bit VA from level 1, 4 KiB granule, write-back
 * inner-shareable walks, bits 31 and 23 RES1; PS [18:16] from mmu_pa_size. */
#define TCR_EL2_VALUE ((1ull << 31) | (1ull << 23) | (3ull << 12) | (1ull << 10) | (1ull << 8) | 25)

/*
 * The output size for TCR_EL2.PS and VTCR_EL2.PS: the CPU's own PARange
 * (ID_AA64MMFR0_EL1 [3:0], same encoding), at most 48 bits (0b101), the
 * largest a 4 KiB granule without FEAT_LPA2 can express (Arm ARM D8.1.x).
 * A PS above PARange would be treated as PARange; below it, device and RAM
 * addresses past 40 bits (on larger machines) could not be mapped.
 */
uint64_t mmu_pa_size(void)
{
    uint64_t parange = sysreg_read(id_aa64mmfr0_el1) & 0xf;
    return parange > 5 ? 5 : parange;
}
/* SCTLR_EL2: RES1 bits, M, C, SA, I and WXN (no writable page is ever executable). */
#define SCTLR_EL2_VALUE (0x30C50830ull | (1 << 0) | (1 << 2) | (1 << 3) | (1 << 12) | (1 << 19))

static void mmu_check(bool ok)
{
    while (!ok)
        __asm__ volatile("wfe"); /* no console yet: nothing better to do */
}

static void mmu_map(struct pt *pt, uint64_t start, uint64_t end, uint64_t attrs)
{
    if (end > start)
        mmu_check(pt_map(pt, start, start, end - start, attrs));
}

/* GICv2 frames may alias each 4 KiB page across 64 KiB (ZynqMP): a 128 KiB
 * window from each base covers a frame and its aliases everywhere. */
#define GIC_V2_FRAME_WINDOW 0x20000ull
#define GICD_V3_SIZE 0x10000ull
#define GICR_DEFAULT_STRIDE 0x20000ull

/* The devices Baohu itself drives: its console, the interrupt controller
 * and the IOMMU. Devices passed through to VMs are not mapped. */
static void mmu_map_devices(struct pt *pt)
{
    mmu_map(pt, platform.console.base, platform.console.base + PAGE_SIZE, HYP_DEVICE);
    if (platform.irqchip.kind == IRQCHIP_GICV3) {
        uint64_t stride = platform.irqchip.gicr_stride ? platform.irqchip.gicr_stride : GICR_DEFAULT_STRIDE;
        mmu_map(pt, platform.irqchip.gicd, platform.irqchip.gicd + GICD_V3_SIZE, HYP_DEVICE);
        mmu_map(pt, platform.irqchip.gicr, platform.irqchip.gicr + stride * platform.cpu_count, HYP_DEVICE);
    } else {
        const uint64_t frames[] = {platform.irqchip.gicd, platform.irqchip.gicc, platform.irqchip.gich, platform.irqchip.gicv};
        for (size_t i = 0; i < sizeof frames / sizeof frames[0]; i++)
            if (frames[i])
                mmu_map(pt, frames[i], frames[i] + GIC_V2_FRAME_WINDOW, HYP_DEVICE);
    }
    if (platform.iommu.base)
        mmu_map(pt, platform.iommu.base, platform.iommu.base + platform.iommu.size, HYP_DEVICE);
}

/* Runs once on the boot CPU with the MMU off, after core_memory_init: the
 * tables come from the table pool, which every tree maps. Baohu's image
 * (from its coloured pages when it is coloured, hyp_colour.h): code RX,
 * read-only data R, the rest RW and never executable; of the stack slots
 * only this CPU's, without the guard page below it, so an overflow faults
 * instead of spilling over. */
void mmu_build(void)
{
    static const struct hyp_image_attrs image = {
        .rx = HYP_RX, .ro = HYP_RO, .rw = HYP_RW,
        .stack_slot = STACK_SLOT, .stack_guard = STACK_GUARD, .stack_slots = MAX_CPUS,
    };

    for (unsigned cpu = 0; cpu < platform.cpu_count && cpu < MAX_CPUS; cpu++) {
        struct pt *pt = &hyp_pt[cpu];
        mmu_check(pt_init(pt, &hyp_table_pool, &pt_vmsa_s1, 3, 39));
        mmu_map_devices(pt);
        mmu_check(hyp_image_map(pt, cpu, &image));
    }
}

/* A window in the current CPU's tables: the RAM itself, or for a fresh
 * fill only its Normal Non-cacheable alias, which memfill.c writes fresh
 * RAM through (below HYP_NC_ALIAS; the same test as memfill_target). */
static bool window_is_nc(uint64_t a, uint64_t size, enum hyp_window_use use)
{
    return use == HYP_WINDOW_FILL_FRESH && a + size <= HYP_NC_ALIAS_LIMIT && a + size >= a;
}

bool arch_hyp_map_ram(paddr_t pa, uint64_t size, enum hyp_window_use use)
{
    struct pt *pt = &hyp_pt[arch_cpu_id()];
    uint64_t a = pa_addr(pa);

    if (window_is_nc(a, size, use))
        return pt_map(pt, a + HYP_NC_ALIAS, a, size, HYP_RW_NC);
    return pt_map(pt, a, a, size, use == HYP_WINDOW_READ ? HYP_RO : HYP_RW);
}

/* Only this CPU ever walks its tables, so a local TLBI is enough once the
 * entries are zero (Arm ARM D8.16.1, D8.17: TLBI ALLE2 without IS). */
static void hyp_tlb_flush_local(void)
{
    dsb(nshst);
    __asm__ volatile("tlbi alle2" ::: "memory");
    dsb(nsh);
    isb();
}

void arch_hyp_unmap_ram(paddr_t pa, uint64_t size, enum hyp_window_use use)
{
    struct pt *pt = &hyp_pt[arch_cpu_id()];
    uint64_t a = pa_addr(pa);

    pt_unmap(pt, window_is_nc(a, size, use) ? a + HYP_NC_ALIAS : a, size);
    hyp_tlb_flush_local();
}

/* Fresh pages through Normal Non-cacheable leaves, like the alias above. */
void *arch_vm_window_open(struct vm *vm, ipa_t ipa, uint64_t size, enum hyp_window_use use,
                          pt_run_fn run, void *ctx)
{
    uint64_t off = ipa_addr(ipa) & (HYP_VM_WINDOW_SIZE - 1);
    uint64_t attrs = use == HYP_WINDOW_FILL_FRESH ? HYP_RW_NC : use == HYP_WINDOW_READ ? HYP_RO : HYP_RW;

    /* The window's table is made on first use (only CPUs of coloured VMs
     * need one) and kept. */
    if (!pt_prepare_last_table(&hyp_pt[arch_cpu_id()], HYP_VM_WINDOW_VA) ||
        !pt_map_mirror(&hyp_pt[arch_cpu_id()], HYP_VM_WINDOW_VA + off, &vm->arch.stage2,
                       ipa_addr(ipa), size, attrs, run, ctx))
        return NULL;
    /* The entries were invalid, so no TLB holds them (Arm ARM D8.16.1):
     * they only have to be visible to this CPU's walks. */
    dsb(nshst);
    isb();
    return (void *)(uintptr_t)(HYP_VM_WINDOW_VA + off);
}

void arch_vm_window_close(ipa_t ipa, uint64_t size)
{
    uint64_t off = ipa_addr(ipa) & (HYP_VM_WINDOW_SIZE - 1);

    pt_clear_mirror(&hyp_pt[arch_cpu_id()], HYP_VM_WINDOW_VA + off, size);
    hyp_tlb_flush_local();
}

bool arch_hyp_walk(pt_visit_fn visit, void *ctx)
{
    return pt_walk_runs(&hyp_pt[arch_cpu_id()], visit, ctx);
}

/* Stage 1 at EL2 (Arm ARM D8.4.1): writable unless AP[2]; executable unless XN. */
bool arch_hyp_leaf_wx(uint64_t attrs)
{
    return !(attrs & PTE_S1_AP_RO) && !(attrs & PTE_S1_XN);
}

bool arch_hyp_leaf_device(uint64_t attrs)
{
    return (attrs & PTE_S1_ATTRIDX(7)) == PTE_S1_ATTRIDX(MAIR_DEVICE);
}

/* boot.S: install the tables, then go on in `next` on a fresh stack. */
noreturn void mmu_on_and_continue(uint64_t ttbr0, uint64_t sctlr, uint64_t sp, void (*next)(cpuid_t),
                                  cpuid_t cpu);

/*
 * Turn this CPU's MMU on and continue in `next` (on every CPU, from
 * arch_boot_cpu, still on the stack the loader's image gave it). Once the
 * tables are live the image's addresses reach the pages Baohu runs from,
 * coloured copies when it is coloured: the instructions after the switch
 * are the same there, but the stack and data written since the copy are
 * not, so boot.S starts `next` on a fresh stack (hyp_colour.h).
 */
noreturn void mmu_enable(cpuid_t cpu, void (*next)(cpuid_t))
{
    uint64_t sp = (uint64_t)(uintptr_t)__stacks_start + (cpu + 1ull) * STACK_SLOT - FRAME_SIZE;

    sysreg_write(mair_el2, MAIR_VALUE);
    sysreg_write(tcr_el2, TCR_EL2_VALUE | mmu_pa_size() << 16);
    mmu_on_and_continue(pa_addr(hyp_pt[cpu].root), SCTLR_EL2_VALUE, sp, next, cpu);
}

/* Break-before-make for a live table (Arm ARM D8.16.1): the old entry is
 * already zero; flush every cached translation of it before the new one. */
void pt_arch_invalidate(const struct pt *pt, uint64_t in, uint64_t size)
{
    (void)pt;
    (void)in;
    (void)size;
    dsb(ishst);
    __asm__ volatile("tlbi alle2is\n tlbi alle1is" ::: "memory");
    dsb(ish);
    isb();
}
