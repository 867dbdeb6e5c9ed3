/* Physical CPUs: per-CPU state and the small messages CPUs send each other. */
#ifndef BAOHU_CPU_H
#define BAOHU_CPU_H

#include "spinlock.h"
#include "types.h"

struct vcpu;

enum cpu_msg_kind {
    CPU_MSG_NONE,
    CPU_MSG_VCPU_START, /* enter the pinned vCPU (PSCI CPU_ON accepted) */
    CPU_MSG_VCPU_STOP,  /* the VM stopped: leave the guest, park */
    CPU_MSG_VM_RESET,   /* the VM is restarting: reset the vCPU, wait */
    CPU_MSG_VGIC_INJECT,/* arg = INTID to make pending in the pinned vCPU */
};

struct cpu_msg {
    enum cpu_msg_kind kind;
    uint64_t arg;
};

#define CPU_MSG_QUEUE_LEN 32

struct cpu {
    cpuid_t id;
    struct vcpu *vcpu; /* the vCPU pinned here, or NULL */
    spinlock_t msg_lock;
    uint32_t msg_head, msg_tail;
    struct cpu_msg msgs[CPU_MSG_QUEUE_LEN];
};

struct cpu *cpu_current(void);
struct cpu *cpu_by_id(cpuid_t id);
/* Queue a message for `target` and raise the IPI. */
void cpu_msg_send(cpuid_t target, enum cpu_msg_kind kind, uint64_t arg);
/* Run every queued message for this CPU (called from the IPI and the idle loop). */
void cpu_msg_handle(void);

#endif
