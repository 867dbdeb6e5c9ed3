/* VM lifecycle: creation from the static config, vCPU power, stop, reset and fault reports. */
#include "arch.h"
#include "console.h"
#include "cpu.h"
#include "hyp_mem.h"
#include "ipc.h"
#include "vm.h"
#include "iommu.h"
#include "watchdog.h"

#define MAX_VMS PLATFORM_MAX_CPUS

/* The VMs' run-time state (not `vms`: that is the config's table, and gdb would see two). */
static struct vm vm_table[MAX_VMS];
static size_t vms_created;

struct vm *vm_by_id(vmid_t id)
{
    return id < baohu_config.vms_count ? &vm_table[id] : NULL;
}

size_t vm_count(void)
{
    return baohu_config.vms_count;
}

struct vcpu *vm_vcpu(struct vm *vm, uint64_t vcpu_id)
{
    return vcpu_id < vm->vcpu_count ? &vm->vcpus[vcpu_id] : NULL;
}

bool vm_ipa_is_ram(const struct vm *vm, uint64_t ipa, uint64_t size)
{
    for (size_t i = 0; i < vm->config->mem_count; i++) {
        const struct vm_mem_region *r = &vm->config->mem[i];
        if (ipa >= r->ipa && size <= r->size && ipa - r->ipa <= r->size - size)
            return true;
    }
    return false;
}

/* Free pages left in the RAM pool (the reset line reports it). */
static size_t vm_free_pages(void)
{
    spin_lock(&hyp_pool_lock);
    size_t n = hyp_page_pool.free_count;
    spin_unlock(&hyp_pool_lock);
    return n;
}

unsigned vm_llc_colours(void)
{
    if (platform.llc.size == 0 || platform.llc.ways == 0)
        return 0;
    return platform.llc.size / (platform.llc.ways * (uint32_t)PAGE_SIZE);
}

/* From `ipa` to the end of its HYP_VM_WINDOW_SIZE block of IPA (one
 * last-level table of stage 2 and of the VM window), or to `end`. */
static uint64_t vm_window_chunk(uint64_t ipa, uint64_t end)
{
    uint64_t len = HYP_VM_WINDOW_SIZE - (ipa & (HYP_VM_WINDOW_SIZE - 1));
    return len < end - ipa ? len : end - ipa;
}

/* Where a coloured region's pages come from: the next free pages of the
 * VM's colours after `cursor`. */
struct vm_colour_alloc {
    uint64_t colours;
    unsigned colour_count;
    size_t *cursor;
};

/* pt_next_run_fn: the longest run of physically consecutive free pages of
 * the colours the allocator has next, up to `max`. */
static bool vm_colour_next_run(uint64_t max, uint64_t *out, uint64_t *size, void *ctx)
{
    struct vm_colour_alloc *a = ctx;
    paddr_t pa;
    size_t got = 0;

    if (!page_alloc_coloured_run(&hyp_page_pool, a->colours, a->colour_count, a->cursor,
                                 (size_t)(max >> PAGE_SHIFT), &pa, &got))
        return false;
    *out = pa_addr(pa);
    *size = (uint64_t)got << PAGE_SHIFT;
    return true;
}

/* A coloured region is built from runs of consecutive pages of the VM's
 * colours (stage 2 maps them with 4 KiB pages: the cost of colouring),
 * written into stage 2 one last-level table (HYP_VM_WINDOW_SIZE of IPA) at
 * a time. Caller holds hyp_pool_lock. */
static bool vm_map_coloured(struct vm *vm, const struct vm_mem_region *r, size_t *cursor)
{
    struct vm_colour_alloc a;
    uint64_t ipa = r->ipa, end = r->ipa + r->size;

    a.colours = vm->config->colours;
    a.colour_count = vm_llc_colours();
    a.cursor = cursor;
    while (ipa < end) {
        uint64_t len = vm_window_chunk(ipa, end);
        if (!arch_vm_map_runs(vm, ipa_init(ipa), len, vm_colour_next_run, &a)) {
            console_log("VM '%s': no page of colours 0x%lx left for IPA 0x%lx", vm->name,
                        (unsigned long)vm->config->colours, (unsigned long)ipa);
            return false;
        }
        ipa += len;
    }
    return true;
}

