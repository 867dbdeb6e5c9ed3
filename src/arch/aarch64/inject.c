/*
 * Exception injection at EL1: what AArch64.TakeException (Arm ARM DDI 0487,
 * J1.1.2 pseudocode; D1.10 "Exception entry") does for an exception taken
 * from EL0 or EL1 to EL1, done by Baohu on the guest's saved state. The
 * guest's EL1 registers are live on this pCPU (one vCPU per pCPU, no VHE),
 * so ESR_EL1, FAR_EL1, ELR_EL1 and SPSR_EL1 are written directly; the new
 * PSTATE and PC go into the trap frame the eret restores.
 */
#include "arch.h"
#include "inject.h"
#include "sysreg.h"

/* ESR_ELx (D13.2.37): EC [31:26], IL [25], ISS [24:0]. */
#define ESR_EC_SHIFT 26
#define ESR_IL (1ull << 25)
#define EC_UNKNOWN 0x00
#define EC_IABT_LOW 0x20
#define EC_IABT_CUR 0x21
#define EC_DABT_LOW 0x24
#define EC_DABT_CUR 0x25
/* Abort ISS: FSC [5:0], WnR [6], S1PTW [7], CM [8], EA [9], FnV [10]. */
#define FSC_SEA 0x10u /* synchronous external abort, not on a table walk */
#define ISS_WNR (1ull << 6)
#define ISS_CM (1ull << 8)
#define ISS_FNV (1ull << 10)

/* Vector offsets from VBAR_EL1 for a synchronous exception (D1.10.2, Table D1-7). */
#define VEC_CURRENT_SP0 0x000u
#define VEC_CURRENT_SPX 0x200u
#define VEC_LOWER_A64 0x400u
#define VEC_LOWER_A32 0x600u
#define VBAR_MASK (~0x7ffull) /* VBAR_EL1 bits [10:0] are RES0 */
#define VECTOR_SIZE 0x800u

/* SPSR_EL1 / PSTATE fields of AArch64 state (C5.2.18). */
#define PSR_M_MASK 0xfull
#define PSR_M_EL1H 0x5ull
#define PSR_M4_A32 (1ull << 4) /* the exception came from AArch32 */
#define PSR_DAIF (0xfull << 6)
#define PSR_SSBS (1ull << 12)
#define PSR_PAN (1ull << 22)
#define PSR_DIT (1ull << 24)
#define PSR_TCO (1ull << 25)
#define PSR_NZCV (0xfull << 28)
/* The same in an AArch32 CPSR (G8.2.x): PAN [22] as in AArch64, DIT at [21]. */
#define A32_DIT (1ull << 21)

/* SCTLR_EL1: SPAN [23] (0: PAN set on entry), DSSBS [44] (SSBS on entry). */
#define SCTLR_SPAN (1ull << 23)
#define SCTLR_DSSBS (1ull << 44)

/* HCR_EL2.VSE [8]: a virtual SError pending (D13.2.48). */
#define HCR_VSE (1ull << 8)

/* ID register fields (D13.2.6x): 4-bit fields, non-zero = implemented. */
#define ID_FIELD(reg, shift) (((reg) >> (shift)) & 0xf)

bool inject_from_el0(const struct trap_frame *f)
{
    return (f->spsr & PSR_M4_A32) || ((f->spsr >> 2) & 3) == 0;
}

bool inject_pc_in_vector(const struct trap_frame *f)
{
    uint64_t base = sysreg_read(vbar_el1) & VBAR_MASK;
    return !inject_from_el0(f) && f->elr - base < VECTOR_SIZE;
}

/* PSTATE on entry to EL1 (AArch64.TakeException): EL1h, D A I F set, IL,
 * SS, UAO and BTYPE cleared, NZCV and DIT kept, PAN set when SCTLR_EL1.SPAN
 * is 0 (FEAT_PAN) and otherwise kept, SSBS = SCTLR_EL1.DSSBS (FEAT_SSBS),
 * TCO set (FEAT_MTE). The features are the CPU's: the guest sees its real
 * ID registers. */
static uint64_t entry_pstate(uint64_t old)
{
    uint64_t sctlr = sysreg_read(sctlr_el1);
    uint64_t p = (old & (PSR_NZCV | PSR_PAN)) | PSR_DAIF | PSR_M_EL1H;
    if ((old & PSR_M4_A32) ? (old & A32_DIT) : (old & PSR_DIT))
        p |= PSR_DIT;
    if (ID_FIELD(sysreg_read(id_aa64mmfr1_el1), 20) && !(sctlr & SCTLR_SPAN))
        p |= PSR_PAN;
    uint64_t pfr1 = sysreg_read(id_aa64pfr1_el1);
    if (ID_FIELD(pfr1, 4) && (sctlr & SCTLR_DSSBS))
        p |= PSR_SSBS;
    if (ID_FIELD(pfr1, 8))
        p |= PSR_TCO;
    return p;
}

/* Take a synchronous exception with syndrome `esr` to EL1. */
static void take_sync(struct trap_frame *f, uint64_t esr)
{
    uint64_t old = f->spsr;
    unsigned offset;
    if (old & PSR_M4_A32)
        offset = VEC_LOWER_A32;
    else if (((old >> 2) & 3) == 0)
        offset = VEC_LOWER_A64;
    else
        offset = (old & 1) ? VEC_CURRENT_SPX : VEC_CURRENT_SP0; /* M[0]: SP_EL1 or SP_EL0 */
    sysreg_write(esr_el1, esr);
    sysreg_write(elr_el1, f->elr); /* the faulting instruction itself */
    sysreg_write(spsr_el1, old);
    f->spsr = entry_pstate(old);
    f->elr = (sysreg_read(vbar_el1) & VBAR_MASK) + offset;
}

void inject_external_abort(struct trap_frame *f, bool insn, uint64_t esr_el2, uint64_t far)
{
    bool low = inject_from_el0(f);
    uint64_t ec = insn ? (low ? EC_IABT_LOW : EC_IABT_CUR) : (low ? EC_DABT_LOW : EC_DABT_CUR);
    /* IL is 1 for instruction aborts and for data aborts with ISV = 0. */
    uint64_t iss = FSC_SEA | (esr_el2 & ISS_FNV);
    if (!insn)
        iss |= esr_el2 & (ISS_WNR | ISS_CM);
    if (!(esr_el2 & ISS_FNV))
        sysreg_write(far_el1, far);
    take_sync(f, (ec << ESR_EC_SHIFT) | ESR_IL | iss);
}

void inject_undef(struct trap_frame *f)
{
    take_sync(f, ((uint64_t)EC_UNKNOWN << ESR_EC_SHIFT) | ESR_IL);
}

void inject_serror(void)
{
    /* With FEAT_RAS the syndrome comes from VSESR_EL2 (0: uncategorised);
     * without it, ESR_EL1 of a virtual SError is IMPLEMENTATION DEFINED. */
    if (ID_FIELD(sysreg_read(id_aa64pfr0_el1), 28))
        sysreg_write(S3_4_C5_C2_3, 0); /* VSESR_EL2 */
    sysreg_write(hcr_el2, sysreg_read(hcr_el2) | HCR_VSE);
    isb();
}
