/* The one place that decodes a guest's synchronous exceptions (ESR_EL2) and dispatches them. */
#include "arch.h"
#include "arch_regs.h"
#include "console.h"
#include "cpu.h"
#include "hypercall.h"
#include "ipc.h"
#include "psci.h"
#include "sysreg.h"
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

static struct vcpu *trap_vcpu(void)
{
    return cpu_current()->vcpu;
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

/* The report names the exception class (ESR_EL2.EC) beside the full syndrome. */
static noreturn void trap_fault(struct vcpu *v, const struct trap_frame *f, const char *what,
                                uint64_t esr, uint64_t addr)
{
    char text[96];
    fmt_format(text, sizeof(text), "%s, EC 0x%02x", what, (unsigned)(esr >> 26) & 0x3f);
    vm_fault(v, text, esr, addr, f->elr);
}

/* SMCCC calls through HVC or SMC: PSCI, the SMCCC version queries, Baohu's hypercalls. */
static void trap_smccc(struct vcpu *v, struct trap_frame *f, uint32_t imm)
{
    uint64_t fid = f->x[0];
    int64_t ret;
    if (imm != 0)
        ret = SMCCC_NOT_SUPPORTED; /* SMCCC §2.5: only immediate 0 carries calls */
    else if (psci_is_psci((uint32_t)fid) && (fid >> 32) == 0)
        ret = psci_guest_call(v, (uint32_t)fid, f->x[1], f->x[2], f->x[3]);
    else if (fid == SMCCC_VERSION)
        ret = 0x10001; /* SMCCC 1.1 */
    else if (hypercall_is_baohu(fid))
        ret = hypercall_handle(v, fid, &f->x[1]);
    else
        ret = SMCCC_NOT_SUPPORTED; /* includes SMCCC_ARCH_FEATURES: no workarounds offered */
    f->x[0] = (uint64_t)ret;
}

static void trap_sysreg(struct vcpu *v, struct trap_frame *f, uint64_t esr)
{
    uint32_t iss = (uint32_t)(esr & 0x1ffffff);
    bool read = iss & 1;
    unsigned rt = (iss >> 5) & 31;
    switch (iss & SYSREG_ISS_ID_MASK) {
    case SYSREG_ICC_SGI1R:
    case SYSREG_ICC_ASGI1R:
    case SYSREG_ICC_SGI0R:
        if (read)
            trap_fault(v, f, "read of write-only ICC_SGI register", esr, 0);
        vgic_sgi_write(v, reg_get(f, rt));
        break;
    case SYSREG_ACTLR_EL1:
        /* Implementation-defined controls of a shared core: RAZ/WI. */
        if (read)
            reg_set(f, rt, 0);
        break;
    default:
        trap_fault(v, f, "system register access not allowed", esr, 0);
    }
    f->elr += 4;
}

static void trap_dabt(struct vcpu *v, struct trap_frame *f, uint64_t esr)
{
    uint32_t iss = (uint32_t)(esr & 0x1ffffff);
    uint64_t far = sysreg_read(far_el2);
    /* HPFAR_EL2.FIPA holds IPA[47:12] in bits [43:4] (D13.2.52). */
    uint64_t ipa = ((sysreg_read(hpfar_el2) & 0xffffffffff0ull) << 8) | (far & 0xfff);
    bool gic = vgic_owns_ipa(v->vm, ipa_init(ipa));
    if (!gic && !ipc_is_doorbell(v->vm, ipa_init(ipa)))
        trap_fault(v, f, (iss & DABT_WNR) ? "stage-2 data abort on write"
                                          : "stage-2 data abort on read", esr, ipa);
    if (!(iss & DABT_ISV))
        trap_fault(v, f, "emulated device access without syndrome (e.g. load/store pair)",
                   esr, ipa);
    unsigned rt = DABT_SRT(iss);
    struct mmio_access acc = {
        .addr = ipa_init(ipa),
        .size = 1u << DABT_SAS(iss),
        .write = iss & DABT_WNR,
        .value = reg_get(f, rt),
    };
    if (acc.write && acc.size < 8)
        acc.value &= (1ull << (8 * acc.size)) - 1;
    if (!(gic ? vgic_mmio_access(v, &acc) : ipc_doorbell_access(v, &acc)))
        trap_fault(v, f, "access to an emulated device register that does not exist", esr, ipa);
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
    f->elr += 4;
}

/* Back to the guest, unless this vCPU was stopped meanwhile. */
void trap_exit(struct vcpu *v)
{
    if (v->state != VCPU_ON)
        arch_cpu_park();
    vgic_flush(v);
}

void guest_trap_sync(struct trap_frame *f)
{
    struct vcpu *v = trap_vcpu();
    uint64_t esr = sysreg_read(esr_el2);
    unsigned ec = (unsigned)(esr >> 26) & 0x3f;
    switch (ec) {
    case EC_WFX:
        f->elr += 4;
        break;
    case EC_HVC64:
        trap_smccc(v, f, (uint32_t)(esr & 0xffff));
        break;
    case EC_SMC64:
        /* A trapped SMC returns to the SMC itself (D1.19.1): step over it. */
        trap_smccc(v, f, (uint32_t)(esr & 0xffff));
        f->elr += 4;
        break;
    case EC_SYSREG:
        trap_sysreg(v, f, esr);
        break;
    case EC_DABT_LOW:
        trap_dabt(v, f, esr);
        break;
    case EC_IABT_LOW:
        trap_fault(v, f, "stage-2 instruction abort", esr,
                   ((sysreg_read(hpfar_el2) & 0xffffffffff0ull) << 8) |
                       (sysreg_read(far_el2) & 0xfff));
    default:
        trap_fault(v, f, "unexpected trap", esr, sysreg_read(far_el2));
    }
    trap_exit(v);
}

void guest_trap_serror(struct trap_frame *f)
{
    trap_fault(trap_vcpu(), f, "SError", sysreg_read(esr_el2), 0);
}

void guest_trap_unexpected(struct trap_frame *f)
{
    trap_fault(trap_vcpu(), f, "exception from AArch32", sysreg_read(esr_el2), 0);
}

/* An exception taken from EL2 itself is a bug in Baohu: say where, stop this CPU. */
void hyp_trap_unexpected(struct trap_frame *f)
{
    console_log("PANIC on CPU %u: EL2 exception ESR 0x%lx FAR 0x%lx ELR 0x%lx",
                arch_cpu_id(), (unsigned long)sysreg_read(esr_el2),
                (unsigned long)sysreg_read(far_el2), (unsigned long)f->elr);
    for (;;)
        __asm__ volatile("wfe");
}
