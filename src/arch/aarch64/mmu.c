/* Baohu's own EL2 stage-1 translation: W^X image, RAM read/write never executable, devices. */
#include "arch.h"
#include "arch_layout.h"
#include "platform.h"
#include "pt_vmsa.h"
#include "sysreg.h"

extern struct page_pool hyp_page_pool;
extern char __image_start[], __text_end[], __rodata_end[], __stacks_start[], __image_end[];

/* One table tree per CPU: the same mapping, except that a CPU's stack is
 * mapped only in its own tables, so no CPU can write another's stack. */
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

/* Runs once on the boot CPU with the MMU off. Identity mapping throughout:
 * Baohu, its tables and the VMs' RAM are reached at their physical address. */
void mmu_build(void)
{
    for (unsigned cpu = 0; cpu < platform.cpu_count && cpu < MAX_CPUS; cpu++) {
        struct pt *pt = &hyp_pt[cpu];
        mmu_check(pt_init(pt, &hyp_page_pool, &pt_vmsa_s1, 3, 39));
        for (size_t i = 0; i < platform.mmio_count; i++)
            mmu_map(pt, platform.mmio[i].base, platform.mmio[i].base + platform.mmio[i].size,
                    HYP_DEVICE);
        for (size_t i = 0; i < platform.ram_count; i++)
            mmu_map(pt, platform.ram[i].base, platform.ram[i].base + platform.ram[i].size, HYP_RW);
        /* The non-cacheable alias VM RAM is filled through (memfill.c). */
        for (size_t i = 0; i < platform.ram_count; i++) {
            uint64_t base = platform.ram[i].base, size = platform.ram[i].size;
            if (base + size <= HYP_NC_ALIAS)
                mmu_check(pt_map(pt, base + HYP_NC_ALIAS, base, size, HYP_RW_NC));
        }
        mmu_map(pt, (uintptr_t)__image_start, (uintptr_t)__text_end, HYP_RX);
        mmu_map(pt, (uintptr_t)__text_end, (uintptr_t)__rodata_end, HYP_RO);
        /* Every stack slot but this CPU's is unmapped, and so is the guard
         * page below its own: an overflow faults instead of spilling over. */
        for (unsigned other = 0; other < MAX_CPUS; other++) {
            uint64_t slot = (uintptr_t)__stacks_start + other * STACK_SLOT;
            mmu_check(pt_unmap(pt, slot, other == cpu ? STACK_GUARD : STACK_SLOT));
        }
    }
}

void mmu_enable(void)
{
    sysreg_write(mair_el2, MAIR_VALUE);
    sysreg_write(tcr_el2, TCR_EL2_VALUE | mmu_pa_size() << 16);
    sysreg_write(ttbr0_el2, pa_addr(hyp_pt[arch_cpu_id()].root));
    dsb(sy);
    __asm__ volatile("tlbi alle2" ::: "memory");
    dsb(sy);
    isb();
    sysreg_write(sctlr_el2, SCTLR_EL2_VALUE);
    isb();
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
