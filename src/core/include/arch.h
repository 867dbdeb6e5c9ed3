/* What each architecture provides to the core (implemented in src/arch/<arch>/). */
#ifndef BAOHU_ARCH_H
#define BAOHU_ARCH_H

#include <stdnoreturn.h>
#include "page_alloc.h"
#include "pt.h"
#include "types.h"

struct cpu;
struct vm;
struct vcpu;

enum vm_map_kind {
    VM_MAP_RAM,       /* normal write-back memory, read/write/execute */
    VM_MAP_DEVICE,    /* passthrough MMIO: device memory, never executable */
    VM_MAP_SHARED_RW, /* inter-VM shared memory: normal memory, never executable */
    VM_MAP_SHARED_RO, /* the same, read-only for this VM */
};

/* The CPU we run on. */
cpuid_t arch_cpu_id(void);
/* The same CPU's struct cpu, which the arch keeps in a register (tpidr_el2, tp). */
struct cpu *arch_cpu_current(void);
/* A spin-loop pause that lets the other CPUs of a single-threaded emulator run. */
void arch_cpu_relax(void);
/* Start physical CPU `cpu` through firmware at Baohu's secondary entry. */
bool arch_cpu_start(cpuid_t cpu);
/* Wait for an interrupt, then handle what arrived (Baohu's IPI, stray
 * interrupts of a stopped VM). Used by the idle loop of a CPU without a
 * running vCPU. */
void arch_cpu_idle_wait(void);
/* Drop whatever this CPU was doing (the stack included) and enter the idle loop. */
noreturn void arch_cpu_park(void);
/* A monotonic clock in nanoseconds (for reports and benchmarks). */
uint64_t arch_time_ns(void);
/* Switch the whole machine off (the last VM stopped). */
noreturn void arch_system_off(void);

/*
 * Baohu's per-CPU address space (hyp_mem.h): the current CPU's own tables
 * gain or lose [pa, pa + size) of RAM outside Baohu's reserved range, page
 * aligned. Only the CPU that opened a window ever uses it. Caller holds
 * hyp_pool_lock (the tables come from the shared table pool).
 */
enum hyp_window_use {
    HYP_WINDOW_READ,        /* read only */
    HYP_WINDOW_FILL,        /* arch_ram_zero / arch_ram_copy with reused = true */
    HYP_WINDOW_FILL_FRESH,  /* the same with reused = false: the arch may map only
                               the alias memfill.c writes fresh RAM through */
};
bool arch_hyp_map_ram(paddr_t pa, uint64_t size, enum hyp_window_use use);
void arch_hyp_unmap_ram(paddr_t pa, uint64_t size, enum hyp_window_use use);
/*
 * The current CPU's window onto a coloured VM's RAM: [ipa, ipa + size),
 * inside one naturally aligned HYP_VM_WINDOW_SIZE block of IPA, mapped at
 * consecutive addresses page by page as the VM's stage 2 maps it (run() is
 * told each physically contiguous run, pt.h). Returns the address of `ipa`
 * in the window, or NULL (nothing mapped) when stage 2 does not map every
 * page there with a page or run() refused one. One window per CPU, closed
 * before the next is opened. Caller holds hyp_pool_lock.
 */
#define HYP_VM_WINDOW_SIZE (2ull << 20) /* the span of one last-level table, every format */
void *arch_vm_window_open(struct vm *vm, ipa_t ipa, uint64_t size, enum hyp_window_use use,
                          pt_run_fn run, void *ctx);
void arch_vm_window_close(ipa_t ipa, uint64_t size);
/* The current CPU's own tables, run by run (pt_walk_runs); what a leaf's bits mean. */
bool arch_hyp_walk(pt_visit_fn visit, void *ctx);
bool arch_hyp_leaf_wx(uint64_t attrs);
bool arch_hyp_leaf_device(uint64_t attrs);

/* Per-VM translation (stage 2 / G-stage), built once at VM creation. */
bool arch_vm_init(struct vm *vm, struct page_pool *pool);
bool arch_vm_map(struct vm *vm, ipa_t ipa, paddr_t pa, uint64_t size, enum vm_map_kind kind);
bool arch_vm_translate(struct vm *vm, ipa_t ipa, paddr_t *pa);
/* RAM at [ipa, ipa + size), inside one HYP_VM_WINDOW_SIZE block of IPA not
 * mapped yet, page by page from the runs next() hands out (pt_map_runs). */
bool arch_vm_map_runs(struct vm *vm, ipa_t ipa, uint64_t size, pt_next_run_fn next, void *ctx);
/* The VM's stage-2 / G-stage leaves overlapping [ipa, ipa + size), in order. */
bool arch_vm_walk(struct vm *vm, ipa_t ipa, uint64_t size, pt_visit_fn visit, void *ctx);

/* (Re)build the VM's virtual interrupt controller from its config. */
void arch_vm_irqchip_init(struct vm *vm);
/* The VM stopped: give back at the physical controller every interrupt it
 * held outside its vCPUs (each vCPU's own go when it is quiesced). */
void arch_vm_irqchip_stop(struct vm *vm);

/* Write back [va, va+size) of RAM Baohu just filled to the point of
 * coherency: a guest starts with its caches off and reads memory directly. */
void arch_cache_clean(const void *va, uint64_t size);

/* Fill [pa, pa+size) of a VM's RAM before its guest runs, so that the guest
 * reads exactly these bytes whatever its cache settings, and nothing of the
 * earlier content survives in memory or in any cache. `reused`: the pages
 * were the VM's in a previous run (a reset; its lines may still be cached);
 * otherwise they are fresh from the allocator and were never written
 * through a cacheable mapping. Zeroing runs at cache-line speed where the
 * architecture allows (memfill.c). */
void arch_ram_zero(paddr_t pa, uint64_t size, bool reused);
void arch_ram_copy(paddr_t pa, const void *src, uint64_t size, bool reused);
/* The same through the window above (va from arch_vm_window_open). */
void arch_ram_zero_at(void *va, uint64_t size, bool reused);
void arch_ram_copy_at(void *va, const void *src, uint64_t size, bool reused);

/* The VM's RAM was just (re)loaded (arch_ram_zero/copy): no instruction
 * cache may keep a line of its earlier content, on any CPU. The vCPUs of
 * the VM are all off when this runs. */
void arch_vm_code_sync(struct vm *vm);

/* Reset the vCPU's architectural state so it starts at `entry` with `arg` in
 * its first argument register. Runs on the vCPU's own physical CPU. */
void arch_vcpu_reset(struct vcpu *vcpu, uint64_t entry, uint64_t arg);
/* Silence a vCPU that leaves the guest for good (timers off, interrupt state
 * cleared). Runs on the vCPU's own physical CPU. */
void arch_vcpu_quiesce(struct vcpu *vcpu);
/* Another CPU changed `vcpu`'s virtual interrupt state (CPU_MSG_VIRQ): take
 * it in before the vCPU next runs. Runs on the vCPU's own physical CPU. */
void arch_vcpu_virq_sync(struct vcpu *vcpu);
/* Make virtual interrupt `irq` (one of the VM's, e.g. an IPC doorbell) pending
 * in `vm`, from any CPU: it goes to the vCPU the guest routed it to. */
void arch_vm_virq_raise(struct vm *vm, irqid_t irq);
/* Raise Baohu's cross-CPU doorbell on `target`. */
void arch_cpu_send_ipi(cpuid_t target);
/* Enter the guest on this CPU with the state set by arch_vcpu_reset. */
noreturn void arch_vcpu_enter(struct vcpu *vcpu);

#endif