/* Back one RAM region with pages and map it. Regions with a fixed PA take
 * exactly those pages (identity-mapped RAM for DMA); coloured VMs take pages
 * of their colours; the others come from the pool, 2 MiB-aligned when large
 * enough so stage 2 can use blocks. Caller holds hyp_pool_lock. */
static bool vm_map_ram(struct vm *vm, const struct vm_mem_region *r, size_t *cursor)
{
    if (!r->pa && vm->config->colours)
        return vm_map_coloured(vm, r, cursor);
    size_t pages = r->size / PAGE_SIZE;
    paddr_t pa;
    bool ok;
    if (r->pa) {
        pa = pa_init(r->pa);
        ok = page_pool_reserve(&hyp_page_pool, pa, pages);
    } else {
        size_t align = r->size >= (2u << 20) ? 512 : 1;
        ok = page_alloc(&hyp_page_pool, pages, align, &pa);
    }
    if (!ok) {
        console_log("VM '%s': no memory for region at IPA 0x%lx (%lu KiB)", vm->name,
                    (unsigned long)r->ipa, (unsigned long)(r->size >> 10));
        return false;
    }
    return arch_vm_map(vm, ipa_init(r->ipa), pa, r->size, VM_MAP_RAM);
}

/* Where an image goes: [ipa, ipa+size) from src (in RAM a loader filled,
 * read through a window, when preloaded). */
struct vm_image_span {
    uint64_t ipa, size;
    const uint8_t *src;
    bool preloaded;
};

/* Every image of a VM (`image`, then `extra_images`), sorted by IPA; the
 * validator saw that they do not overlap. */
struct vm_image_set {
    struct vm_image_span span[1 + VM_EXTRA_IMAGES_MAX];
    size_t count;
};

/* What one load found: for the colouring self-check. */
struct vm_load_stats {
    uint64_t coloured_pages;
    uint64_t bad_ipa; /* first page off the VM's colours, if colour_ok is false */
    bool colour_ok;
};

/* Where a piece of RAM is written from: its physical address, through the
 * arch's own view of it (an uncoloured region, one physical range), or an
 * address in the CPU's VM window (a coloured one, page by page). */
struct vm_fill_target {
    paddr_t pa;
    uint8_t *va; /* NULL: use pa */
};

static void vm_fill_zero(struct vm_fill_target *t, uint64_t off, uint64_t len, bool reused)
{
    if (t->va != NULL)
        arch_ram_zero_at(t->va + off, len, reused);
    else
        arch_ram_zero(pa_add(t->pa, off), len, reused);
}

static void vm_fill_copy(struct vm_fill_target *t, uint64_t off, const uint8_t *src,
                         uint64_t len, bool reused)
{
    if (t->va != NULL)
        arch_ram_copy_at(t->va + off, src, len, reused);
    else
        arch_ram_copy(pa_add(t->pa, off), src, len, reused);
}

/* Fill [ipa, ipa+len) at `t`, mapped: the parts the images cover are
 * copied, the rest zeroed; each byte written once. */
static void vm_fill_window(const struct vm_image_set *imgs, uint64_t ipa,
                           struct vm_fill_target *t, uint64_t len, bool reused)
{
    uint64_t end = ipa + len, done = ipa;
    for (size_t i = 0; i < imgs->count; i++) {
        const struct vm_image_span *img = &imgs->span[i];
        uint64_t lo = img->ipa > done ? img->ipa : done;
        uint64_t hi = img->ipa + img->size < end ? img->ipa + img->size : end;
        if (lo >= hi)
            continue;
        if (lo > done)
            vm_fill_zero(t, done - ipa, lo - done, reused);
        vm_fill_copy(t, lo - ipa, img->src + (lo - img->ipa), hi - lo, reused);
        done = hi;
    }
    if (end > done)
        vm_fill_zero(t, done - ipa, end - done, reused);
}

/* One physically contiguous piece [ipa, ipa+len) at pa, in a window. */
static bool vm_fill_extent(const struct vm_image_set *img, uint64_t ipa, paddr_t pa,
                           uint64_t len, bool reused)
{
    enum hyp_window_use use = reused ? HYP_WINDOW_FILL : HYP_WINDOW_FILL_FRESH;
    struct vm_fill_target t;
    if (!hyp_window_open(pa, len, use))
        return false;
    t.pa = pa;
    t.va = NULL;
    vm_fill_window(img, ipa, &t, len, reused);
#ifndef BAOHU_TEST_KEEP_WINDOW /* tests/integration/test_hyp_space.py: the self-check must see it */
    hyp_window_close(pa, len, use);
#endif
    return true;
}

