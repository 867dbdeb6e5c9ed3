/* Baohu's own Sv39 translation in HS-mode, one tree per hart: W^X image, its own pages, the devices it drives, and a VM's RAM only while the hart builds or resets that VM. */
#include "arch.h"
#include "arch_layout.h"
#include "hyp_colour.h"
#include "hyp_mem.h"
#include "csr.h"
#include "platform.h"
#include "pt_sv39.h"
#include "vm.h"

extern char __stacks_start[];

/* One tree per hart (docs/design.md, "Baohu's address space"): the same
 * image, table pool and devices in each; its own stack only; and RAM outside
 * Baohu's reserved range only in the windows vm.c opens on that hart. */
static struct pt hyp_pt[MAX_CPUS];

/* Global (G): one address space for Baohu; A and D preset so no hardware
 * (or trap-based) update is ever needed (priv. §4.3.1). Sv39 has no memory
 * types: device vs RAM is the platform's PMA (§3.6). */
#define HYP_RW (PTE_R | PTE_W | PTE_G | PTE_A | PTE_D)
#define HYP_RO (PTE_R | PTE_G | PTE_A)
#define HYP_RX (PTE_R | PTE_X | PTE_G | PTE_A)

/* Interrupt controller windows (AIA §4.5, §3.6; the PLIC's 64 MiB map). */
#define PLIC_WINDOW 0x4000000ull
#define APLIC_WINDOW 0x8000ull
#define IMSIC_FILE_BYTES 0x1000ull

static void mmu_halt(void)
{
    for (;;)
        __asm__ volatile("wfi"); /* no console yet: nothing better to do */
}

static void mmu_map(struct pt *pt, uint64_t start, uint64_t end, uint64_t attrs)
{
    if (end > start && !pt_map(pt, start, start, end - start, attrs))
        mmu_halt();
}

/* The IMSIC: per hart its S file and guest files, at a power-of-two stride
 * indexed by hart id (AIA §3.6). */
static uint64_t imsic_window(void)
{
    uint64_t files = 1, max_hart = 0;
    while (files < 1ull + platform.irqchip.guest_files)
        files <<= 1;
    for (size_t i = 0; i < platform.cpu_count; i++)
        if (platform.cpu_hwid[i] > max_hart)
            max_hart = platform.cpu_hwid[i];
    return (max_hart + 1) * files * IMSIC_FILE_BYTES;
}

/* The devices Baohu itself drives: its console and the interrupt
 * controller. Devices passed through to VMs are not mapped. */
static void mmu_map_devices(struct pt *pt)
{
    mmu_map(pt, platform.console.base, platform.console.base + PAGE_SIZE, HYP_RW);
    if (platform.irqchip.kind == IRQCHIP_PLIC) {
        mmu_map(pt, platform.irqchip.plic, platform.irqchip.plic + PLIC_WINDOW, HYP_RW);
    } else {
        mmu_map(pt, platform.irqchip.aplic, platform.irqchip.aplic + APLIC_WINDOW, HYP_RW);
        mmu_map(pt, platform.irqchip.imsic, platform.irqchip.imsic + imsic_window(), HYP_RW);
    }
}

/* Runs once on the boot hart with translation off, after core_memory_init:
 * the tables come from the table pool, which every tree maps. Baohu's
 * image (from its coloured pages when it is coloured, hyp_colour.h): code
 * RX, read-only data R, the rest RW; no page is both writable and
 * executable. Of the stack slots only this hart's, without the guard page
 * below it, so an overflow faults instead of spilling over. */
void mmu_build(void)
{
    static const struct hyp_image_attrs image = {
        .rx = HYP_RX, .ro = HYP_RO, .rw = HYP_RW,
        .stack_slot = STACK_SLOT, .stack_guard = STACK_GUARD, .stack_slots = MAX_CPUS,
    };

    for (unsigned cpu = 0; cpu < platform.cpu_count && cpu < MAX_CPUS; cpu++) {
        struct pt *pt = &hyp_pt[cpu];
        if (!pt_init(pt, &hyp_table_pool, &pt_sv39, PT_SV39_LEVELS, 39))
            mmu_halt();
        mmu_map_devices(pt);
        if (!hyp_image_map(pt, cpu, &image))
            mmu_halt();
    }
}

