/* Physical CPUs: per-CPU state and the posted requests CPUs send each other. */
#ifndef BAOHU_CPU_H
#define BAOHU_CPU_H

#include "arch.h"
#include "platform.h"
#include "types.h"

struct vcpu;

/*
 * A request is a flag per kind, not a message in a queue: posting a kind
 * that is already pending at the target changes nothing and raises no
 * second IPI, so posting never blocks and no number of senders can flood a
 * CPU. What a request asks for is already recorded in shared state (the
 * vCPU's power state, the VM's virtual interrupt controller) by the sender;
 * the flag only says "look at it".
 */
enum cpu_msg_kind {
    CPU_MSG_VCPU_STATE, /* the pinned vCPU's power state changed (a start request, VM stop/reset) */
    CPU_MSG_VIRQ,       /* the pinned vCPU's virtual interrupt state changed elsewhere */
    CPU_MSG_VM_CONTROL, /* to vCPU 0's CPU: its VM has a reload pending (vm->reload_pending) */
    CPU_MSG_KINDS,
};

/* Each counter is written by its own CPU only. */
struct cpu_stats {
    uint64_t msgs_posted;   /* requests this CPU posted to others */
    uint64_t ipis_raised;   /* physical IPIs it raised for them (<= msgs_posted) */
    uint64_t msgs_handled;  /* request sets it took */
};

struct cpu {
    cpuid_t id;
    struct vcpu *vcpu; /* the vCPU pinned here, or NULL */
    uint32_t msg_pending; /* bit per cpu_msg_kind; set by senders, taken by this CPU */
    struct cpu_stats stats;
};

/* Indexed by cpuid_t (defined in cpu.c). */
extern struct cpu cpu_table[PLATFORM_MAX_CPUS];

static inline struct cpu *cpu_by_id(cpuid_t id)
{
    return &cpu_table[id];
}

/* On every exit: one register read once inlined. */
static inline struct cpu *cpu_current(void)
{
    return arch_cpu_current();
}
/* Post `kind` to `target`; raises the IPI only on the kind's 0->1 transition.
 * Never waits. True if an IPI was raised. */
bool cpu_msg_send(cpuid_t target, enum cpu_msg_kind kind);
/* Take every request posted to this CPU and act on it (from the IPI and the
 * idle loop). */
void cpu_msg_handle(void);

#endif
