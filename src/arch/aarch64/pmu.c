/*
 * The guest's PMU and self-hosted debug, configured through MDCR_EL2
 * (Arm ARM D13.2.x MDCR_EL2; D11 "The Performance Monitors Extension").
 *
 * The vCPU owns its pCPU, so its PMU is the guest's: every counter
 * (HPMN = PMCR_EL0.N), the overflow interrupt (PPI 23, irq.c). What it may
 * never do is count, sample or break on EL2:
 *  - FEAT_PMUv3p5 (PMUVer >= 6): HPMD prohibits event counting at EL2 and
 *    HCCD the cycle counter; nothing traps.
 *  - Older PMUs (PMUv3p1 has HPMD but no HCCD; PMUv3 neither): every PMU
 *    access traps (TPM) and is performed here, with the EL2 filter bit NSH
 *    cleared in each event-type and cycle-filter write. The guest sees NSH
 *    as RES0, consistent with the EL2 its ID registers hide (idregs.c).
 *  - SPE and the trace filters (TPMS, TTRF; E2PB and E2TB stay 0, which
 *    traps the buffer controls): UNDEFINED, as the ID registers hide them.
 * Debug: TDE = 0 routes debug exceptions to EL1, and a debug exception is
 * never taken to a lower EL than the one it occurs at, so no breakpoint,
 * watchpoint or step of the guest's can fire in EL2 (D2.x "Routing debug
 * exceptions"). The debug and OS-lock registers are the guest's (TDA,
 * TDOSA, TDRA = 0): they are reset with the vCPU.
 */
#include "sysreg.h"
#include "sysreg_trap.h"

#define FIELD(reg, shift) (((reg) >> (shift)) & 0xfull)

/* ID_AA64DFR0_EL1 fields. */
#define DFR0_PMUVER 8
#define DFR0_BRPS 12
#define DFR0_WRPS 20
#define DFR0_PMSVER 32
#define DFR0_TRACEFILT 40
#define PMUVER_V3P1 4
#define PMUVER_V3P5 6
#define PMUVER_IMPDEF 0xf

#define MDCR_TPM (1ull << 6)
#define MDCR_TPMS (1ull << 14)
#define MDCR_HPMD (1ull << 17)
#define MDCR_TTRF (1ull << 19)
#define MDCR_HCCD (1ull << 23)

/* PMEVTYPER<n>_EL0 / PMCCFILTR_EL0.NSH: count in EL2. */
#define PMU_FILTER_NSH (1ull << 27)
#define PMCR_N(pmcr) (((pmcr) >> 11) & 0x1f)

static unsigned pmu_version(void)
{
    return (unsigned)FIELD(sysreg_read(id_aa64dfr0_el1), DFR0_PMUVER);
}

bool pmu_present(void)
{
    unsigned v = pmu_version();
    return v != 0 && v != PMUVER_IMPDEF;
}

static unsigned pmu_counters(void)
{
    return pmu_present() ? (unsigned)PMCR_N(sysreg_read(pmcr_el0)) : 0;
}

void pmu_el2_init(void)
{
    uint64_t dfr0 = sysreg_read(id_aa64dfr0_el1);
    uint64_t mdcr = 0;
    if (pmu_present()) {
        unsigned v = pmu_version();
        mdcr |= pmu_counters(); /* HPMN: all counters are the guest's */
        if (v >= PMUVER_V3P1)
            mdcr |= MDCR_HPMD;
        if (v >= PMUVER_V3P5)
            mdcr |= MDCR_HCCD;
        else
            mdcr |= MDCR_TPM;
    }
    if (FIELD(dfr0, DFR0_PMSVER))
        mdcr |= MDCR_TPMS;
    if (FIELD(dfr0, DFR0_TRACEFILT))
        mdcr |= MDCR_TTRF;
    sysreg_write(mdcr_el2, mdcr);
    isb();
}

/* PMEVCNTR<n>_EL0 / PMEVTYPER<n>_EL0 through PMSELR_EL0 (D13.3.x
 * PMXEVCNTR_EL0, PMXEVTYPER_EL0): one code path for all 31 of each. */
static uint64_t pmu_indirect(unsigned n, bool type, bool read, uint64_t value)
{
    uint64_t sel = sysreg_read(pmselr_el0);
    sysreg_write(pmselr_el0, n);
    isb();
    if (read)
        value = type ? sysreg_read(pmxevtyper_el0) : sysreg_read(pmxevcntr_el0);
    else if (type)
        sysreg_write(pmxevtyper_el0, value & ~PMU_FILTER_NSH);
    else
        sysreg_write(pmxevcntr_el0, value);
    sysreg_write(pmselr_el0, sel);
    isb();
    return value;
}

#define RW(read, reg, v)             \
    do {                             \
        if (read)                    \
            (v) = sysreg_read(reg);  \
        else                         \
            sysreg_write(reg, (v));  \
    } while (0)

