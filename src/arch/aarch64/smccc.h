/* SMC Calling Convention (Arm DEN 0028): the Arm Architecture calls and firmware forwarding. */
#ifndef BAOHU_AARCH64_SMCCC_H
#define BAOHU_AARCH64_SMCCC_H

#include <stdbool.h>
#include <stdint.h>

struct vcpu;
struct vm_config;

#define SMCCC_VERSION 0x80000000u
#define SMCCC_ARCH_FEATURES 0x80000001u
#define SMCCC_ARCH_SOC_ID 0x80000002u
#define SMCCC_ARCH_WORKAROUND_1 0x80008000u
#define SMCCC_ARCH_WORKAROUND_2 0x80007fffu
#define SMCCC_ARCH_WORKAROUND_3 0x80003fffu
#define SMCCC_NOT_SUPPORTED (-1)
#define SMCCC_V1_1 0x10001

/* x0..x7 of a call: in, the function id and arguments; out, the results. */
struct smccc_regs {
    uint64_t x[8];
};

/* One SMC to the platform firmware (psci.c). */
void smccc_smc(struct smccc_regs *r);

/* A firmware call with up to three arguments; returns x0. */
static inline int64_t smccc_call(uint32_t fid, uint64_t a1, uint64_t a2, uint64_t a3)
{
    struct smccc_regs r = {.x = {fid, a1, a2, a3}};
    smccc_smc(&r);
    return (int64_t)r.x[0];
}

/* What the firmware offers, asked once at boot before any VM runs. */
void smccc_init(void);
/* One console line: the firmware's SMCCC version and workarounds. */
void smccc_report(void);
/* The firmware's SMCCC version, or SMCCC_NOT_SUPPORTED (SMCCC 1.0). */
int64_t smccc_firmware_version(void);

/* Is `fid` in `cfg`'s allow-list of SiP/OEM calls forwarded to firmware? */
bool smccc_forwarded(const struct vm_config *cfg, uint32_t fid);
/*
 * A guest's SMCCC call that is neither PSCI nor Baohu's own: SMCCC_VERSION,
 * ARCH_FEATURES, the WORKAROUND calls, allow-listed SiP/OEM calls. Writes
 * the results to r (x0 = NOT_SUPPORTED for anything else).
 */
void smccc_guest_call(struct vcpu *v, struct smccc_regs *r);

#endif
