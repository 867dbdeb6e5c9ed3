/* VMs and vCPUs as the core sees them; the arch part is embedded by value. */
#ifndef BAOHU_VM_H
#define BAOHU_VM_H

#include <stdnoreturn.h>
#include <baohu/config.h>
#include <baohu/hypercall.h>
#include "arch_vm.h"
#include "console.h"
#include "fault_log.h"
#include "platform.h"
#include "spinlock.h"
#include "types.h"
#include "vuart.h"

enum vcpu_state {
    VCPU_OFF,           /* not started by the guest yet, or powered itself off */
    VCPU_START_PENDING, /* a start request accepted, its CPU has not entered it yet */
    VCPU_ON,            /* in the guest */
    VCPU_STOPPED,       /* its VM was stopped (a fault, a system power-off) */
};

enum vm_state {
    VM_RUNNING,
    VM_RESETTING,
    VM_STOPPED,
};

struct vm;

struct vcpu {
    struct vm *vm;
    uint32_t id;  /* vCPU index in the VM: Arm's virtual MPIDR Aff0, RISC-V's hart id */
    cpuid_t cpu;  /* the physical CPU it is pinned to */
    volatile enum vcpu_state state;
    uint64_t boot_entry; /* where a start request enters, and its argument */
    uint64_t boot_arg;
    bool entered; /* has run guest code since its last quiesce; own CPU only */
    /* Faults in a row whose PC lay inside the guest's own exception vector,
     * with no fault elsewhere and no other trap handled in between; own CPU
     * only (vm_fault, vm_fault_progress). */
    uint32_t vector_faults;
    /* Exits into Baohu (every trap and interrupt taken from the guest) since
     * Baohu started; own CPU only. Read by the guest with BAOHU_HC_VCPU_EXITS
     * (make bench: traps per second of a compute-bound guest). */
    uint64_t exits;
    /* The same exits by cause (BAOHU_EXIT_*), and the virtual interrupts
     * made pending to the vCPU; own CPU only, read by BAOHU_HC_VM_STATS. */
    uint64_t exit_causes[BAOHU_EXIT_CAUSES];
    uint64_t irqs_injected;
    struct vcpu_arch arch;
};

struct vm {
    vmid_t id;
    const struct vm_config *config;
    const char *name;
    uint32_t vcpu_count;
    struct vcpu vcpus[PLATFORM_MAX_CPUS];
    volatile enum vm_state state;
    struct console_line console; /* its console hypercall and virtual UART output */
    struct vuart vuart;
    uint32_t ipc_events[VM_IPC_MAX]; /* per entry of config->ipcs, bit n = event n */
    struct fault_log faults;
    uint64_t resets;                 /* completed or owned resets, for the report line */
    const char *stop_after_reset;    /* a stop that came during a reset (vm_stop) */
    spinlock_t lock;                 /* vm->state, the vCPUs' OFF state (vm_vcpu_start) */
    bool built;                      /* vm_create succeeded: a start may reload it */
    /* A reload (start, restart, watchdog) claimed by a CPU outside the VM,
     * carried out by its vCPU 0's CPU (vm_request_reload, cpu_idle). */
    volatile bool reload_pending;
    const char *reload_why;
    uint64_t run_started_ns;         /* arch_time_ns() when its current run began */
    volatile uint64_t watchdog_deadline_ns; /* config->watchdog_ms: kick before this */
    uint64_t watchdog_expiries;
    struct vm_arch arch;
};

/* Every VM of the configuration, indexed by vmid. */
struct vm *vm_by_id(vmid_t id);
size_t vm_count(void);
/* The vCPU of `vm` the guest names `vcpu_id` (its index: Arm MPIDR Aff0,
 * RISC-V hart id), or NULL. */
struct vcpu *vm_vcpu(struct vm *vm, uint64_t vcpu_id);

enum vcpu_start_result {
    VCPU_START_OK,
    VCPU_START_NO_SUCH_VCPU,
    VCPU_START_ALREADY_ON,
    VCPU_START_ALREADY_PENDING,
    VCPU_START_BAD_ENTRY,
    VCPU_START_VM_RESETTING, /* the VM is being reset or stopped: refused */
};

/* Build every VM's memory and devices (called once per VM, on its vCPU 0's CPU). */
bool vm_create(struct vm *vm, vmid_t id, const struct vm_config *config);
/* A guest's request to power on one of its own vCPUs (PSCI CPU_ON / SBI HSM). */
enum vcpu_start_result vm_vcpu_start(struct vm *vm, uint64_t vcpu_id, uint64_t entry, uint64_t arg);
/* The calling vCPU powers itself off (PSCI CPU_OFF / SBI HSM stop). */
noreturn void vcpu_power_off(struct vcpu *vcpu);
/* Stop every vCPU of the VM; if the caller is one of them it does not return. */
void vm_stop(struct vm *vm, struct vcpu *caller, const char *why);
/* Restart the VM from its image (a guest system reset: PSCI SYSTEM_RESET,
 * SBI SRST; the fault policy "reset"): vm_reset_claim, then vm_reset_run
 * on the caller's CPU. */
