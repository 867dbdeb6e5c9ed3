/* Trapped MSR/MRS accesses (ESR_EL2.EC 0x18) as the emulating files see them. */
#ifndef BAOHU_AARCH64_SYSREG_TRAP_H
#define BAOHU_AARCH64_SYSREG_TRAP_H

#include <stdbool.h>
#include <stdint.h>

struct sysreg_access {
    unsigned op0, op1, crn, crm, op2;
    bool read;
    uint64_t value; /* the written value; for a read, what the guest gets */
};

enum sysreg_outcome {
    SYSREG_NOT_MINE, /* not a register this handler emulates */
    SYSREG_DONE,     /* emulated */
    SYSREG_UNDEF,    /* the access is UNDEFINED: the guest gets the exception */
};

/* ID registers (HCR_EL2.TID3) with what Baohu does not offer hidden (idregs.c). */
enum sysreg_outcome idreg_access(struct sysreg_access *a);
/* RAS error records (HCR_EL2.TERR): RAZ/WI (idregs.c). */
enum sysreg_outcome ras_access(struct sysreg_access *a);
/* PMU registers (MDCR_EL2.TPM on PMUs without EL2 counting controls, pmu.c). */
enum sysreg_outcome pmu_access(struct sysreg_access *a);

/* EL2 controls of the features above, for el2_init (vcpu.c). */
uint64_t idregs_hcr_bits(void);
uint64_t idregs_cptr_bits(void);
void pmu_el2_init(void);
bool pmu_present(void);
/* The guest-visible PMU and self-hosted debug state back to reset (pmu.c). */
void pmu_debug_reset(void);

#endif
