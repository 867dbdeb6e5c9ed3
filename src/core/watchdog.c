/* Per-VM watchdogs: a kick moves the deadline, Baohu's timer on the VM's vCPU 0's CPU checks it. */
#include "arch.h"
#include "console.h"
#include "vm.h"
#include "watchdog.h"

/*
 * Where the check runs: a guest owns its CPU's timers, so Baohu uses a
 * timer of its own (arch_hyp_timer_arm: the EL2 physical timer CNTHP on
 * Arm), on one CPU per VM, its vCPU 0's. A kick only stores a new
 * deadline, from whichever vCPU makes it; the timer fires at the deadline
 * it was armed with, finds the later one and re-arms for it. So a VM that
 * kicks faster than its period costs at most one Baohu interrupt per
 * period, and a kick costs one trap and no cross-CPU message.
 */

static uint64_t watchdog_period_ns(const struct vm *vm)
{
    return (uint64_t)vm->config->watchdog_ms * 1000000u;
}

void watchdog_vm_start(struct vm *vm)
{
    if (!vm->config->watchdog_ms)
        return;
    __atomic_store_n(&vm->watchdog_deadline_ns, arch_time_ns() + watchdog_period_ns(vm),
                     __ATOMIC_RELEASE);
    /* On another CPU (a reset made by vCPU 1, say) the timer of vCPU 0's
     * CPU is armed already: it never stops while the VM exists. */
    if (arch_cpu_id() == vm->vcpus[0].cpu)
        arch_hyp_timer_arm(watchdog_period_ns(vm));
}

int64_t watchdog_kick(struct vm *vm)
{
    if (!vm->config->watchdog_ms)
        return BAOHU_HC_ERR_NOT_SUPPORTED;
    __atomic_store_n(&vm->watchdog_deadline_ns, arch_time_ns() + watchdog_period_ns(vm),
                     __ATOMIC_RELEASE);
    return BAOHU_HC_OK;
}

void watchdog_timer(struct vcpu *v)
{
    if (!v || v->id != 0 || !v->vm->config->watchdog_ms)
        return;
    struct vm *vm = v->vm;
    uint64_t period = watchdog_period_ns(vm);
    uint64_t now = arch_time_ns();
    uint64_t deadline = __atomic_load_n(&vm->watchdog_deadline_ns, __ATOMIC_ACQUIRE);
    if (vm->state != VM_RUNNING) {
        /* Stopped or being reset: look again a period later (a new run
         * sets its own deadline). */
        arch_hyp_timer_arm(period);
        return;
    }
    if (now < deadline) {
        arch_hyp_timer_arm(deadline - now);
        return;
    }
    vm->watchdog_expiries++;
    bool reset = vm->config->fault_policy == VM_FAULT_RESET;
    console_log("VM '%s' watchdog expired: no kick for %u ms (expiry %lu); %s", vm->name,
                (unsigned)vm->config->watchdog_ms, (unsigned long)vm->watchdog_expiries,
                reset ? "resetting it" : "stopping it");
    /* BUSY: a reset is under way already, and it starts a new period. */
    if (reset)
        (void)vm_request_reload(vm, VM_RUNNING, "watchdog expired");
    else
        (void)vm_request_stop(vm, "watchdog expired");
    arch_hyp_timer_arm(period);
}