/* What each window of a coloured region is checked against. */
struct vm_colour_check {
    struct vm_load_stats *st;
    uint64_t colours;
    unsigned colour_count;
};

/* Bits [first, first + len) of a mask, len < 64. */
static uint64_t bit_span(unsigned first, unsigned len)
{
    return ((1ull << len) - 1) << first;
}

/* pt_run_fn: every page stage 2 maps must be of the VM's colours (the
 * isolation claim), read from the tables the MMU uses. Consecutive pages
 * have consecutive colours, so a run is one mask test: its colours are a
 * span from the first page's, wrapping at colour_count (at most 64). */
static bool vm_colour_run(uint64_t ipa, uint64_t pa, uint64_t size, void *ctx)
{
    struct vm_colour_check *c = ctx;
    uint64_t pages = size >> PAGE_SHIFT;
    unsigned n = c->colour_count, first = page_colour(pa_init(pa), n);
    uint64_t all = n == 64 ? ~0ull : (1ull << n) - 1, need;

    c->st->coloured_pages += pages;
    if (!c->st->colour_ok)
        return true;
    if (pages >= n)
        need = all;
    else if (first + pages <= n)
        need = bit_span(first, (unsigned)pages);
    else
        need = bit_span(first, n - first) | bit_span(0, (unsigned)(first + pages - n));
    if ((need & ~c->colours) == 0)
        return true;
    /* Rare: find the first page off the colours, for the report. */
    c->st->colour_ok = false;
    for (uint64_t i = 0; i < pages; i++) {
        if (!((c->colours >> first) & 1)) {
            c->st->bad_ipa = ipa + (i << PAGE_SHIFT);
            break;
        }
        first = page_colour_next(first, n);
    }
    return true;
}

/* A coloured region, through its stage-2 translation (the tables the MMU
 * uses): a window of up to HYP_VM_WINDOW_SIZE at a time shows its pages
 * at consecutive addresses, which are then filled in one go; every page's
 * colour is checked on the way. */
static bool vm_load_coloured(struct vm *vm, const struct vm_mem_region *r,
                             const struct vm_image_set *img, bool reused,
                             struct vm_load_stats *st)
{
    enum hyp_window_use use = reused ? HYP_WINDOW_FILL : HYP_WINDOW_FILL_FRESH;
    struct vm_colour_check c;
    uint64_t ipa = r->ipa, end = r->ipa + r->size;

    c.st = st;
    c.colours = vm->config->colours;
    c.colour_count = vm_llc_colours();
    while (ipa < end) {
        uint64_t len = vm_window_chunk(ipa, end);
        struct vm_fill_target t;
        t.pa = pa_init(0);
        t.va = hyp_vm_window_open(vm, ipa_init(ipa), len, use, vm_colour_run, &c);
        if (t.va == NULL)
            return false;
        vm_fill_window(img, ipa, &t, len, reused);
        hyp_vm_window_close(ipa_init(ipa), len);
        ipa += len;
    }
    return true;
}

/* Where `im` is read from. */
static void vm_image_source(const struct vm_image *im, struct vm_image_span *span)
{
    if (im->kind == VM_IMAGE_EMBEDDED) {
        span->src = im->start;
        span->size = (uint64_t)(im->end - im->start);
    } else {
        span->src = (const uint8_t *)(uintptr_t)im->pa;
        span->size = im->size;
    }
    span->ipa = im->ipa;
    span->preloaded = im->kind == VM_IMAGE_PRELOADED && span->size != 0;
}

/* An image the loader placed in RAM is read through a window of its own. */
static bool vm_image_window(const struct vm_image_span *span, bool open)
{
    if (!span->preloaded)
        return true;
    paddr_t pa = pa_init(ALIGN_DOWN((uint64_t)(uintptr_t)span->src, PAGE_SIZE));
    uint64_t size = ALIGN_UP((uint64_t)(uintptr_t)span->src + span->size, PAGE_SIZE) - pa_addr(pa);
    if (open)
        return hyp_window_open(pa, size, HYP_WINDOW_READ);
    hyp_window_close(pa, size, HYP_WINDOW_READ);
    return true;
}

