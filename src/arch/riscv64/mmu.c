/* Baohu's own Sv39 translation in HS-mode: W^X image, RAM read/write never executable, devices. */
#include "arch.h"
#include "arch_layout.h"
#include "csr.h"
#include "platform.h"
#include "pt_sv39.h"

extern struct page_pool hyp_page_pool;
extern char __image_start[], __text_end[], __rodata_end[], __stacks_start[], __image_end[];

static struct pt hyp_pt;

/* Global (G): one address space for Baohu; A and D preset so no hardware
 * (or trap-based) update is ever needed (priv. §4.3.1). Sv39 has no memory
 * types: device vs RAM is the platform's PMA (§3.6). */
#define HYP_RW (PTE_R | PTE_W | PTE_G | PTE_A | PTE_D)
#define HYP_RO (PTE_R | PTE_G | PTE_A)
#define HYP_RX (PTE_R | PTE_X | PTE_G | PTE_A)

static void mmu_map(uint64_t start, uint64_t end, uint64_t attrs)
{
    if (end > start && !pt_map(&hyp_pt, start, start, end - start, attrs)) {
        for (;;)
            __asm__ volatile("wfi"); /* no console yet: nothing better to do */
    }
}

/* Runs once on the boot CPU with translation off. Identity mapping
 * throughout: Baohu, its tables and the VMs' RAM are reached at their
 * physical address. No page is both writable and executable. */
void mmu_build(void)
{
    pt_init(&hyp_pt, &hyp_page_pool, &pt_sv39, PT_SV39_LEVELS, 39);
    for (size_t i = 0; i < platform.mmio_count; i++)
        mmu_map(platform.mmio[i].base, platform.mmio[i].base + platform.mmio[i].size, HYP_RW);
    for (size_t i = 0; i < platform.ram_count; i++)
        mmu_map(platform.ram[i].base, platform.ram[i].base + platform.ram[i].size, HYP_RW);
    mmu_map((uintptr_t)__image_start, (uintptr_t)__text_end, HYP_RX);
    mmu_map((uintptr_t)__text_end, (uintptr_t)__rodata_end, HYP_RO);
    /* A stack overflow hits an unmapped guard page instead of the next CPU's stack. */
    for (unsigned cpu = 0; cpu < MAX_CPUS; cpu++)
        pt_unmap(&hyp_pt, (uintptr_t)__stacks_start + cpu * STACK_SLOT, STACK_GUARD);
}

void mmu_enable(void)
{
    __asm__ volatile("fence rw, rw" ::: "memory");
    csr_write(satp, SATP_MODE_SV39 | (pa_addr(hyp_pt.root) >> PAGE_SHIFT));
    sfence_vma_all();
}

/* After a live entry was cleared (core pt.h): Baohu's own tables are flushed
 * with SFENCE.VMA, a VM's G-stage with HFENCE.GVMA (priv. §4.2.1, §9.3.2).
 * Tables are only changed before their users run, on the CPU that uses
 * them first, so a local fence is enough. */
void pt_arch_invalidate(const struct pt *pt, uint64_t in, uint64_t size)
{
    (void)in;
    (void)size;
    __asm__ volatile("fence w, rw" ::: "memory");
    if (pt == &hyp_pt)
        sfence_vma_all();
    else
        hfence_gvma_all();
}

void arch_cache_clean(const void *va, uint64_t size)
{
    /* Harts without Zicbom (QEMU's rv64) have no cache maintenance to do:
     * caches are coherent with memory for every access. The fence orders
     * the stores before whatever starts the guest. */
    (void)va;
    (void)size;
    __asm__ volatile("fence rw, rw" ::: "memory");
}
