/* Claims probes (claims.c): which one this variant runs. */
#ifndef CLAIMS_H
#define CLAIMS_H

#define CLAIMS_FEATURES 1   /* PSCI_FEATURES / SMCCC_ARCH_FEATURES table */
#define CLAIMS_SHMEM_EXEC 2 /* call into the VM's shared-memory object at GUEST_CLAIMS_SHM */

#ifndef GUEST_CLAIMS
#define GUEST_CLAIMS 0
#endif
#ifndef GUEST_CLAIMS_SHM
#define GUEST_CLAIMS_SHM 0x60000000UL
#endif

void claims_main(void);

#endif