/* boot.S: install the tables, then go on in `next` on a fresh stack. */
noreturn void mmu_on_and_continue(uint64_t satp, uint64_t sp, void (*next)(cpuid_t), cpuid_t cpu);

/*
 * Turn this hart's translation on and continue in `next` (on every hart,
 * from arch_boot_cpu, still on the stack the loader's image gave it). Once
 * satp is set the image's addresses reach the pages Baohu runs from,
 * coloured copies when it is coloured: the instructions after the switch
 * are the same there, but the stack and data written since the copy are
 * not, so boot.S starts `next` on a fresh stack (hyp_colour.h).
 */
noreturn void mmu_enable(cpuid_t cpu, void (*next)(cpuid_t))
{
    uint64_t sp = (uint64_t)(uintptr_t)__stacks_start + (cpu + 1ull) * STACK_SLOT - FRAME_SIZE;

    mmu_on_and_continue(SATP_MODE_SV39 | (pa_addr(hyp_pt[cpu].root) >> PAGE_SHIFT), sp, next, cpu);
}

/* A window in the current hart's tables; pt.c flushes each cleared leaf. */
bool arch_hyp_map_ram(paddr_t pa, uint64_t size, enum hyp_window_use use)
{
    return pt_map(&hyp_pt[arch_cpu_id()], pa_addr(pa), pa_addr(pa), size,
                  use == HYP_WINDOW_READ ? HYP_RO : HYP_RW);
}

void arch_hyp_unmap_ram(paddr_t pa, uint64_t size, enum hyp_window_use use)
{
    (void)use;
    pt_unmap(&hyp_pt[arch_cpu_id()], pa_addr(pa), size);
}

void *arch_vm_window_open(struct vm *vm, ipa_t ipa, uint64_t size, enum hyp_window_use use,
                          pt_run_fn run, void *ctx)
{
    uint64_t off = ipa_addr(ipa) & (HYP_VM_WINDOW_SIZE - 1);

    /* The window's table is made on first use (only CPUs of coloured VMs
     * need one) and kept. */
    if (!pt_prepare_last_table(&hyp_pt[arch_cpu_id()], HYP_VM_WINDOW_VA) ||
        !pt_map_mirror(&hyp_pt[arch_cpu_id()], HYP_VM_WINDOW_VA + off, &vm->arch.gstage,
                       ipa_addr(ipa), size, use == HYP_WINDOW_READ ? HYP_RO : HYP_RW, run, ctx))
        return NULL;
    /* Invalid entries are not cached, but a hart may still cache their
     * invalidity (priv. §4.2.1): fence before the first access. */
    sfence_vma_all();
    return (void *)(uintptr_t)(HYP_VM_WINDOW_VA + off);
}

void arch_vm_window_close(ipa_t ipa, uint64_t size)
{
    pt_clear_mirror(&hyp_pt[arch_cpu_id()], HYP_VM_WINDOW_VA + (ipa_addr(ipa) & (HYP_VM_WINDOW_SIZE - 1)),
                    size);
    sfence_vma_all();
}

bool arch_hyp_walk(pt_visit_fn visit, void *ctx)
{
    return pt_walk_runs(&hyp_pt[arch_cpu_id()], visit, ctx);
}

bool arch_hyp_leaf_wx(uint64_t attrs)
{
    return (attrs & PTE_W) && (attrs & PTE_X);
}

/* Sv39 leaves carry no memory type (priv. §3.6): hyp_space.c tells devices by address. */
bool arch_hyp_leaf_device(uint64_t attrs)
{
    (void)attrs;
    return false;
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
    if (pt >= &hyp_pt[0] && pt < &hyp_pt[MAX_CPUS])
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

/* The same: without Zicbom nothing is cached apart from memory's view; the
 * fence completes Baohu's stores before what follows (hyp_colour.c: the
 * switch to the copies, whose code boot.S fetches after a FENCE.I). */
void arch_cache_clean_inval(const void *va, uint64_t size)
{
    (void)va;
    (void)size;
    __asm__ volatile("fence rw, rw" ::: "memory");
}
