/* The manager VM's hypercalls: VM_INFO, VM_STOP, VM_START, VM_RESTART and VM_STATS (include/baohu/hypercall.h). */
#include "arch.h"
#include "hyp_mem.h"
#include "vm.h"
#include "vm_manage.h"

/* Why-strings outlive the call (a reload prints its reason on the target's
 * CPU later): fixed text only. */
static const char why_stop[] = "stop requested by the manager";
static const char why_start[] = "start requested by the manager";
static const char why_restart[] = "restart requested by the manager";

static int64_t vm_manage_result(enum vm_request_result r)
{
    switch (r) {
    case VM_REQUEST_OK:
        return BAOHU_HC_OK;
    case VM_REQUEST_BUSY:
        return BAOHU_HC_ERR_BUSY;
    case VM_REQUEST_RUNNING:
        return BAOHU_HC_ERR_ALREADY_RUNNING;
    case VM_REQUEST_STOPPED:
        return BAOHU_HC_ERR_ALREADY_STOPPED;
    default: /* VM_REQUEST_UNBUILT: its creation failed, there is nothing to start */
        return BAOHU_HC_ERR_INVALID_PARAM;
    }
}

/*
 * Write `len` bytes of a record into the caller's RAM at guest-physical
 * `ipa`, a buffer of `size` bytes. The address is the guest's: it must lie
 * in one of the caller's RAM regions and, with the record, inside one page
 * (so one translation of the caller's stage 2 / G-stage covers it, and a
 * coloured VM's scattered pages need no walk); Baohu writes it through a
 * window onto that one page, never at an address the guest names.
 */
static int64_t vm_manage_copy_out(struct vm *caller, uint64_t ipa, uint64_t size,
                                  const void *rec, uint64_t len)
{
    if (size < len || (ipa & 7u) != 0 || (ipa & (PAGE_SIZE - 1)) + len > PAGE_SIZE ||
        !vm_ipa_is_ram(caller, ipa, len))
        return BAOHU_HC_ERR_INVALID_PARAM;
    paddr_t pa;
    if (!arch_vm_translate(caller, ipa_init(ipa), &pa))
        return BAOHU_HC_ERR_INVALID_PARAM;
    paddr_t page = pa_init(ALIGN_DOWN(pa_addr(pa), PAGE_SIZE));
    if (!hyp_window_open(page, PAGE_SIZE, HYP_WINDOW_FILL))
        return BAOHU_HC_ERR_BUSY;
    /* reused: the page is the guest's, its lines may be in any cache. */
    arch_ram_copy(pa, rec, len, true);
    hyp_window_close(page, PAGE_SIZE, HYP_WINDOW_FILL);
    return BAOHU_HC_OK;
}

static uint32_t vm_manage_state(enum vm_state s)
{
    switch (s) {
    case VM_RUNNING:
        return BAOHU_VM_RUNNING;
    case VM_RESETTING:
        return BAOHU_VM_RESETTING;
    default:
        return BAOHU_VM_STOPPED;
    }
}

/* From the static config: a VM still being built has no vm->config yet. */
static uint32_t vm_manage_vcpus(const struct vm_config *c)
{
    uint32_t n = 0;
    for (cpuid_t cpu = 0; cpu < PLATFORM_MAX_CPUS; cpu++)
        n += (uint32_t)((c->cpus >> cpu) & 1u);
    return n;
}

static int64_t vm_manage_info(struct vm *caller, const struct vm *vm, const struct vm_config *c,
                              uint64_t ipa, uint64_t size)
{
    struct baohu_vm_info info = {.vcpus = vm_manage_vcpus(c)};
    size_t n = 0;
    while (n + 1 < sizeof info.name && c->name && c->name[n] != '\0') {
        info.name[n] = c->name[n];
        n++;
    }
    bool built = __atomic_load_n(&vm->built, __ATOMIC_ACQUIRE);
    enum vm_state state = vm->state;
    /* Not built yet: its state is not set yet either. */
    info.state = built || state == VM_STOPPED ? vm_manage_state(state) : BAOHU_VM_RESETTING;
    if (state == VM_RUNNING && built) {
        uint64_t now = arch_time_ns(), start = vm->run_started_ns;
        info.uptime_ns = now > start ? now - start : 0;
    }
    info.resets = vm->resets;
    info.faults = __atomic_load_n(&vm->faults.total, __ATOMIC_RELAXED);
    info.flags = (c->manager ? BAOHU_VM_MANAGER : 0u) | (c->watchdog_ms ? BAOHU_VM_WATCHDOG : 0u);
    info.watchdog_ms = c->watchdog_ms;
    int64_t r = vm_manage_copy_out(caller, ipa, size, &info, sizeof info);
    return r < 0 ? r : (int64_t)vm_count();
}

/* Sums of counters each vCPU's own CPU writes: a reader on another CPU
 * sees each one whole (aligned 64-bit loads), if a few exits behind. */
static int64_t vm_manage_stats(struct vm *caller, const struct vm *vm, uint64_t ipa, uint64_t size)
{
    struct baohu_vm_stats st = {.resets = vm->resets};
    for (uint32_t i = 0; i < vm->vcpu_count; i++) {
        const struct vcpu *v = &vm->vcpus[i];
        for (size_t c = 0; c < BAOHU_EXIT_CAUSES; c++)
            st.exits[c] += __atomic_load_n(&v->exit_causes[c], __ATOMIC_RELAXED);
        st.irqs_injected += __atomic_load_n(&v->irqs_injected, __ATOMIC_RELAXED);
    }
    st.faults = __atomic_load_n(&vm->faults.total, __ATOMIC_RELAXED);
    st.watchdog_expiries = vm->watchdog_expiries;
    return vm_manage_copy_out(caller, ipa, size, &st, sizeof st);
}

int64_t vm_manage_call(struct vcpu *caller, uint64_t fid, const uint64_t args[HYPERCALL_ARGS])
{
    struct vm *self = caller->vm;
    if (!self->config->manager)
        return BAOHU_HC_ERR_DENIED;
    if (args[0] >= vm_count())
        return BAOHU_HC_ERR_INVALID_PARAM;
    struct vm *vm = vm_by_id((vmid_t)args[0]);
    bool is_self = vm == self;
    switch (fid) {
    case BAOHU_HC_VM_INFO:
        return vm_manage_info(self, vm, &baohu_config.vms[args[0]], args[1], args[2]);
    case BAOHU_HC_VM_STATS:
        return vm_manage_stats(self, vm, args[1], args[2]);
    case BAOHU_HC_VM_STOP:
        return is_self ? BAOHU_HC_ERR_SELF : vm_manage_result(vm_request_stop(vm, why_stop));
    case BAOHU_HC_VM_START:
        /* The manager runs: its own start is ALREADY_RUNNING like any. */
        return vm_manage_result(vm_request_reload(vm, VM_STOPPED, why_start));
    case BAOHU_HC_VM_RESTART:
        return is_self ? BAOHU_HC_ERR_SELF
                       : vm_manage_result(vm_request_reload(vm, VM_RUNNING, why_restart));
    default:
        return BAOHU_HC_ERR_NOT_SUPPORTED;
    }
}