noreturn void vm_reset(struct vm *vm, struct vcpu *caller, const char *why);

/* A request about a VM made from outside it (vm_manage.c, the watchdog). */
enum vm_request_result {
    VM_REQUEST_OK,
    VM_REQUEST_BUSY,    /* a reset of the VM is under way */
    VM_REQUEST_RUNNING, /* a start of a VM that is not stopped */
    VM_REQUEST_STOPPED, /* a stop or restart of a stopped VM */
    VM_REQUEST_UNBUILT, /* a start of a VM whose creation failed */
};
/*
 * Become the owner of a reset of `vm` if it is in state `from` (VM_RUNNING
 * for a reset or restart, VM_STOPPED for a start): under vm->lock it moves
 * to VM_RESETTING and every vCPU but `caller` (NULL: none) is marked
 * STOPPED and told. Only the owner then calls vm_reset_run.
 */
enum vm_request_result vm_reset_claim(struct vm *vm, struct vcpu *caller, enum vm_state from,
                                      const char *why);
/* The owner's part: wait for every vCPU to be OFF, reload the VM and start
 * its vCPU 0 (or stop it, if a stop came meanwhile). `caller` is the
 * owner's own vCPU, or NULL when the owner is vCPU 0's CPU in its idle
 * loop. Parks. */
noreturn void vm_reset_run(struct vm *vm, struct vcpu *caller);
/* Stop a running VM from outside it; its CPUs take their vCPUs out. */
enum vm_request_result vm_request_stop(struct vm *vm, const char *why);
/* Reload a VM in state `from` (VM_RUNNING: restart, VM_STOPPED: start)
 * from outside it: the claim is made here, the reload is done by its
 * vCPU 0's CPU (CPU_MSG_VM_CONTROL). */
enum vm_request_result vm_request_reload(struct vm *vm, enum vm_state from, const char *why);
/*
 * More than this many faults in a row inside the guest's own exception
 * vector (VBAR_EL1's table / the first bytes at vstvec), with nothing else
 * between them, mean the guest cannot take the exception it is given (no
 * vector, a vector outside its memory, a stack that faults): the VM is
 * stopped whatever its policy says.
 */
#define VM_FAULT_VECTOR_STORM 8

/* One guest fault, as the architecture describes it to the core. */
struct vm_fault {
    const char *what;   /* what the guest did, e.g. "stage-2 data abort on read, EC 0x24" */
    uint64_t syndrome;  /* ESR_EL2 / scause */
    uint64_t addr;      /* the guest-physical address concerned, or 0 */
    uint64_t pc;        /* the faulting instruction */
    /* The exception the guest gets under VM_FAULT_INJECT, for the report
     * (e.g. "synchronous external abort injected"); NULL if the guest can
     * be given none: then the VM stops (or resets by its policy). */
    const char *inject;
    bool in_vector;     /* pc lies inside the guest's own exception vector */
};

/*
 * A guest did something it may not. Counts it, reports it (the first
 * FAULT_LOG_FULL of a run in full, then a summary at most every
 * FAULT_LOG_PERIOD_NS) and applies the VM's fault policy: returns only when
 * the caller is to give the guest `f->inject` and let it go on; otherwise
 * the VM is stopped or reset and this does not return.
 */
void vm_fault(struct vcpu *vcpu, const struct vm_fault *f);
/* The same for a fault the guest cannot be given: stop/reset by policy. */
noreturn void vm_fault_fatal(struct vcpu *vcpu, const struct vm_fault *f);
/* The vCPU had a trap handled normally (a call, an emulated access): it is
 * not stuck in its vector. */
static inline void vm_fault_progress(struct vcpu *vcpu)
{
    vcpu->vector_faults = 0;
}
/* From the exit path: print the VM's fault summary if one is due. */
void vm_fault_summary(struct vm *vm, bool force);
static inline void vm_fault_summary_check(struct vm *vm)
{
    if (fault_log_pending(&vm->faults))
        vm_fault_summary(vm, false);
}
/* Is [ipa, ipa+size) inside one of the VM's RAM regions? */
bool vm_ipa_is_ram(const struct vm *vm, uint64_t ipa, uint64_t size);


/* LLC colours of the platform (0: colouring unavailable). */
unsigned vm_llc_colours(void);

/* The idle loop of a CPU whose vCPU is not running. */
noreturn void cpu_idle(void);

#endif