static void vm_image_windows_close(const struct vm_image_set *set, size_t count)
{
    for (size_t i = 0; i < count; i++)
        (void)vm_image_window(&set->span[i], false);
}

static bool vm_image_windows_open(const struct vm_image_set *set)
{
    for (size_t i = 0; i < set->count; i++)
        if (!vm_image_window(&set->span[i], true)) {
            vm_image_windows_close(set, i);
            return false;
        }
    return true;
}

/* `image` and `extra_images` as spans, each inside the VM's RAM. */
static bool vm_image_set_make(const struct vm *vm, struct vm_image_set *set)
{
    const struct vm_config *c = vm->config;
    if (c->extra_images_count > VM_EXTRA_IMAGES_MAX)
        return false;
    set->count = 1 + c->extra_images_count;
    for (size_t i = 0; i < set->count; i++) {
        struct vm_image_span *span = &set->span[i];
        vm_image_source(i == 0 ? &c->image : &c->extra_images[i - 1], span);
        if (!vm_ipa_is_ram(vm, span->ipa, span->size))
            return false;
    }
    return true;
}

/* The spans in IPA order, for vm_fill_window. */
static void vm_image_set_sort(struct vm_image_set *set)
{
    for (size_t i = 1; i < set->count; i++) {
        struct vm_image_span key = set->span[i];
        size_t j = i;
        while (j > 0 && set->span[j - 1].ipa > key.ipa) {
            set->span[j] = set->span[j - 1];
            j--;
        }
        set->span[j] = key;
    }
}

/* Zero the VM's RAM and copy its images in: the state a fresh boot and a
 * reset both start from. Every byte of RAM is written (zeroed, or copied
 * where an image lies), so nothing of a previous run or of another owner
 * of these pages stays visible to the guest. A region that is not coloured
 * was mapped as one physical range: one translation, one fill. */
static bool vm_load(struct vm *vm, bool reused, struct vm_load_stats *st)
{
    const struct vm_config *c = vm->config;
    struct vm_image_set set;
    if (!vm_image_set_make(vm, &set))
        return false;
    vm_image_set_sort(&set);
    st->coloured_pages = 0;
    st->colour_ok = true;
    if (!vm_image_windows_open(&set))
        return false;
    bool ok = true;
    for (size_t i = 0; ok && i < c->mem_count; i++) {
        const struct vm_mem_region *r = &c->mem[i];
        paddr_t pa;
        if (!r->pa && c->colours)
            ok = vm_load_coloured(vm, r, &set, reused, st);
        else
            ok = arch_vm_translate(vm, ipa_init(r->ipa), &pa) &&
                 vm_fill_extent(&set, r->ipa, pa, r->size, reused);
    }
    vm_image_windows_close(&set, set.count);
    return ok;
}

static bool vm_colour_report(const struct vm *vm, const struct vm_load_stats *st)
{
    if (!st->colour_ok) {
        console_log("VM '%s' colouring self-check FAILED at IPA 0x%lx", vm->name,
                    (unsigned long)st->bad_ipa);
        return false;
    }
    console_log("VM '%s' colouring self-check: %lu RAM pages, all of colours 0x%lx (of %u)",
                vm->name, (unsigned long)st->coloured_pages, (unsigned long)vm->config->colours,
                vm_llc_colours());
    return true;
}

