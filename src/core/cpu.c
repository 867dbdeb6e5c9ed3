/* Per-CPU state and the posted requests CPUs use to ask each other for work. */
#include "arch.h"
#include "cpu.h"
#include "platform.h"
#include "vm.h"

struct cpu cpu_table[PLATFORM_MAX_CPUS];

/*
 * Ordering: the sender records what it asks for before this release
 * fetch_or; the target's acquire exchange in cpu_msg_handle comes before it
 * reads that state. A request posted after the exchange finds its bit clear
 * and raises a new IPI, so none is lost, and at most one IPI per kind is
 * outstanding at any time.
 */
bool cpu_msg_send(cpuid_t target, enum cpu_msg_kind kind)
{
    struct cpu *c = &cpu_table[target];
    struct cpu_stats *mine = &cpu_current()->stats;
    uint32_t bit = 1u << kind;
    mine->msgs_posted++;
    uint32_t old = __atomic_fetch_or(&c->msg_pending, bit, __ATOMIC_ACQ_REL);
    if (old & bit)
        return false;
    mine->ipis_raised++;
    arch_cpu_send_ipi(target);
    return true;
}

void cpu_msg_handle(void)
{
    struct cpu *c = cpu_current();
    uint32_t bits = __atomic_exchange_n(&c->msg_pending, 0, __ATOMIC_ACQ_REL);
    if (!bits)
        return;
    c->stats.msgs_handled++;
    struct vcpu *v = c->vcpu;
    if (!v)
        return;
    /* CPU_MSG_VCPU_STATE: the new state is in v->state; the trap exit path
     * and the idle loop act on it. CPU_MSG_VM_CONTROL: the reload is in
     * vm->reload_pending; the idle loop runs it once the vCPU is out. */
    if ((bits & (1u << CPU_MSG_VIRQ)) && v->state == VCPU_ON)
        arch_vcpu_virq_sync(v);
}
