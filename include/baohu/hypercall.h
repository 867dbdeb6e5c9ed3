/* Baohu hypercall ABI, shared by the hypervisor and its guests. */
#ifndef BAOHU_HYPERCALL_H
#define BAOHU_HYPERCALL_H

/*
 * Arm: `hvc #0`. The function id goes in x0, arguments in x1..x5, the result
 * comes back in x0 (>= 0 success/value, < 0 an error below). Ids live in the
 * SMCCC "vendor specific hypervisor service" range (SMCCC §6.2, owning entity
 * 6, fast call, SMC64 convention): 0xC6000000 | function number. Registers not
 * named here are preserved.
 *
 * PSCI (function ids 0x84xxxxxx / 0xC4xxxxxx) is accepted both through
 * `hvc #0` and `smc #0`; it affects only the calling VM.
 */
#define BAOHU_HC_BASE 0xC6000000u
#define BAOHU_HC_ID(n) (BAOHU_HC_BASE | (n))

/* x0 = BAOHU_HC_VERSION -> x0 = (major << 16) | minor */
#define BAOHU_HC_VERSION BAOHU_HC_ID(0)
/* x1 = one byte to append to the caller VM's tagged console line. */
#define BAOHU_HC_CONSOLE_PUTC BAOHU_HC_ID(1)
/* x1 = shared-memory object id (index in the config's shmem list), x2 = event
 * (0..31): raise the doorbell interrupt of every other VM that shares the
 * object. -2 for an event out of range, -3 if the caller does not share it. */
#define BAOHU_HC_IPC_NOTIFY BAOHU_HC_ID(2)
/* x1 = object id -> x0 = the events peers raised towards the caller since the
 * last call (bit n = event n), cleared by reading. Same errors. */
#define BAOHU_HC_IPC_EVENTS BAOHU_HC_ID(3)
/* -> x0 = exits into Baohu the calling vCPU has taken (traps and interrupts,
 * this call included) since Baohu started. */
#define BAOHU_HC_VCPU_EXITS BAOHU_HC_ID(4)

/*
 * Management (docs/hypercalls.md, "Management"): only the VM whose config
 * sets `manager` may make calls 5..9; any other VM gets BAOHU_HC_ERR_DENIED
 * whatever the arguments. x1 = VM id (its index in the config's vms, as
 * VM_INFO lists them); an id no VM has is BAOHU_HC_ERR_INVALID_PARAM.
 *
 * VM_INFO and VM_STATS write their record (struct baohu_vm_info /
 * baohu_vm_stats below) into the caller's own RAM: x2 = its guest-physical
 * address, x3 = the buffer's size, at least the record's; the record must
 * lie inside one 4 KiB page of the caller's RAM, 8-byte aligned (else
 * INVALID_PARAM). VM_INFO returns the number of VMs, so a caller lists
 * them all by asking for 0, 1, ... up to that count.
 *
 * VM_STOP, VM_START and VM_RESTART return 0 once the request is taken; the
 * target's own CPUs carry it out (a start or restart reloads the VM from
 * its image, as a reset does). ALREADY_RUNNING for a start of a VM that is
 * not stopped, ALREADY_STOPPED for a stop or restart of a stopped one, BUSY
 * while the VM is being reset (by itself, its fault policy, its watchdog or
 * an earlier request), SELF for a stop or restart of the manager itself (it
 * has PSCI SYSTEM_OFF / SYSTEM_RESET, SBI SRST, for that).
 */
#define BAOHU_HC_VM_INFO BAOHU_HC_ID(5)
#define BAOHU_HC_VM_STOP BAOHU_HC_ID(6)
#define BAOHU_HC_VM_START BAOHU_HC_ID(7)
#define BAOHU_HC_VM_RESTART BAOHU_HC_ID(8)
#define BAOHU_HC_VM_STATS BAOHU_HC_ID(9)
/* Any VM with a `watchdog_ms` in its config: its watchdog starts a new
 * period. NOT_SUPPORTED for a VM without one. */
#define BAOHU_HC_WATCHDOG_KICK BAOHU_HC_ID(10)

