/* Per-CPU state and the message queues CPUs use to ask each other for work. */
#include "arch.h"
#include "cpu.h"
#include "platform.h"
#include "vm.h"

static struct cpu cpus[PLATFORM_MAX_CPUS];

struct cpu *cpu_by_id(cpuid_t id)
{
    return &cpus[id];
}

struct cpu *cpu_current(void)
{
    return &cpus[arch_cpu_id()];
}


void cpu_msg_send(cpuid_t target, enum cpu_msg_kind kind, uint64_t arg)
{
    struct cpu *c = &cpus[target];
    spin_lock(&c->msg_lock);
    /* The queue is sized for every vCPU of a VM sending one message at once
     * several times over; if it is ever full the oldest request is still
     * pending, so wait for the target to drain it rather than drop one. */
    while (c->msg_tail - c->msg_head == CPU_MSG_QUEUE_LEN) {
        spin_unlock(&c->msg_lock);
        arch_cpu_relax();
        spin_lock(&c->msg_lock);
    }
    c->msgs[c->msg_tail % CPU_MSG_QUEUE_LEN] = (struct cpu_msg){kind, arg};
    c->msg_tail++;
    spin_unlock(&c->msg_lock);
    arch_cpu_send_ipi(target);
}

static bool cpu_msg_pop(struct cpu *c, struct cpu_msg *out)
{
    bool got = false;
    spin_lock(&c->msg_lock);
    if (c->msg_head != c->msg_tail) {
        *out = c->msgs[c->msg_head % CPU_MSG_QUEUE_LEN];
        c->msg_head++;
        got = true;
    }
    spin_unlock(&c->msg_lock);
    return got;
}

void cpu_msg_handle(void)
{
    struct cpu *c = cpu_current();
    struct cpu_msg m;
    while (cpu_msg_pop(c, &m)) {
        struct vcpu *v = c->vcpu;
        if (!v)
            continue;
        switch (m.kind) {
        case CPU_MSG_VGIC_INJECT:
            if (v->state == VCPU_ON)
                arch_virq_inject(v, (irqid_t)m.arg);
            break;
        case CPU_MSG_VCPU_START:
        case CPU_MSG_VCPU_STOP:
        case CPU_MSG_VM_RESET:
            /* The state change is already in v->state; the trap exit path and
             * the idle loop act on it. */
            break;
        case CPU_MSG_NONE:
            break;
        }
    }
}
