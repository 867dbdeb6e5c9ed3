/* PSCI: calls to the firmware, and the emulation each VM gets for its own vCPUs (Arm DEN 0022). */
#include "psci.h"
#include "smccc.h"
#include "vm.h"

#ifndef BAOHU_HOST /* host unit tests and fuzzers have no SMC; they bring a fake firmware */
void smccc_smc(struct smccc_regs *r)
{
    uint64_t a0 = r->x[0], a1 = r->x[1], a2 = r->x[2], a3 = r->x[3];
    uint64_t a4 = r->x[4], a5 = r->x[5], a6 = r->x[6], a7 = r->x[7];
    register uint64_t x0 __asm__("x0") = a0;
    register uint64_t x1 __asm__("x1") = a1;
    register uint64_t x2 __asm__("x2") = a2;
    register uint64_t x3 __asm__("x3") = a3;
    register uint64_t x4 __asm__("x4") = a4;
    register uint64_t x5 __asm__("x5") = a5;
    register uint64_t x6 __asm__("x6") = a6;
    register uint64_t x7 __asm__("x7") = a7;
    /* SMCCC 1.1 §2.6: x4-x17 may be corrupted, x18-x30 and SP are kept. */
    __asm__ volatile("smc #0"
                     : "+r"(x0), "+r"(x1), "+r"(x2), "+r"(x3), "+r"(x4), "+r"(x5), "+r"(x6),
                       "+r"(x7)
                     :
                     : "x8", "x9", "x10", "x11", "x12", "x13", "x14", "x15", "x16", "x17",
                       "memory");
    r->x[0] = x0;
    r->x[1] = x1;
    r->x[2] = x2;
    r->x[3] = x3;
}
#endif

int psci_is_psci(uint32_t fid)
{
    uint32_t base = fid & ~0x4000001fu; /* SMC32 and SMC64 forms, functions 0x00-0x1f */
    return base == 0x84000000u;
}

/* A virtual MPIDR names vCPU k as Aff0 = k with Aff1-3 zero (see vcpu.c). */
static int64_t psci_vcpu_index(uint64_t target)
{
    target &= 0xff00ffffffull; /* the affinity fields of MPIDR (§5.1.4) */
    return (target >> 8) ? -1 : (int64_t)target;
}

static int64_t psci_features(uint32_t fid)
{
    switch (fid) {
    case PSCI_VERSION:
    case PSCI_CPU_SUSPEND_32:
    case PSCI_CPU_SUSPEND_64:
    case PSCI_CPU_OFF:
    case PSCI_CPU_ON_32:
    case PSCI_CPU_ON_64:
    case PSCI_AFFINITY_INFO_32:
    case PSCI_AFFINITY_INFO_64:
    case PSCI_MIGRATE_INFO_TYPE:
    case PSCI_SYSTEM_OFF:
    case PSCI_SYSTEM_RESET:
    case PSCI_FEATURES:
    case SMCCC_VERSION: /* PSCI 1.0 §5.15: how callers learn SMCCC_VERSION exists */
        return PSCI_SUCCESS; /* for CPU_SUSPEND: original format, no OS-initiated mode */
    default:
        return PSCI_NOT_SUPPORTED;
    }
}

int64_t psci_guest_call(struct vcpu *vcpu, uint32_t fid, uint64_t a1, uint64_t a2, uint64_t a3)
{
    struct vm *vm = vcpu->vm;
    bool smc32 = !(fid & 0x40000000u);
    if (smc32) {
        /* SMC32 calls take 32-bit arguments (SMCCC §2.6). */
        a1 = (uint32_t)a1;
        a2 = (uint32_t)a2;
        a3 = (uint32_t)a3;
    }
    switch (fid) {
    case PSCI_VERSION:
        return 0x10001; /* PSCI 1.1 */
    case PSCI_CPU_SUSPEND_32:
    case PSCI_CPU_SUSPEND_64:
        /* Every power state is treated as standby: returning at once is a
         * valid standby wake-up (§5.4.2); the vCPU keeps its pCPU anyway. */
        return PSCI_SUCCESS;
    case PSCI_CPU_OFF:
        vcpu_power_off(vcpu);
    case PSCI_CPU_ON_32:
    case PSCI_CPU_ON_64: {
        int64_t idx = psci_vcpu_index(a1);
        if (idx < 0)
            return PSCI_INVALID_PARAMETERS;
        /* A64 instructions are word-aligned; entering at ELR[1:0] != 0 is CONSTRAINED
         * UNPREDICTABLE (a PC alignment fault, or the bits ignored: QEMU ignores them), so
         * the entry is invalid (§5.6.2, INVALID_ADDRESS), not left to the CPU. */
        if (a2 & 3)
            return PSCI_INVALID_ADDRESS;
        switch (vm_vcpu_start(vm, (uint64_t)idx, a2, a3)) {
        case VCPU_START_OK:
            return PSCI_SUCCESS;
        case VCPU_START_NO_SUCH_VCPU:
            return PSCI_INVALID_PARAMETERS;
        case VCPU_START_ALREADY_ON:
            return PSCI_ALREADY_ON;
        case VCPU_START_ALREADY_PENDING:
            return PSCI_ON_PENDING;
        case VCPU_START_BAD_ENTRY:
            return PSCI_INVALID_ADDRESS;
        case VCPU_START_VM_RESETTING:
            /* Only a vCPU its VM's reset or stop has already taken out can
             * ask this; the value never reaches a guest that runs on. */
            return PSCI_INTERNAL_FAILURE;
        }
        return PSCI_INTERNAL_FAILURE;
    }
    case PSCI_AFFINITY_INFO_32:
    case PSCI_AFFINITY_INFO_64: {
        int64_t idx = psci_vcpu_index(a1);
        struct vcpu *t = idx < 0 ? NULL : vm_vcpu(vm, (uint64_t)idx);
        if (!t || a2 != 0)
            return PSCI_INVALID_PARAMETERS;
        switch (t->state) {
        case VCPU_ON:
            return 0;
        case VCPU_START_PENDING:
            return 2;
        default:
            return 1;
        }
    }
    case PSCI_MIGRATE_INFO_TYPE:
        return 2; /* no Trusted OS that needs migrating (§5.10.1) */
    case PSCI_SYSTEM_OFF:
        vm_stop(vm, vcpu, "PSCI SYSTEM_OFF");
        return PSCI_INTERNAL_FAILURE;
    case PSCI_SYSTEM_RESET:
        vm_reset(vm, vcpu, "PSCI SYSTEM_RESET");
    case PSCI_FEATURES:
        return psci_features((uint32_t)a1);
    default:
        return PSCI_NOT_SUPPORTED;
    }
}
