/* The one place that decodes a guest's synchronous exceptions (ESR_EL2) and dispatches them. */
#include "arch.h"
#include "arch_regs.h"
#include "console.h"
#include "cpu.h"
#include "hypercall.h"
#include "inject.h"
#include "ipc.h"
#include "psci.h"
#include "smccc.h"
#include "sysreg.h"
#include "sysreg_trap.h"
#include "vm.h"

/* ESR_EL2.EC values (Arm ARM D13.2.37). */
#define EC_WFX 0x01
#define EC_HVC64 0x16
#define EC_SMC64 0x17
#define EC_SYSREG 0x18
#define EC_IABT_LOW 0x20
#define EC_DABT_LOW 0x24

/* ISS of a data abort (D13.2.37, "ISS encoding for a Data Abort"). */
#define DABT_ISV (1u << 24)
#define DABT_SAS(iss) (((iss) >> 22) & 3)
#define DABT_SSE (1u << 21)
#define DABT_SRT(iss) (((iss) >> 16) & 31)
#define DABT_SF (1u << 15)
#define DABT_WNR (1u << 6)

/* ISS of a trapped MSR/MRS (EC 0x18): Op0, Op2, Op1, CRn, Rt, CRm, Direction. */
#define SYSREG_ID(op0, op1, crn, crm, op2) \
    (((op0) << 20) | ((op2) << 17) | ((op1) << 14) | ((crn) << 10) | ((crm) << 1))
#define SYSREG_ISS_ID_MASK 0x3ffc1eu
#define SYSREG_ICC_SGI1R SYSREG_ID(3, 0, 12, 11, 5)
#define SYSREG_ICC_ASGI1R SYSREG_ID(3, 0, 12, 11, 6)
#define SYSREG_ICC_SGI0R SYSREG_ID(3, 0, 12, 11, 7)
#define SYSREG_ACTLR_EL1 SYSREG_ID(3, 0, 1, 0, 1)

/* The vCPU an exit came from, counted once per exit (guest_trap_irq counts its own). */
static struct vcpu *trap_vcpu(void)
{
    struct vcpu *v = cpu_current()->vcpu;
    v->exits++;
    return v;
}

static uint64_t reg_get(const struct trap_frame *f, unsigned r)
{
    return r == 31 ? 0 : f->x[r]; /* register 31 is XZR here */
}

static void reg_set(struct trap_frame *f, unsigned r, uint64_t v)
{
    if (r != 31)
        f->x[r] = v;
}

/* Injected exceptions as the reports name them. */
static const char inject_sea[] = "synchronous external abort injected";
static const char inject_und[] = "UNDEFINED injected";

/* Count and report a guest fault under the VM's policy (vm_fault); returns
 * only when the guest is to be given `inject`. The report names the
 * exception class (ESR_EL2.EC) beside the full syndrome. */
static void trap_fault(struct vcpu *v, const struct trap_frame *f, const char *what,
                       uint64_t esr, uint64_t addr, const char *inject)
{
    char text[96];
    fmt_format(text, sizeof(text), "%s, EC 0x%02x", what, (unsigned)(esr >> 26) & 0x3f);
    struct vm_fault info = {
        .what = text,
        .syndrome = esr,
        .addr = addr,
        .pc = f->elr,
        .inject = inject,
        .in_vector = inject_pc_in_vector(f),
    };
    vm_fault(v, &info);
}

/* A synchronous external abort for an access the VM may not make. */
static void trap_abort(struct vcpu *v, struct trap_frame *f, const char *what, uint64_t esr,
                       uint64_t ipa, bool insn)
{
    trap_fault(v, f, what, esr, ipa, inject_sea);
    inject_external_abort(f, insn, esr, sysreg_read(far_el2));
}

/* UNDEFINED for an instruction Baohu does not allow or emulate. */
static void trap_undef(struct vcpu *v, struct trap_frame *f, const char *what, uint64_t esr)
{
    trap_fault(v, f, what, esr, 0, inject_und);
    inject_undef(f);
}

/* Past a trapped instruction that was emulated: 4 bytes, or 2 for a 16-bit
 * T32 instruction at AArch32 EL0 (ESR_EL2.IL = 0). */
static void trap_skip(struct trap_frame *f, uint64_t esr)
{
    f->elr += (esr & (1u << 25)) ? 4 : 2;
}

