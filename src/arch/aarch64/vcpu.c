/* vCPU state on Armv8-A: EL2 controls, EL1 reset state, entering the guest. */
#include "arch.h"
#include "arch_layout.h"
#include "arch_regs.h"
#include "gic.h"
#include "sysreg.h"
#include "sysreg_trap.h"
#include "vm.h"

extern char __stacks_start[];
uint64_t stage2_vtcr(void);
noreturn void arch_frame_enter(struct trap_frame *frame);

/*
 * HCR_EL2, bit by bit (Arm ARM D13.2.48):
 *  VM    (0)  stage-2 translation on: the partition boundary.
 *  SWIO  (1)  data cache invalidate by set/way becomes clean+invalidate, so a
 *             guest cannot discard other VMs' dirty lines in a shared cache.
 *  FMO, IMO (3, 4)  physical FIQ/IRQ go to EL2 (Baohu routes them), the guest
 *             gets virtual ones; IMO also traps ICC_SGI*R writes (GICv3 §12.1.x).
 *  AMO   (5)  SError to EL2 so an asynchronous abort is attributed to the VM.
 *  FB    (9)  TLB maintenance by the guest is broadcast inner-shareable, so it
 *             reaches its other vCPUs' pCPUs.
 *  BSU   (11:10 = 01) barriers are upgraded to inner shareable for the same reason.
 *  TID3  (18) ID registers trap: the guest reads them with what Baohu does
 *             not give it hidden (idregs.c, with TERR where RAS exists).
 *  TSC   (19) SMC traps: the guest's only firmware is Baohu's PSCI emulation.
 *  TIDCP (20) implementation-defined system registers trap (they may control
 *             shared hardware); the guest gets UNDEFINED (traps.c).
 *  TACR  (21) ACTLR_EL1 traps for the same reason; emulated as RAZ/WI.
 *  RW    (31) EL1 is AArch64.
 *  TWI/TWE stay 0: the pCPU belongs to this vCPU, so WFI idles natively
 *  (and wakes on virtual interrupts) without an exit.
 */
#define HCR_EL2_VALUE ((1ull << 0) | (1ull << 1) | (1ull << 3) | (1ull << 4) | (1ull << 5) | \
                       (1ull << 9) | (1ull << 10) | (1ull << 19) | (1ull << 20) |            \
                       (1ull << 21) | (1ull << 31))
/*
 *  APK, API (40, 41), where FEAT_PAuth exists (RES0 otherwise): the guest's
 *  pointer-authentication key registers and instructions do not trap. The
 *  keys live in the EL1 registers of the vCPU's own pCPU (no switching).
 */
#define HCR_EL2_APK (1ull << 40)
#define HCR_EL2_API (1ull << 41)
/* CNTHCTL_EL2: EL1PCTEN, EL1PCEN — the guest owns its pCPU's physical timer too. */
#define CNTHCTL_EL2_VALUE 0x3ull
/*
 * CPTR_EL2 with HCR_EL2.E2H = 0 (Arm ARM D13.2.31): RES1 bits [7:0], 9 and
 * 13; TFP (10) = 0: FP/SIMD not trapped (Baohu itself never uses them).
 * TZ (8) and TSM (12) are RES1 where SVE / SME do not exist and 0 where
 * they do: the guest owns its pCPU's SVE and SME state like its FP state, so
 * what the ID registers advertise (idregs.c) is usable.
 */
#define CPTR_EL2_RES1 0x22ffull
#define CPTR_EL2_TZ (1ull << 8)
#define CPTR_EL2_TSM (1ull << 12)
/* ZCR_EL2 (S3_4_C1_C2_0) / SMCR_EL2 (S3_4_C1_C2_6) by encoding (D13.2.145, SME supplement): LEN [3:0] is
 * the largest vector length EL1 may use, (LEN + 1) x 128 bits; 0xf lets the
 * guest have all the hardware offers. SMCR_EL2.FA64 (31): the full A64 set
 * in streaming mode, where FEAT_SME_FA64 exists. */
#define VL_LEN_MAX 0xfull
#define SMCR_FA64 (1ull << 31)
/* SCTLR_EL1 architectural reset: RES1 bits, MMU and caches off (Linux arm64 boot protocol). */
#define SCTLR_EL1_RESET 0x30d00800ull
/* SPSR for the first entry: EL1h with D, A, I, F masked. */
#define SPSR_EL1H_MASKED 0x3c5ull

struct trap_frame *vcpu_frame(void)
{
    uintptr_t top = (uintptr_t)__stacks_start + (arch_cpu_id() + 1) * STACK_SLOT;
    return (struct trap_frame *)(top - FRAME_SIZE);
}