/*
 * RISC-V: `ecall` from VS-mode, as an SBI extension (SBI spec v1.0 §3):
 * a7 = BAOHU_SBI_EXT, a6 = function number (the n of BAOHU_HC_ID(n) above:
 * 0 VERSION, 1 CONSOLE_PUTC, 2 IPC_NOTIFY, 3 IPC_EVENTS, 4 VCPU_EXITS, 5..9 the
 * management calls, 10 WATCHDOG_KICK), arguments in a0..a4 (a0 holds what x1
 * holds on Arm). Results follow SBI: a0 = error (0, or SBI_ERR_NOT_SUPPORTED
 * -2 / SBI_ERR_INVALID_PARAM -3 / SBI_ERR_DENIED -4 for
 * BAOHU_HC_ERR_NOT_SUPPORTED / _INVALID_PARAM / _DENIED; SBI_ERR_ALREADY_STARTED
 * -7 / SBI_ERR_ALREADY_STOPPED -8 for _ALREADY_RUNNING / _ALREADY_STOPPED;
 * SBI_ERR_INVALID_STATE -10 (SBI v3.0) for _BUSY; SBI_ERR_FAILED -1 for _SELF),
 * a1 = value.
 * The id lies in the SBI "firmware specific" range 0x0A000000-0x0AFFFFFF,
 * whose low 24 bits are the SBI implementation id (SBI §3, table of
 * extension spaces); Baohu reports BAOHU_SBI_IMPL_ID from
 * sbi_get_impl_id (ASCII "BHU"; not a registered id). The "vendor" range
 * 0x09xxxxxx is keyed by the CPU's mvendorid, which a hypervisor is not.
 *
 * Baohu also implements, for each VM only: BASE, TIME, IPI, RFENCE, HSM
 * (the VM's own harts, numbered 0..n-1), SRST (shutdown/reboot of the
 * calling VM) and the legacy set_timer/console_putchar/console_getchar;
 * any other extension returns SBI_ERR_NOT_SUPPORTED.
 */
#define BAOHU_SBI_IMPL_ID 0x424855u
#define BAOHU_SBI_EXT (0x0A000000u | BAOHU_SBI_IMPL_ID)

#define BAOHU_ABI_MAJOR 1
#define BAOHU_ABI_MINOR 0

/* Results (negative, SMCCC style). */
#define BAOHU_HC_OK 0
#define BAOHU_HC_ERR_NOT_SUPPORTED (-1)
#define BAOHU_HC_ERR_INVALID_PARAM (-2)
#define BAOHU_HC_ERR_DENIED (-3)
#define BAOHU_HC_ERR_ALREADY_RUNNING (-4)
#define BAOHU_HC_ERR_ALREADY_STOPPED (-5)
#define BAOHU_HC_ERR_BUSY (-6)
#define BAOHU_HC_ERR_SELF (-7)

#ifndef __KERNEL__
#include <stdint.h>

/* struct baohu_vm_info.state */
#define BAOHU_VM_RUNNING 0
#define BAOHU_VM_RESETTING 1 /* a reset, start or restart is under way */
#define BAOHU_VM_STOPPED 2
/* struct baohu_vm_info.flags */
#define BAOHU_VM_MANAGER (1u << 0)
#define BAOHU_VM_WATCHDOG (1u << 1)

/* What BAOHU_HC_VM_INFO writes. */
struct baohu_vm_info {
    char name[32];       /* NUL-terminated (cut to 31 bytes) */
    uint32_t state;      /* BAOHU_VM_* */
    uint32_t vcpus;
    uint64_t uptime_ns;  /* since its current run started; 0 unless running */
    uint64_t resets;     /* runs after the first (resets, starts, restarts) */
    uint64_t faults;     /* every fault since Baohu started */
    uint32_t flags;      /* BAOHU_VM_MANAGER, BAOHU_VM_WATCHDOG */
    uint32_t watchdog_ms;
};

/* Exits into Baohu by cause, the index of baohu_vm_stats.exits. */
#define BAOHU_EXIT_IRQ 0    /* a physical interrupt (timer, IPI, device) */
#define BAOHU_EXIT_CALL 1   /* HVC/SMC, ecall: hypercalls, PSCI, SBI, SMCCC */
#define BAOHU_EXIT_MMIO 2   /* a stage-2 / G-stage data fault: an emulated
                               device's register, or an access outside the VM */
#define BAOHU_EXIT_SYSREG 3 /* a trapped system register / virtual instruction */
#define BAOHU_EXIT_WFI 4    /* a trapped WFI/WFE (Arm) */
#define BAOHU_EXIT_OTHER 5  /* anything else (instruction fetch fault, SError...) */
#define BAOHU_EXIT_CAUSES 8 /* room for more; unused entries are 0 */

/* What BAOHU_HC_VM_STATS writes: counts since Baohu started, summed over
 * the VM's vCPUs. */
struct baohu_vm_stats {
    uint64_t exits[BAOHU_EXIT_CAUSES];
    uint64_t irqs_injected; /* virtual interrupts made pending to the vCPUs */
    uint64_t faults;
    uint64_t resets;
    uint64_t watchdog_expiries;
};
#endif

#endif
