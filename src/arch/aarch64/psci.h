/* PSCI function ids and return codes (Arm DEN 0022, §5.1 and §5.2). */
#ifndef BAOHU_AARCH64_PSCI_H
#define BAOHU_AARCH64_PSCI_H

#include <stdint.h>

#define PSCI_VERSION 0x84000000u
#define PSCI_CPU_SUSPEND_32 0x84000001u
#define PSCI_CPU_SUSPEND_64 0xC4000001u
#define PSCI_CPU_OFF 0x84000002u
#define PSCI_CPU_ON_32 0x84000003u
#define PSCI_CPU_ON_64 0xC4000003u
#define PSCI_AFFINITY_INFO_32 0x84000004u
#define PSCI_AFFINITY_INFO_64 0xC4000004u
#define PSCI_MIGRATE_INFO_TYPE 0x84000006u
#define PSCI_SYSTEM_OFF 0x84000008u
#define PSCI_SYSTEM_RESET 0x84000009u
#define PSCI_FEATURES 0x8400000Au

#define PSCI_SUCCESS 0
#define PSCI_NOT_SUPPORTED (-1)
#define PSCI_INVALID_PARAMETERS (-2)
#define PSCI_DENIED (-3)
#define PSCI_ALREADY_ON (-4)
#define PSCI_ON_PENDING (-5)
#define PSCI_INTERNAL_FAILURE (-6)
#define PSCI_INVALID_ADDRESS (-9)

struct vcpu;

/* Is `fid` a PSCI function id (SMC32 or SMC64 range, §5.1)? */
int psci_is_psci(uint32_t fid);
/* Emulate a guest's PSCI call; returns its x0. May not return (CPU_OFF, SYSTEM_*). */
int64_t psci_guest_call(struct vcpu *vcpu, uint32_t fid, uint64_t a1, uint64_t a2, uint64_t a3);

#endif
