/* PSCI function IDs and return codes used by the guest (PSCI, Arm DEN0022, "PSCI functions"). */
#ifndef PSCI_H
#define PSCI_H

#define PSCI_VERSION 0x84000000u
#define PSCI_CPU_OFF 0x84000002u
#define PSCI_CPU_ON 0xC4000003u        /* SMC64 */
#define PSCI_AFFINITY_INFO 0xC4000004u /* SMC64 */
#define PSCI_SYSTEM_OFF 0x84000008u
#define PSCI_SYSTEM_RESET 0x84000009u
#define PSCI_FEATURES 0x8400000Au

#define PSCI_SUCCESS 0
#define PSCI_NOT_SUPPORTED (-1)
#define PSCI_INVALID_PARAMETERS (-2)
#define PSCI_ALREADY_ON (-4)
#define PSCI_ON_PENDING (-5)

#endif
