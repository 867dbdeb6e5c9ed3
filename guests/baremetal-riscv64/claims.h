/* Claims probes (claims.c): which one this variant runs. */
#ifndef CLAIMS_H
#define CLAIMS_H

#define CLAIMS_SBI_TIME 1       /* SBI TIME set_timer */
#define CLAIMS_PLIC_THRESHOLD 2 /* vPLIC priority against threshold, with the RTC's alarm */
#define CLAIMS_SHMEM_EXEC 3     /* call into the VM's shared-memory object at GUEST_CLAIMS_SHM */
#define CLAIMS_HLVX 4           /* an emulated load whose instruction read faults (test build) */

#ifndef GUEST_CLAIMS
#define GUEST_CLAIMS 0
#endif
#ifndef GUEST_CLAIMS_IRQC
#define GUEST_CLAIMS_IRQC 0xc000000UL /* the emulated interrupt controller */
#endif
#ifndef GUEST_CLAIMS_SHM
#define GUEST_CLAIMS_SHM 0xa0000000UL
#endif

void claims_main(void);

#endif