bool vm_create(struct vm *vm, vmid_t id, const struct vm_config *c)
{
    vm->id = id;
    vm->config = c;
    vm->name = c->name;
    vm->vcpu_count = 0;
    for (cpuid_t cpu = 0; cpu < platform.cpu_count; cpu++) {
        if (!(c->cpus & (1ull << cpu)))
            continue;
        struct vcpu *v = &vm->vcpus[vm->vcpu_count];
        v->vm = vm;
        v->id = vm->vcpu_count++;
        v->cpu = cpu;
        v->state = VCPU_OFF;
    }
    uint64_t t0 = arch_time_ns();
    /* Every map below may take translation-table pages from the shared
     * pool, and VMs are built on their own CPUs at the same time: the whole
     * mapping phase holds the pool lock, so no page is handed out twice. */
    spin_lock(&hyp_pool_lock);
    bool ok = arch_vm_init(vm, &hyp_table_pool);
    size_t colour_cursor = 0;
    for (size_t i = 0; ok && i < c->mem_count; i++)
        ok = vm_map_ram(vm, &c->mem[i], &colour_cursor);
    ok = ok && ipc_vm_map(vm);
    for (size_t i = 0; ok && i < c->devs_count; i++) {
        const struct vm_dev_region *d = &c->devs[i];
        ok = arch_vm_map(vm, ipa_init(d->ipa), pa_init(d->pa), d->size, VM_MAP_DEVICE);
    }
    ok = ok && iommu_vm_attach(vm); /* its DMA streams see what it sees */
    spin_unlock(&hyp_pool_lock);
    struct vm_load_stats st;
    ok = ok && vm_load(vm, false, &st);
    ok = ok && (!c->colours || vm_colour_report(vm, &st));
    if (ok)
        arch_vm_code_sync(vm);
    if (!ok) {
        console_log("VM '%s': creation failed, VM not started", vm->name);
        vm->state = VM_STOPPED;
        return false;
    }
    vuart_reset(vm);
    arch_vm_irqchip_init(vm);
    vm->run_started_ns = arch_time_ns();
    watchdog_vm_start(vm);
    vm->state = VM_RUNNING;
    /* Last, with release: a manager on another CPU that sees it built
     * (acquire, vm_reset_claim / vm_request_stop) sees all of the above. */
    __atomic_store_n(&vm->built, true, __ATOMIC_RELEASE);
    __atomic_add_fetch(&vms_created, 1, __ATOMIC_RELEASE);
    console_log("VM '%s' (#%u): %u vCPU(s), entry 0x%lx, built in %lu us", vm->name, id,
                vm->vcpu_count, (unsigned long)c->entry,
                (unsigned long)((arch_time_ns() - t0) / 1000));
    return true;
}

/*
 * PSCI CPU_ON (DEN0022 §5.6) / SBI HSM hart_start (§9.1). Under vm->lock, so
 * that concurrent starts of one vCPU are serialised: the first finds it OFF,
 * writes its entry point and context, then publishes ON_PENDING; a later one
 * finds ON_PENDING or ON and leaves the winner's entry alone (§5.6.2: a
 * losing call returns ON_PENDING / ALREADY_ON, SBI_ERR_ALREADY_AVAILABLE).
 * Under the same lock vm_reset and vm_stop move the VM out of VM_RUNNING:
 * a start that comes after is refused, so no vCPU is started while its
 * VM's memory is being reloaded. A vCPU leaves OFF only under this lock
 * (here, or for STOPPED in vm_halt_vcpus; its own CPU only ever moves it
 * *to* OFF): the check and the store cannot be separated.
 */
enum vcpu_start_result vm_vcpu_start(struct vm *vm, uint64_t vcpu_id, uint64_t entry, uint64_t arg)
{
    struct vcpu *v = vm_vcpu(vm, vcpu_id);
    if (!v)
        return VCPU_START_NO_SUCH_VCPU;
    if (!vm_ipa_is_ram(vm, entry, 4))
        return VCPU_START_BAD_ENTRY;
    enum vcpu_start_result res = VCPU_START_OK;
    spin_lock(&vm->lock);
    enum vcpu_state s = __atomic_load_n(&v->state, __ATOMIC_ACQUIRE);
    if (vm->state != VM_RUNNING) {
        res = VCPU_START_VM_RESETTING;
    } else if (s == VCPU_START_PENDING) {
        res = VCPU_START_ALREADY_PENDING;
    } else if (s != VCPU_OFF) {
        res = VCPU_START_ALREADY_ON;
    } else {
        v->boot_entry = entry;
        v->boot_arg = arg;
        /* Release: its CPU's acquire CAS to ON (cpu_idle) reads these after. */
        __atomic_store_n(&v->state, VCPU_START_PENDING, __ATOMIC_RELEASE);
    }
    spin_unlock(&vm->lock);
    if (res == VCPU_START_OK)
        cpu_msg_send(v->cpu, CPU_MSG_VCPU_STATE);
    return res;
}

noreturn void vcpu_power_off(struct vcpu *v)
{
    enum vcpu_state on = VCPU_ON;
    __atomic_compare_exchange_n(&v->state, &on, VCPU_OFF, false, __ATOMIC_ACQ_REL,
                                __ATOMIC_ACQUIRE);
    arch_cpu_park();
}

static void vm_all_stopped_check(void)
{
    for (vmid_t i = 0; i < vm_count(); i++)
        if (vm_table[i].state != VM_STOPPED)
            return;
    console_log("every VM has stopped: powering off");
    arch_system_off();
}