/* 4-bit ID register fields (D13.2.6x): non-zero = implemented. */
#define ID_FIELD(reg, shift) (((reg) >> (shift)) & 0xf)

static bool cpu_has_sve(void)
{
    return ID_FIELD(sysreg_read(id_aa64pfr0_el1), 32) != 0;
}

static bool cpu_has_sme(void)
{
    return ID_FIELD(sysreg_read(id_aa64pfr1_el1), 24) != 0;
}

/* FEAT_PAuth: ID_AA64ISAR1_EL1.APA [7:4], API [11:8] (QARMA / IMP DEF
 * algorithms); ID_AA64ISAR2_EL1.APA3 [15:12] (QARMA3). */
static bool cpu_has_pauth(void)
{
    uint64_t isar1 = sysreg_read(id_aa64isar1_el1);
    return ID_FIELD(isar1, 4) || ID_FIELD(isar1, 8) ||
           ID_FIELD(sysreg_read(S3_0_C0_C6_2), 12); /* ID_AA64ISAR2_EL1 */
}

static uint64_t hcr_el2_value(void)
{
    return HCR_EL2_VALUE | idregs_hcr_bits() | (cpu_has_pauth() ? HCR_EL2_APK | HCR_EL2_API : 0);
}

/* EL2 controls that are the same for every vCPU. */
void el2_init(void)
{
    bool sve = cpu_has_sve(), sme = cpu_has_sme();
    sysreg_write(hcr_el2, hcr_el2_value());
    sysreg_write(cptr_el2, CPTR_EL2_RES1 | (sve ? 0 : CPTR_EL2_TZ) | (sme ? 0 : CPTR_EL2_TSM) |
                               idregs_cptr_bits());
    isb();
    /* Accessible now that CPTR_EL2 no longer traps them. */
    if (sve)
        sysreg_write(S3_4_C1_C2_0, VL_LEN_MAX); /* ZCR_EL2 */
    if (sme)
        sysreg_write(S3_4_C1_C2_6, /* SMCR_EL2; ID_AA64SMFR0_EL1.FA64 is bit 63 */
                     VL_LEN_MAX | ((sysreg_read(S3_0_C0_C4_5) >> 63) ? SMCR_FA64 : 0));
    pmu_el2_init();
    sysreg_write(cnthctl_el2, CNTHCTL_EL2_VALUE);
    sysreg_write(cntvoff_el2, 0);
    sysreg_write(vtcr_el2, stage2_vtcr());
    sysreg_write(vpidr_el2, sysreg_read(midr_el1));
    isb();
}

/*
 * The FP/SIMD, SVE and SME state is the guest's, live in its pCPU's
 * registers (CPTR_EL2 traps none of it): a reset must not hand the new run
 * the old one's values. Baohu is built without FP registers, so the
 * instructions are spelled as encodings:
 *  MOVI Vd.2D, #0 (0x6f00e400 | d): the whole of Zd too, since an Advanced
 *    SIMD write zeroes a Z register's bits above 128 (Arm ARM, SVE
 *    "Register file"); PFALSE Pd (0x2518e400 | d) and WRFFR P0.B
 *    (0x25289000); SMSTOP (0xd503467f) leaves streaming mode and ZA off.
 */
#define ZERO_V(n) __asm__ volatile(".inst 0x6f00e400 | " #n ::: "memory");
#define PFALSE(n) __asm__ volatile(".inst 0x2518e400 | " #n ::: "memory");

static void fpsimd_reset(bool sve, bool sme)
{
    if (sme)
        __asm__ volatile(".inst 0xd503467f" ::: "memory"); /* SMSTOP */
    ZERO_V(0) ZERO_V(1) ZERO_V(2) ZERO_V(3) ZERO_V(4) ZERO_V(5) ZERO_V(6) ZERO_V(7)
    ZERO_V(8) ZERO_V(9) ZERO_V(10) ZERO_V(11) ZERO_V(12) ZERO_V(13) ZERO_V(14) ZERO_V(15)
    ZERO_V(16) ZERO_V(17) ZERO_V(18) ZERO_V(19) ZERO_V(20) ZERO_V(21) ZERO_V(22) ZERO_V(23)
    ZERO_V(24) ZERO_V(25) ZERO_V(26) ZERO_V(27) ZERO_V(28) ZERO_V(29) ZERO_V(30) ZERO_V(31)
    if (sve) {
        PFALSE(0) PFALSE(1) PFALSE(2) PFALSE(3) PFALSE(4) PFALSE(5) PFALSE(6) PFALSE(7)
        PFALSE(8) PFALSE(9) PFALSE(10) PFALSE(11) PFALSE(12) PFALSE(13) PFALSE(14) PFALSE(15)
        __asm__ volatile(".inst 0x25289000" ::: "memory"); /* WRFFR P0.B: FFR all false */
        sysreg_write(S3_0_C1_C2_0, 0); /* ZCR_EL1 */
    }
    if (sme)
        sysreg_write(S3_0_C1_C2_6, 0); /* SMCR_EL1 */
    sysreg_write(S3_3_C4_C4_0, 0); /* FPCR */
    sysreg_write(S3_3_C4_C4_1, 0); /* FPSR */
}