/* SMCCC calls through HVC or SMC: PSCI, Baohu's hypercalls, the rest (smccc.c). */
static void trap_smccc(struct vcpu *v, struct trap_frame *f, uint32_t imm)
{
    uint64_t fid = f->x[0];
    if (imm != 0) {
        f->x[0] = (uint64_t)SMCCC_NOT_SUPPORTED; /* SMCCC §2.5: only immediate 0 carries calls */
    } else if (psci_is_psci((uint32_t)fid) && (fid >> 32) == 0) {
        f->x[0] = (uint64_t)psci_guest_call(v, (uint32_t)fid, f->x[1], f->x[2], f->x[3]);
    } else if (hypercall_is_baohu(fid)) {
        f->x[0] = (uint64_t)hypercall_handle(v, fid, &f->x[1]);
    } else {
        struct smccc_regs r;
        for (unsigned i = 0; i < 8; i++)
            r.x[i] = f->x[i];
        smccc_guest_call(v, &r);
        for (unsigned i = 0; i < 4; i++)
            f->x[i] = r.x[i];
    }
}

/* The files that emulate trapped system registers, asked in turn. */
static enum sysreg_outcome (*const sysreg_emulators[])(struct sysreg_access *) = {
    idreg_access,
    pmu_access,
    ras_access,
};

static void trap_sysreg(struct vcpu *v, struct trap_frame *f, uint64_t esr)
{
    uint32_t iss = (uint32_t)(esr & 0x1ffffff);
    bool read = iss & 1;
    unsigned rt = (iss >> 5) & 31;
    switch (iss & SYSREG_ISS_ID_MASK) {
    case SYSREG_ICC_SGI1R:
    case SYSREG_ICC_ASGI1R:
    case SYSREG_ICC_SGI0R:
        /* Write-only registers: an MRS of them is UNDEFINED (GICv3 §12.2). */
        if (read) {
            trap_undef(v, f, "read of write-only ICC_SGI register", esr);
            return;
        }
        vgic_sgi_write(v, reg_get(f, rt));
        break;
    case SYSREG_ACTLR_EL1:
        /* Implementation-defined controls of a shared core: RAZ/WI. */
        if (read)
            reg_set(f, rt, 0);
        break;
    default: {
        /* ISS of EC 0x18 (D13.2.37): Op0 [21:20], Op2 [19:17], Op1 [16:14],
         * CRn [13:10], Rt [9:5], CRm [4:1], Direction [0]. */
        struct sysreg_access a = {
            .op0 = (iss >> 20) & 3,
            .op2 = (iss >> 17) & 7,
            .op1 = (iss >> 14) & 7,
            .crn = (iss >> 10) & 15,
            .crm = (iss >> 1) & 15,
            .read = read,
            .value = reg_get(f, rt),
        };
        enum sysreg_outcome out = SYSREG_NOT_MINE;
        for (unsigned i = 0; i < sizeof sysreg_emulators / sizeof sysreg_emulators[0]; i++) {
            out = sysreg_emulators[i](&a);
            if (out != SYSREG_NOT_MINE)
                break;
        }
        if (out != SYSREG_DONE) {
            /* TIDCP and the other trap controls, a feature the ID
             * registers hide, a read-only register written: as on a core
             * without the register, the access is UNDEFINED. */
            trap_undef(v, f, out == SYSREG_UNDEF ? "system register access not allowed"
                                                 : "system register not emulated", esr);
            return;
        }
        if (read)
            reg_set(f, rt, a.value);
        break;
    }
    }
    vm_fault_progress(v);
    trap_skip(f, esr);
}

/* HPFAR_EL2.FIPA holds IPA[47:12] in bits [43:4] (D13.2.52); FAR_EL2 the page offset. */
static uint64_t trap_fault_ipa(void)
{
    return ((sysreg_read(hpfar_el2) & 0xffffffffff0ull) << 8) | (sysreg_read(far_el2) & 0xfff);
}