/* Mark every vCPU stopped and tell the other CPUs (all of them when the
 * caller is outside the VM: NULL); their exit path or idle loop takes them
 * out of the guest. */
static void vm_halt_vcpus(struct vm *vm, const struct vcpu *caller)
{
    uint32_t own = caller != NULL ? caller->id : UINT32_MAX;
    for (uint32_t i = 0; i < vm->vcpu_count; i++) {
        struct vcpu *v = &vm->vcpus[i];
        v->state = VCPU_STOPPED;
        if (i != own)
            cpu_msg_send(v->cpu, CPU_MSG_VCPU_STATE);
    }
}

/* The run's unfinished console line goes out, ended by the next line
 * (console_out.c): left in the buffer it would become the head of the
 * next run's first line, and `[vm] guest up` would not start a line. */
static void vm_console_end_run(struct vm *vm)
{
    console_guest_flush(&vm->console, vm->name);
}

/* The VM leaves VM_RUNNING for good: irqchip, reports, power-off check. */
static void vm_stopped(struct vm *vm, const char *why)
{
    arch_vm_irqchip_stop(vm);
    vm_console_end_run(vm);
    vm_fault_summary(vm, true); /* faults still held back are told first */
    console_log("VM '%s' stopped: %s", vm->name, why);
}

void vm_stop(struct vm *vm, struct vcpu *caller, const char *why)
{
    spin_lock(&vm->lock);
    enum vm_state was = vm->state;
    if (was == VM_RESETTING) {
        /* A reset owns the VM (vm_reset_claim): it has stopped every vCPU
         * but its own and is reloading memory. The stop is applied when
         * the reload is done, in place of the restart; the caller, already
         * marked STOPPED by the owner, parks. */
        if (!vm->stop_after_reset)
            vm->stop_after_reset = why;
        spin_unlock(&vm->lock);
        if (caller)
            arch_cpu_park();
        return;
    }
    vm->state = VM_STOPPED;
    if (was == VM_RUNNING)
        vm_halt_vcpus(vm, caller);
    spin_unlock(&vm->lock);
    if (was == VM_RUNNING)
        vm_stopped(vm, why);
    vm_all_stopped_check();
    if (caller)
        arch_cpu_park();
}

/* Unlike vm_stop, a request from outside is refused while a reset owns the
 * VM: the caller learns that its stop did not happen (BUSY). */
enum vm_request_result vm_request_stop(struct vm *vm, const char *why)
{
    spin_lock(&vm->lock);
    enum vm_state was = vm->state;
    bool built = __atomic_load_n(&vm->built, __ATOMIC_ACQUIRE);
    if (was == VM_RUNNING && built) {
        vm->state = VM_STOPPED;
        vm_halt_vcpus(vm, NULL);
    }
    spin_unlock(&vm->lock);
    if (was != VM_RUNNING || !built) /* not built yet: still being created */
        return was == VM_STOPPED ? VM_REQUEST_STOPPED : VM_REQUEST_BUSY;
    vm_stopped(vm, why);
    vm_all_stopped_check();
    return VM_REQUEST_OK;
}

/*
 * A reset has one owner: the first caller to find the VM in the state it
 * expects (under vm->lock) moves it to VM_RESETTING and marks every other
 * vCPU STOPPED. Every later caller, a sibling's SYSTEM_RESET / SRST, a
 * fault under the "reset" policy or a manager's request, finds it
 * resetting (or stopped) and is refused: a vCPU of the VM parks (the owner
 * already counts it among the vCPUs to wait for, its idle loop takes it
 * out of the guest and marks it OFF, and it stays there, in WFI, until the
 * new run starts it with PSCI CPU_ON / HSM hart_start); a request from
 * outside gets BUSY. Only the owner waits, and only for CPUs that are on
 * their way out of the guest (the IPI reaches them whatever the guest
 * does). While VM_RESETTING, vm_vcpu_start refuses.
 */
