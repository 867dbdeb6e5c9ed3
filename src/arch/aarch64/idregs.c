/*
 * The ID registers a guest reads (HCR_EL2.TID3): the hardware's values, with
 * every feature Baohu does not give the guest hidden, so that what they
 * advertise is exactly what works at EL1 (Arm ARM D13.1.x, "ID register
 * trapping"). And the RAS error records, which reach error state shared
 * with the other VMs: RAZ/WI behind HCR_EL2.TERR.
 */
#include "sysreg.h"
#include "sysreg_trap.h"

/* 4-bit ID fields: (register, shift). */
#define FIELD(reg, shift) (((reg) >> (shift)) & 0xfull)
#define F(shift) (0xfull << (shift))

/*
 * Reading the register a trapped access named. The encodings
 * op0 = 3, op1 = 0, CRn = 0, CRm = 1..7 are all ID space: the unallocated
 * ones are RAZ at EL2 as at EL1 (Arm ARM D18.3.1, "reserved ... RAZ"), so
 * reading any of them here cannot fault.
 */
#define ID_READ(crm, op2)                                                                       \
    case ((crm) << 3 | (op2)):                                                                  \
        return sysreg_read(S3_0_C0_C##crm##_##op2);
#define ID_ROW(crm)                                                                             \
    ID_READ(crm, 0) ID_READ(crm, 1) ID_READ(crm, 2) ID_READ(crm, 3) ID_READ(crm, 4)             \
    ID_READ(crm, 5) ID_READ(crm, 6) ID_READ(crm, 7)

static uint64_t id_hw_read(unsigned crm, unsigned op2)
{
    switch (crm << 3 | op2) {
        ID_ROW(1)
        ID_ROW(2)
        ID_ROW(3)
        ID_ROW(4)
        ID_ROW(5)
        ID_ROW(6)
        ID_ROW(7)
    default:
        return 0;
    }
}

#define ID_AA64PFR0 (4u << 3 | 0)
#define ID_AA64PFR1 (4u << 3 | 1)
#define ID_AA64DFR0 (5u << 3 | 0)
#define ID_AA64MMFR1 (7u << 3 | 1)
#define ID_AA64MMFR2 (7u << 3 | 2)

/* Field positions (Arm ARM D19.2, the ID_AA64* register descriptions). */
#define PFR0_EL2 8
#define PFR0_RAS 28
#define PFR0_MPAM 40
#define PFR0_AMU 44
#define PFR0_RME 52
#define PFR1_MTE 8
#define PFR1_MPAM_FRAC 16
#define PFR1_MTE_FRAC 40
#define DFR0_TRACEVER 4
#define DFR0_PMSVER 32
#define DFR0_TRACEFILT 40
#define DFR0_TRACEBUFFER 44
#define DFR0_BRBE 52
#define MMFR1_VH 8
#define MMFR2_NV 24

/*
 * What the guest sees. Hidden, each because Baohu does not give it:
 *  - EL2 (and with it VHE, nested virtualisation): the guest runs at EL1
 *    only; its HVCs are Baohu's calls.
 *  - MTE: stage 2 maps no RAM as Tagged (HCR_EL2.ATA = 0 traps the tag
 *    registers, which then read as UNDEFINED like on a core without MTE).
 *  - AMU: its counters count the whole core, Baohu included (CPTR_EL2.TAM
 *    traps them); MPAM, RME: partitioning and realms are Baohu's to manage.
 *  - SPE, trace, branch records: they sample or record EL2 activity and
 *    write to memory by themselves (MDCR_EL2 traps them, pmu.c).
 * Everything else is the hardware's: SVE, SME, PAuth, the PMU (pmu.c), RAS
 * (with no error records, below), the instruction-set registers.
 */
static uint64_t id_sanitise(unsigned reg, uint64_t v)
{
    switch (reg) {
    case ID_AA64PFR0:
        return v & ~(F(PFR0_EL2) | F(PFR0_MPAM) | F(PFR0_AMU) | F(PFR0_RME));
    case ID_AA64PFR1:
        return v & ~(F(PFR1_MTE) | F(PFR1_MPAM_FRAC) | F(PFR1_MTE_FRAC));
    case ID_AA64DFR0:
        return v & ~(F(DFR0_TRACEVER) | F(DFR0_PMSVER) | F(DFR0_TRACEFILT) | F(DFR0_TRACEBUFFER) |
                     F(DFR0_BRBE));
    case ID_AA64MMFR1:
        return v & ~F(MMFR1_VH);
    case ID_AA64MMFR2:
        return v & ~F(MMFR2_NV);
    default:
        return v;
    }
}

enum sysreg_outcome idreg_access(struct sysreg_access *a)
{
    if (a->op0 != 3 || a->op1 != 0 || a->crn != 0 || a->crm < 1)
        return SYSREG_NOT_MINE;
    if (!a->read)
        return SYSREG_UNDEF; /* the ID registers are read-only */
    unsigned reg = a->crm << 3 | a->op2;
    a->value = id_sanitise(reg, id_hw_read(a->crm, a->op2));
    return SYSREG_DONE;
}

/*
 * HCR_EL2.TID3 (18): ID registers trap. TERR (36), where FEAT_RAS exists
 * (RES0 otherwise): the error-record registers trap.
 */
uint64_t idregs_hcr_bits(void)
{
    uint64_t bits = 1ull << 18;
    if (FIELD(sysreg_read(id_aa64pfr0_el1), PFR0_RAS))
        bits |= 1ull << 36;
    return bits;
}

/* CPTR_EL2.TAM (30), where FEAT_AMUv1 exists: activity monitors trap. */
uint64_t idregs_cptr_bits(void)
{
    return FIELD(sysreg_read(id_aa64pfr0_el1), PFR0_AMU) ? 1ull << 30 : 0;
}

/*
 * ERRIDR_EL1, ERRSELR_EL1 (CRm 3), ERX*_EL1 (CRm 4 and 5), op0 = 3,
 * op1 = 0, CRn = 5 (Arm RAS supplement, "Error record registers"): the
 * guest sees a core with no error records (ERRIDR_EL1.NUM = 0), which
 * makes the ERX* registers RAZ/WI too.
 */
enum sysreg_outcome ras_access(struct sysreg_access *a)
{
    if (a->op0 != 3 || a->op1 != 0 || a->crn != 5 || a->crm < 3 || a->crm > 5)
        return SYSREG_NOT_MINE;
    if (a->read)
        a->value = 0;
    return SYSREG_DONE;
}
