/* Start-up: the boot CPU prepares the machine, then every CPU builds or joins its VM. */
#include "arch.h"
#include "console.h"
#include "cpu.h"
#include "hyp_colour.h"
#include "hyp_mem.h"
#include "ipc.h"
#include "vm.h"
#include "iommu.h"

/* All platform RAM, 1 bit per page; Baohu's reserved range is marked used. */
#define MAX_RAM_PAGES (4ull << 30 >> PAGE_SHIFT)
static uint64_t hyp_page_bitmap[MAX_RAM_PAGES / 64];
struct page_pool hyp_page_pool;
/* Baohu's reserved range, 1 bit per page; the image is marked used. */
static uint64_t hyp_table_bitmap[HYP_TABLE_POOL_MAX_PAGES / 64];
struct page_pool hyp_table_pool;
spinlock_t hyp_pool_lock = SPINLOCK_INIT;
/* Every architecture's linker script ends the image here. */
extern char __image_end[];

static volatile bool vm_ready[PLATFORM_MAX_CPUS];
static volatile bool cpu_checked_in[PLATFORM_MAX_CPUS];
static bool ipc_ok;

/* The vCPU index of `cpu` inside a VM owning it: its rank among the VM's CPUs. */
static bool vm_owner_of(cpuid_t cpu, vmid_t *vmid, uint32_t *vcpu_id)
{
    for (vmid_t i = 0; i < baohu_config.vms_count; i++) {
        uint64_t set = baohu_config.vms[i].cpus;
        if (set & (1ull << cpu)) {
            *vmid = i;
            *vcpu_id = 0;
            for (cpuid_t lower = 0; lower < cpu; lower++)
                *vcpu_id += (set >> lower) & 1;
            return true;
        }
    }
    return false;
}

/* The pages a loader put a guest image in stay Baohu's: every reset copies
 * the image from them again. */
static void preloaded_reserve(const struct vm_image *img)
{
    if (img->kind == VM_IMAGE_PRELOADED)
        (void)page_pool_reserve(&hyp_page_pool, pa_init(img->pa),
                                ALIGN_UP(img->size, PAGE_SIZE) >> PAGE_SHIFT);
}

/* Page pool over the first RAM bank, minus Baohu's own reservation and any
 * guest image the loader placed in RAM (so nothing is allocated over it
 * before it is copied); table pool over the reservation after the image
 * (of Baohu's colours only when it is coloured).
 * Runs with the MMU off: shared memory is zeroed here, where no window
 * has to be opened for it. */
void core_memory_init(void)
{
    const struct platform_range *ram = &platform.ram[0];
    uint64_t pages = ram->size >> PAGE_SHIFT;
    uint64_t hyp_base = platform.hyp_reserved.base;
    uint64_t hyp_pages = (hyp_table_pool_end(hyp_base, platform.hyp_reserved.size) - hyp_base) >> PAGE_SHIFT;
    page_pool_init(&hyp_table_pool, pa_init(hyp_base), hyp_pages, hyp_table_bitmap);
    page_pool_reserve(&hyp_table_pool, pa_init(hyp_base),
                      (ALIGN_UP((uint64_t)(uintptr_t)__image_end, PAGE_SIZE) - hyp_base) >> PAGE_SHIFT);
    /* A coloured Baohu: its tables only from pages of its colours (a plan
     * that does not fit leaves it uncoloured, reported at boot). */
    (void)hyp_colour_init(baohu_config.hyp_colours, vm_llc_colours());
    if (pages > MAX_RAM_PAGES)
        pages = MAX_RAM_PAGES;
    page_pool_init(&hyp_page_pool, pa_init(ram->base), pages, hyp_page_bitmap);
    page_pool_reserve(&hyp_page_pool, pa_init(platform.hyp_reserved.base),
                      platform.hyp_reserved.size >> PAGE_SHIFT);
    ipc_ok = ipc_init(&hyp_page_pool);
    for (size_t i = 0; i < baohu_config.vms_count; i++) {
        const struct vm_config *vm = &baohu_config.vms[i];
        preloaded_reserve(&vm->image);
        for (size_t k = 0; k < vm->extra_images_count; k++)
            preloaded_reserve(&vm->extra_images[k]);
    }
}