enum vm_request_result vm_reset_claim(struct vm *vm, struct vcpu *caller, enum vm_state from,
                                      const char *why)
{
    enum vm_request_result res = VM_REQUEST_OK;
    spin_lock(&vm->lock);
    /* A VM whose vCPU 0's CPU is still building it (state not yet set)
     * is as busy as one being reset. */
    bool built = __atomic_load_n(&vm->built, __ATOMIC_ACQUIRE);
    if (vm->state == VM_RESETTING || (!built && vm->state != VM_STOPPED))
        res = VM_REQUEST_BUSY;
    else if (vm->state != from)
        res = vm->state == VM_STOPPED ? VM_REQUEST_STOPPED : VM_REQUEST_RUNNING;
    else if (!built)
        res = VM_REQUEST_UNBUILT;
    if (res == VM_REQUEST_OK) {
        vm->state = VM_RESETTING;
        vm->stop_after_reset = NULL;
        vm->reload_why = why;
        /* From VM_STOPPED every vCPU is STOPPED already; marking them again
         * and telling their CPUs has them move to OFF (cpu_idle). */
        vm_halt_vcpus(vm, caller);
    }
    spin_unlock(&vm->lock);
    return res;
}

noreturn void vm_reset_run(struct vm *vm, struct vcpu *caller)
{
    vm->resets++;
    vm_console_end_run(vm);
    vm_fault_summary(vm, true);
    fault_log_new_run(&vm->faults);
    /* The pool's free count: a reset takes and gives back no page, so it is
     * the same after every reset (tests/integration/test_lifecycle.py). */
    console_log("VM '%s' resetting: %s (reset %lu, %lu pages free)", vm->name, vm->reload_why,
                (unsigned long)vm->resets, (unsigned long)vm_free_pages());
    if (caller) {
        arch_vcpu_quiesce(caller);
        caller->entered = false;
        caller->state = VCPU_OFF;
    }
    /* Every other vCPU must have left the guest before its memory is
     * rewritten under it: their idle loops mark them OFF. */
    for (uint32_t i = 0; i < vm->vcpu_count; i++)
        while (__atomic_load_n(&vm->vcpus[i].state, __ATOMIC_ACQUIRE) != VCPU_OFF)
            arch_cpu_relax();
    /* A sibling may have printed between the first flush and leaving. */
    vm_console_end_run(vm);
    /* Events peers raised towards the old run are not the new run's: with
     * the word left non-zero no doorbell would ring for it (one per 0->1). */
    for (size_t i = 0; i < VM_IPC_MAX; i++)
        __atomic_store_n(&vm->ipc_events[i], 0, __ATOMIC_RELEASE);
    struct vm_load_stats st;
    bool loaded = vm_load(vm, true, &st);
    /* No instruction of the old run may be fetched from any cache. */
    if (loaded)
        arch_vm_code_sync(vm);
    vuart_reset(vm);
    arch_vm_irqchip_init(vm);
    vm->run_started_ns = arch_time_ns();
    watchdog_vm_start(vm);
    spin_lock(&vm->lock);
    const char *stop = !loaded ? "reload failed" : vm->stop_after_reset;
    vm->state = stop != NULL ? VM_STOPPED : VM_RUNNING;
    spin_unlock(&vm->lock);
    if (stop) {
        /* Every vCPU is OFF already: nothing to halt. */
        vm_stopped(vm, stop);
        vm_all_stopped_check();
        arch_cpu_park();
    }
    vm_vcpu_start(vm, 0, vm->config->entry, vm->config->dtb_ipa);
    arch_cpu_park();
}

noreturn void vm_reset(struct vm *vm, struct vcpu *caller, const char *why)
{
    if (vm_reset_claim(vm, caller, VM_RUNNING, why) != VM_REQUEST_OK)
        arch_cpu_park();
    vm_reset_run(vm, caller);
}

/* The reload needs the VM's own CPUs (its windows, its vCPUs' state): the
 * claim is made here, and vCPU 0's CPU, once its vCPU is OFF, runs it from
 * its idle loop. */
enum vm_request_result vm_request_reload(struct vm *vm, enum vm_state from, const char *why)
{
    enum vm_request_result res = vm_reset_claim(vm, NULL, from, why);
    if (res == VM_REQUEST_OK) {
        __atomic_store_n(&vm->reload_pending, true, __ATOMIC_RELEASE);
        cpu_msg_send(vm->vcpus[0].cpu, CPU_MSG_VM_CONTROL);
    }
    return res;
}