static void trap_dabt(struct vcpu *v, struct trap_frame *f, uint64_t esr)
{
    uint32_t iss = (uint32_t)(esr & 0x1ffffff);
    uint64_t ipa = trap_fault_ipa();
    bool gic = vgic_owns_ipa(v->vm, ipa_init(ipa));
    bool vuart = !gic && vuart_owns(v->vm, ipa_init(ipa));
    if (!gic && !vuart && !ipc_is_doorbell(v->vm, ipa_init(ipa))) {
        trap_abort(v, f, (iss & DABT_WNR) ? "stage-2 data abort on write"
                                          : "stage-2 data abort on read", esr, ipa, false);
        return;
    }
    /* An emulated device: only a single load or store with a syndrome
     * (ISV = 1), naturally aligned, of a size and at a register the device
     * has, can be emulated; anything else is an external abort, as a bus
     * would answer it. */
    if (!(iss & DABT_ISV)) {
        trap_abort(v, f, "emulated device access without syndrome (e.g. load/store pair)",
                   esr, ipa, false);
        return;
    }
    unsigned rt = DABT_SRT(iss);
    struct mmio_access acc = {
        .addr = ipa_init(ipa),
        .size = 1u << DABT_SAS(iss),
        .write = iss & DABT_WNR,
        .value = reg_get(f, rt),
    };
    if (ipa & (acc.size - 1)) {
        trap_abort(v, f, "unaligned access to an emulated device", esr, ipa, false);
        return;
    }
    if (acc.write && acc.size < 8)
        acc.value &= (1ull << (8 * acc.size)) - 1;
    if (!(gic     ? vgic_mmio_access(v, &acc)
          : vuart ? vuart_mmio_access(v, &acc)
                  : ipc_doorbell_access(v, &acc))) {
        trap_abort(v, f, "emulated device has no such register or access size", esr, ipa, false);
        return;
    }
    if (!acc.write) {
        uint64_t val = acc.value;
        if (acc.size < 8) {
            uint64_t bits = 8 * acc.size;
            val &= (1ull << bits) - 1;
            if ((iss & DABT_SSE) && (val >> (bits - 1)))
                val |= ~0ull << bits;
        }
        if (!(iss & DABT_SF))
            val &= 0xffffffffu;
        reg_set(f, rt, val);
    }
    vm_fault_progress(v);
    trap_skip(f, esr);
}

/* Back to the guest, unless this vCPU was stopped meanwhile. */
void trap_exit(struct vcpu *v)
{
    if (v->state != VCPU_ON)
        arch_cpu_park();
    vm_fault_summary_check(v->vm);
    vgic_flush(v);
}

void guest_trap_sync(struct trap_frame *f)
{
    struct vcpu *v = trap_vcpu();
    uint64_t esr = sysreg_read(esr_el2);
    unsigned ec = (unsigned)(esr >> 26) & 0x3f;
    switch (ec) {
    case EC_WFX:
        v->exit_causes[BAOHU_EXIT_WFI]++;
        trap_skip(f, esr);
        break;
    case EC_HVC64:
        v->exit_causes[BAOHU_EXIT_CALL]++;
        vm_fault_progress(v);
        trap_smccc(v, f, (uint32_t)(esr & 0xffff));
        break;
    case EC_SMC64:
        /* A trapped SMC returns to the SMC itself (D1.19.1): step over it. */
        v->exit_causes[BAOHU_EXIT_CALL]++;
        vm_fault_progress(v);
        trap_smccc(v, f, (uint32_t)(esr & 0xffff));
        f->elr += 4;
        break;
    case EC_SYSREG:
        v->exit_causes[BAOHU_EXIT_SYSREG]++;
        trap_sysreg(v, f, esr);
        break;
    case EC_DABT_LOW:
        v->exit_causes[BAOHU_EXIT_MMIO]++;
        trap_dabt(v, f, esr);
        break;
    case EC_IABT_LOW:
        /* Nothing is emulated at an instruction fetch: outside the VM's
         * RAM (or from a never-executable device or shared page). */
        v->exit_causes[BAOHU_EXIT_OTHER]++;
        trap_abort(v, f, "stage-2 instruction abort", esr, trap_fault_ipa(), true);
        break;
    default:
        v->exit_causes[BAOHU_EXIT_OTHER]++;
        /* Anything else EL2's trap controls route here (a feature trapped
         * by CPTR_EL2 or HCR_EL2, an AArch32 coprocessor access): the guest
         * sees what a core without the feature would do, UNDEFINED. */
        trap_undef(v, f, "trapped instruction not emulated", esr);
    }
    trap_exit(v);
}

void guest_trap_serror(struct trap_frame *f)
{
    struct vcpu *v = trap_vcpu();
    v->exit_causes[BAOHU_EXIT_OTHER]++;
    /* A physical SError taken while the guest ran (HCR_EL2.AMO) is
     * attributed to it: the guest gets a virtual one. */
    trap_fault(v, f, "SError", sysreg_read(esr_el2), 0, "virtual SError injected");
    inject_serror();
    trap_exit(v);
}

/* An exception taken from EL2 itself is a bug in Baohu: say where, stop this CPU. */
void hyp_trap_unexpected(struct trap_frame *f)
{
    console_log("PANIC on CPU %u: EL2 exception ESR 0x%lx FAR 0x%lx ELR 0x%lx",
                arch_cpu_id(), (unsigned long)sysreg_read(esr_el2),
                (unsigned long)sysreg_read(far_el2), (unsigned long)f->elr);
    for (;;)
#ifdef BAOHU_HOST
        arch_cpu_park(); /* host unit tests: no WFE */
#else
        __asm__ volatile("wfe");
#endif
}