/* The registers MDCR_EL2.TPM traps (op0 = 3), by (op1, CRn, CRm, op2). */
enum sysreg_outcome pmu_access(struct sysreg_access *a)
{
    if (a->op0 != 3 || !pmu_present())
        return SYSREG_NOT_MINE;
    bool rd = a->read;
    unsigned at = a->crm << 3 | a->op2;
    if (a->op1 == 0 && a->crn == 9 && a->crm == 14) {
        switch (a->op2) {
        case 1: RW(rd, pmintenset_el1, a->value); return SYSREG_DONE;
        case 2: RW(rd, pmintenclr_el1, a->value); return SYSREG_DONE;
        case 6: /* PMMIR_EL1 (PMUv3p4), read-only */
            if (!rd)
                return SYSREG_UNDEF;
            a->value = sysreg_read(S3_0_C9_C14_6);
            return SYSREG_DONE;
        default:
            return SYSREG_NOT_MINE;
        }
    }
    if (a->op1 != 3)
        return SYSREG_NOT_MINE;
    if (a->crn == 14 && a->crm >= 8) {
        unsigned n = (a->crm & 3) << 3 | a->op2;
        bool type = a->crm >= 12;
        if (type && n == 31) { /* PMCCFILTR_EL0 */
            if (rd)
                a->value = sysreg_read(pmccfiltr_el0);
            else
                sysreg_write(pmccfiltr_el0, a->value & ~PMU_FILTER_NSH);
            return SYSREG_DONE;
        }
        if (n >= pmu_counters())
            return SYSREG_UNDEF; /* no such counter (D13.3, PMEVCNTR<n>_EL0) */
        a->value = pmu_indirect(n, type, rd, a->value);
        return SYSREG_DONE;
    }
    if (a->crn != 9)
        return SYSREG_NOT_MINE;
    switch (at) {
    case 12 << 3 | 0: RW(rd, pmcr_el0, a->value); break;
    case 12 << 3 | 1: RW(rd, pmcntenset_el0, a->value); break;
    case 12 << 3 | 2: RW(rd, pmcntenclr_el0, a->value); break;
    case 12 << 3 | 3: RW(rd, pmovsclr_el0, a->value); break;
    case 12 << 3 | 4: /* PMSWINC_EL0, write-only */
        if (rd)
            return SYSREG_UNDEF;
        sysreg_write(pmswinc_el0, a->value);
        break;
    case 12 << 3 | 5: RW(rd, pmselr_el0, a->value); break;
    case 12 << 3 | 6:
    case 12 << 3 | 7: /* PMCEID0/1_EL0, read-only */
        if (!rd)
            return SYSREG_UNDEF;
        a->value = a->op2 == 6 ? sysreg_read(pmceid0_el0) : sysreg_read(pmceid1_el0);
        break;
    case 13 << 3 | 0: RW(rd, pmccntr_el0, a->value); break;
    case 13 << 3 | 1:
        /* PMXEVTYPER_EL0: the counter PMSELR_EL0 selects, or the cycle
         * filter when it selects 31. */
        if (rd)
            a->value = sysreg_read(pmxevtyper_el0);
        else
            sysreg_write(pmxevtyper_el0, a->value & ~PMU_FILTER_NSH);
        break;
    case 13 << 3 | 2: RW(rd, pmxevcntr_el0, a->value); break;
    case 14 << 3 | 0: RW(rd, pmuserenr_el0, a->value); break;
    case 14 << 3 | 3: RW(rd, pmovsset_el0, a->value); break;
    default:
        return SYSREG_NOT_MINE;
    }
    isb();
    return SYSREG_DONE;
}

/* Breakpoint and watchpoint n, where they exist (DBGBCR<n>_EL1 ... DBGWVR<n>_EL1). */
#define DBG_CLEAR(n)                          \
    if ((n) < brps) {                         \
        sysreg_write(dbgbcr##n##_el1, 0);     \
        sysreg_write(dbgbvr##n##_el1, 0);     \
    }                                         \
    if ((n) < wrps) {                         \
        sysreg_write(dbgwcr##n##_el1, 0);     \
        sysreg_write(dbgwvr##n##_el1, 0);     \
    }

static void debug_reset(void)
{
    uint64_t dfr0 = sysreg_read(id_aa64dfr0_el1);
    unsigned brps = (unsigned)FIELD(dfr0, DFR0_BRPS) + 1, wrps = (unsigned)FIELD(dfr0, DFR0_WRPS) + 1;
    DBG_CLEAR(0) DBG_CLEAR(1) DBG_CLEAR(2) DBG_CLEAR(3) DBG_CLEAR(4) DBG_CLEAR(5) DBG_CLEAR(6)
    DBG_CLEAR(7) DBG_CLEAR(8) DBG_CLEAR(9) DBG_CLEAR(10) DBG_CLEAR(11) DBG_CLEAR(12)
    DBG_CLEAR(13) DBG_CLEAR(14) DBG_CLEAR(15)
    sysreg_write(mdscr_el1, 0);
    /* The OS Lock as a cold reset leaves it: locked (D2.x, OSLSR_EL1.OSLK). */
    sysreg_write(oslar_el1, 1);
}

void pmu_debug_reset(void)
{
    debug_reset();
    if (!pmu_present())
        return;
    /* Counting off, counters and overflow state of the last run gone
     * (PMCR_EL0.P and C reset the event and cycle counters). */
    sysreg_write(pmcntenclr_el0, ~0ull);
    sysreg_write(pmintenclr_el1, ~0ull);
    sysreg_write(pmcr_el0, (1u << 1) | (1u << 2));
    isb();
    sysreg_write(pmcr_el0, 0);
    sysreg_write(pmovsclr_el0, ~0ull);
    sysreg_write(pmuserenr_el0, 0);
    sysreg_write(pmccfiltr_el0, 0);
    for (unsigned n = 0; n < pmu_counters(); n++)
        pmu_indirect(n, true, false, 0);
    sysreg_write(pmselr_el0, 0);
    isb();
}