void arch_vcpu_reset(struct vcpu *v, uint64_t entry, uint64_t arg)
{
    struct trap_frame *f = vcpu_frame();
    for (unsigned i = 0; i < 31; i++)
        f->x[i] = 0;
    f->x[0] = arg;
    f->elr = entry;
    f->spsr = SPSR_EL1H_MASKED;

    /* Virtual MPIDR: vCPU k is Aff0 = k; bit 31 RES1 (Arm ARM D13.2.86). */
    v->arch.vmpidr = (1ull << 31) | v->id;
    sysreg_write(vmpidr_el2, v->arch.vmpidr);

    /* HCR_EL2 again: no virtual SError (VSE, inject.c) of a previous run stays pending. */
    sysreg_write(hcr_el2, hcr_el2_value());
    sysreg_write(sctlr_el1, SCTLR_EL1_RESET);
    sysreg_write(ttbr0_el1, 0);
    sysreg_write(ttbr1_el1, 0);
    sysreg_write(tcr_el1, 0);
    sysreg_write(mair_el1, 0);
    sysreg_write(amair_el1, 0);
    sysreg_write(vbar_el1, 0);
    sysreg_write(contextidr_el1, 0);
    sysreg_write(tpidr_el1, 0);
    sysreg_write(tpidr_el0, 0);
    sysreg_write(tpidrro_el0, 0);
    sysreg_write(sp_el0, 0);
    sysreg_write(sp_el1, 0);
    sysreg_write(elr_el1, 0);
    sysreg_write(spsr_el1, 0);
    sysreg_write(esr_el1, 0);
    sysreg_write(far_el1, 0);
    sysreg_write(afsr0_el1, 0);
    sysreg_write(afsr1_el1, 0);
    sysreg_write(par_el1, 0);
    sysreg_write(cpacr_el1, 0);
    pmu_debug_reset();
    fpsimd_reset(cpu_has_sve(), cpu_has_sme());
    sysreg_write(csselr_el1, 0);
    /* The guest's timers: off, and no compare value of the last run left
     * (their reset values are UNKNOWN, D11.2.4; zero is one of them). */
    sysreg_write(cntkctl_el1, 0);
    sysreg_write(cntv_ctl_el0, 0);
    sysreg_write(cntp_ctl_el0, 0);
    sysreg_write(cntv_cval_el0, 0);
    sysreg_write(cntp_cval_el0, 0);

    sysreg_write(vttbr_el2, v->vm->arch.vttbr);
    isb();
    /* Nothing cached under this VMID may survive a reset. */
    __asm__ volatile("tlbi vmalls12e1is" ::: "memory");
    dsb(ish);
    isb();
    vgic_vcpu_reset(v);
}

void arch_vcpu_quiesce(struct vcpu *v)
{
    /* The guest's timers and PMU would keep raising PPIs at a pCPU nobody listens on. */
    sysreg_write(cntv_ctl_el0, 0);
    sysreg_write(cntp_ctl_el0, 0);
    pmu_debug_reset(); /* and its PMU's overflow interrupt */
    isb();
    vgic_vcpu_reset(v);
    if (gic_irq_is_active(GIC_PPI_PMU))
        gic_deactivate(GIC_PPI_PMU);
    if (gic_irq_is_active(GIC_PPI_VTIMER))
        gic_deactivate(GIC_PPI_VTIMER);
    if (gic_irq_is_active(GIC_PPI_PTIMER))
        gic_deactivate(GIC_PPI_PTIMER);
}

noreturn void arch_vcpu_enter(struct vcpu *v)
{
    vgic_flush(v);
    arch_frame_enter(vcpu_frame());
}

void arch_vcpu_virq_sync(struct vcpu *v)
{
    /* The IPI took the guest out; vgic_flush on the way back in applies
     * whatever was recorded for it. */
    (void)v;
}

void arch_vm_irqchip_init(struct vm *vm)
{
    vgic_vm_init(vm);
}

void arch_vm_virq_raise(struct vm *vm, irqid_t irq)
{
    /* Straight into the distributor, from this CPU: it reaches the vCPU
     * the guest routed it to, and waits there while that vCPU is off. */
    vgic_raise(vm, irq);
}

void arch_vm_irqchip_stop(struct vm *vm)
{
    vgic_vm_stop(vm);
}