/* How long CPU 0 waits for the CPUs it started to reach core_cpu_main. */
#define CPU_CHECK_IN_NS 2000000000ull

/* Wait until every CPU in `pending` has checked in or the deadline passes;
 * returns those that did not. */
static uint64_t cpus_wait_check_in(uint64_t pending)
{
    uint64_t deadline = arch_time_ns() + CPU_CHECK_IN_NS;
    for (;;) {
        for (cpuid_t cpu = 1; cpu < platform.cpu_count; cpu++)
            if (__atomic_load_n(&cpu_checked_in[cpu], __ATOMIC_ACQUIRE))
                pending &= ~(1ull << cpu);
        if (!pending || arch_time_ns() > deadline)
            return pending;
        arch_cpu_relax();
    }
}

/* Start the other CPUs and see each one arrive: the firmware's "started" only
 * says it accepted the request. One that has not checked in by the deadline
 * is started once more (it may have been lost on the way), then reported. */
void core_start_cpus(void)
{
    iommu_init();
    console_log("Baohu on %s: %lu CPUs, %lu VM(s), %lu MiB free RAM", platform.name,
                (unsigned long)platform.cpu_count, (unsigned long)baohu_config.vms_count,
                (unsigned long)(hyp_page_pool.free_count >> (20 - PAGE_SHIFT)));
    hyp_colour_report();
    if (!ipc_ok)
        console_log("shared memory could not be set up: VMs that use it will not start");
    uint64_t started = 0;
    page_pool_share(&hyp_page_pool);
    for (cpuid_t cpu = 1; cpu < platform.cpu_count; cpu++) {
        if (arch_cpu_start(cpu))
            started |= 1ull << cpu;
        else
            console_log("CPU %u did not start", cpu);
    }
    uint64_t missing = cpus_wait_check_in(started);
    if (!missing)
        return;
    for (cpuid_t cpu = 1; cpu < platform.cpu_count; cpu++) {
        if (!(missing & (1ull << cpu)))
            continue;
        bool again = arch_cpu_start(cpu);
        console_log("CPU %u did not check in within %lu ms: %s", cpu,
                    (unsigned long)(CPU_CHECK_IN_NS / 1000000),
                    again ? "started it again" : "start refused, still waiting");
    }
    missing = cpus_wait_check_in(missing);
    for (cpuid_t cpu = 1; cpu < platform.cpu_count; cpu++)
        if (missing & (1ull << cpu))
            console_log("CPU %u has still not checked in: its vCPU cannot run", cpu);
}

/* Every CPU ends up here, with its MMU and interrupt interface set up. */
noreturn void core_cpu_main(cpuid_t cpu)
{
    struct cpu *c = cpu_by_id(cpu);
    c->id = cpu;
    __atomic_store_n(&cpu_checked_in[cpu], true, __ATOMIC_RELEASE);
    vmid_t vmid;
    uint32_t vcpu_id;
    if (!vm_owner_of(cpu, &vmid, &vcpu_id)) {
        hyp_space_check(cpu);
        console_log("CPU %u belongs to no VM: idle", cpu);
        cpu_idle();
    }
    struct vm *vm = vm_by_id(vmid);
    if (vcpu_id == 0) {
        if (vm_create(vm, vmid, &baohu_config.vms[vmid]))
            vm->vcpus[0].state = VCPU_START_PENDING;
        vm->vcpus[0].boot_entry = vm->config->entry;
        vm->vcpus[0].boot_arg = vm->config->dtb_ipa;
        __atomic_store_n(&vm_ready[vmid], true, __ATOMIC_RELEASE);
    } else {
        /* The VM's first CPU builds it; wait for that before touching it. */
        while (!__atomic_load_n(&vm_ready[vmid], __ATOMIC_ACQUIRE))
            arch_cpu_relax();
    }
    /* Its VM is built and every window this CPU opened for it is closed. */
    hyp_space_check(cpu);
    c->vcpu = &vm->vcpus[vcpu_id];
    cpu_idle();
}