noreturn void cpu_idle(void)
{
    struct cpu *c = cpu_current();
    struct vcpu *v = c->vcpu;
    for (;;) {
        cpu_msg_handle();
        if (v) {
            if (v->entered && v->state != VCPU_ON) {
                arch_vcpu_quiesce(v);
                v->entered = false;
            }
            enum vcpu_state stopped = VCPU_STOPPED;
            if (v->vm->state == VM_RESETTING)
                __atomic_compare_exchange_n(&v->state, &stopped, VCPU_OFF, false,
                                            __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE);
            /* A reload claimed from outside the VM (vm_request_reload):
             * vCPU 0's CPU owns it once its own vCPU is out. */
            if (v->id == 0 && v->state == VCPU_OFF &&
                __atomic_load_n(&v->vm->reload_pending, __ATOMIC_ACQUIRE)) {
                /* Only this CPU clears it, and no other claim can be made
                 * before the run ends VM_RESETTING. */
                v->vm->reload_pending = false;
                vm_reset_run(v->vm, NULL);
            }
            enum vcpu_state pending = VCPU_START_PENDING;
            if (__atomic_compare_exchange_n(&v->state, &pending, VCPU_ON, false,
                                            __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE)) {
                v->vector_faults = 0;
                arch_vcpu_reset(v, v->boot_entry, v->boot_arg);
                v->entered = true;
                arch_vcpu_enter(v);
            }
        }
        arch_cpu_idle_wait();
    }
}

/* "VM 'x': N more faults since T s (M in all; last ...)": the faults that were
 * counted but not printed since the VM's last report line. */
static void vm_fault_summary_print(const struct vm *vm, const struct fault_summary *s)
{
    console_log("VM '%s': %lu more fault(s) since %lu.%03lu s (%lu in all; last syndrome 0x%lx"
                " at address 0x%lx, PC 0x%lx)",
                vm->name, (unsigned long)s->count, (unsigned long)(s->since_ns / 1000000000u),
                (unsigned long)(s->since_ns / 1000000u % 1000u), (unsigned long)s->total,
                (unsigned long)s->syndrome, (unsigned long)s->addr, (unsigned long)s->pc);
}

void vm_fault_summary(struct vm *vm, bool force)
{
    struct fault_summary sum;
    if (fault_log_summary(&vm->faults, arch_time_ns(), force, &sum))
        vm_fault_summary_print(vm, &sum);
}

/* Count and report one fault; true if the VM goes on (the caller injects). */
static bool vm_fault_report(struct vcpu *v, const struct vm_fault *f)
{
    struct vm *vm = v->vm;
    enum vm_fault_policy policy = vm->config->fault_policy;
    bool storm = false;
    if (!f->in_vector)
        v->vector_faults = 0;
    else if (++v->vector_faults > VM_FAULT_VECTOR_STORM)
        storm = true;
    bool fatal = policy != VM_FAULT_INJECT || !f->inject || storm;
    const char *outcome = !fatal ? f->inject : policy == VM_FAULT_RESET ? "VM reset" : "VM stopped";

    struct fault_summary sum;
    bool full = fault_log_record(&vm->faults, arch_time_ns(), fatal, f->syndrome, f->addr, f->pc,
                                 &sum);
    if (sum.count)
        vm_fault_summary_print(vm, &sum);
    if (full)
        console_log("FAULT VM '%s' vCPU %u: %s (syndrome 0x%lx) at address 0x%lx, PC 0x%lx; %s",
                    vm->name, v->id, f->what, (unsigned long)f->syndrome, (unsigned long)f->addr,
                    (unsigned long)f->pc, outcome);
    if (storm)
        console_log("VM '%s' vCPU %u: %u faults in a row inside its own exception vector: "
                    "it cannot take exceptions", vm->name, v->id, (unsigned)v->vector_faults);
    return !fatal;
}

/* The policy's answer to a fault the guest is not given: stop or reset. */
static noreturn void vm_fault_apply(struct vcpu *v)
{
    v->vector_faults = 0;
    if (v->vm->config->fault_policy == VM_FAULT_RESET)
        vm_reset(v->vm, v, "fault");
    vm_stop(v->vm, v, "fault");
    arch_cpu_park();
}

noreturn void vm_fault_fatal(struct vcpu *v, const struct vm_fault *f)
{
    struct vm_fault fatal = *f;
    fatal.inject = NULL;
    vm_fault_report(v, &fatal);
    vm_fault_apply(v);
}

void vm_fault(struct vcpu *v, const struct vm_fault *f)
{
    if (!vm_fault_report(v, f))
        vm_fault_apply(v);
}
