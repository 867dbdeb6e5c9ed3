/*
 * The SMCCC calls a guest makes that are neither PSCI nor Baohu's own
 * (Arm DEN 0028): the Arm Architecture Service (owner 0) answered from
 * what the firmware reports, and the SiP/OEM fast calls its VM's config
 * allows, forwarded. Everything else is NOT_SUPPORTED, as a firmware that
 * does not implement a call answers it (SMCCC §5.2).
 */
#include "smccc.h"
#include "vm.h"

/* Function id fields (SMCCC §2.5): fast call [31], owning entity [29:24]. */
#define FID_FAST (1u << 31)
#define FID_OWNER(fid) (((fid) >> 24) & 0x3f)
#define OWNER_SIP 2
#define OWNER_OEM 3

static const uint32_t workarounds[] = {
    SMCCC_ARCH_WORKAROUND_1,
    SMCCC_ARCH_WORKAROUND_2,
    SMCCC_ARCH_WORKAROUND_3,
};
#define WORKAROUNDS (sizeof workarounds / sizeof workarounds[0])

/* Written once by smccc_init before any guest runs; read-only after. */
static struct {
    int64_t version;
    int64_t workaround[WORKAROUNDS]; /* ARCH_FEATURES(WORKAROUND_n) */
} firmware = {
    .version = SMCCC_NOT_SUPPORTED,
    .workaround = {SMCCC_NOT_SUPPORTED, SMCCC_NOT_SUPPORTED, SMCCC_NOT_SUPPORTED},
};

/*
 * SMCCC_VERSION is implemented from SMCCC 1.1 on; a 1.0 firmware (QEMU's
 * built-in PSCI among them) answers NOT_SUPPORTED, and then has no
 * ARCH_FEATURES either (§7.2): no workaround is offered (§7.5).
 */
void smccc_init(void)
{
    int64_t v = smccc_call(SMCCC_VERSION, 0, 0, 0);
    firmware.version = v < SMCCC_V1_1 ? SMCCC_NOT_SUPPORTED : v;
    for (unsigned i = 0; i < WORKAROUNDS; i++)
        firmware.workaround[i] = firmware.version < 0
                                     ? SMCCC_NOT_SUPPORTED
                                     : smccc_call(SMCCC_ARCH_FEATURES, workarounds[i], 0, 0);
}

void smccc_report(void)
{
    if (firmware.version < 0) {
        console_log("firmware: SMCCC 1.0 (no SMCCC_VERSION): no SMCCC_ARCH_WORKAROUND offered");
        return;
    }
    console_log("firmware: SMCCC %lu.%lu, ARCH_WORKAROUND_1/2/3 features %ld/%ld/%ld",
                (unsigned long)(firmware.version >> 16), (unsigned long)(firmware.version & 0xffff),
                (long)firmware.workaround[0], (long)firmware.workaround[1],
                (long)firmware.workaround[2]);
}

int64_t smccc_firmware_version(void)
{
    return firmware.version;
}

bool smccc_forwarded(const struct vm_config *cfg, uint32_t fid)
{
    if (!(fid & FID_FAST) || (FID_OWNER(fid) != OWNER_SIP && FID_OWNER(fid) != OWNER_OEM))
        return false;
    for (size_t i = 0; cfg->smc_forward && i < cfg->smc_forward_count; i++)
        if (cfg->smc_forward[i] == fid)
            return true;
    return false;
}

static long workaround_index(uint32_t fid)
{
    for (unsigned i = 0; i < WORKAROUNDS; i++)
        if (workarounds[i] == fid)
            return (long)i;
    return -1;
}

/* ARCH_FEATURES (§7.3): for the Arm Architecture calls only. */
static int64_t arch_features(uint32_t fid)
{
    if (fid == SMCCC_VERSION || fid == SMCCC_ARCH_FEATURES)
        return 0;
    long w = workaround_index(fid);
    return w < 0 ? SMCCC_NOT_SUPPORTED : firmware.workaround[w];
}

void smccc_guest_call(struct vcpu *v, struct smccc_regs *r)
{
    uint32_t fid = (uint32_t)r->x[0];
    if ((r->x[0] >> 32) != 0) {
        r->x[0] = (uint64_t)SMCCC_NOT_SUPPORTED; /* bits [63:32] of a function id are zero (§2.5) */
        return;
    }
    if (fid == SMCCC_VERSION) {
        r->x[0] = SMCCC_V1_1;
        return;
    }
    if (fid == SMCCC_ARCH_FEATURES) {
        r->x[0] = (uint64_t)arch_features((uint32_t)r->x[1]);
        return;
    }
    long w = workaround_index(fid);
    bool forward = w >= 0 ? firmware.workaround[w] >= 0 : smccc_forwarded(v->vm->config, fid);
    if (!forward) {
        r->x[0] = (uint64_t)SMCCC_NOT_SUPPORTED;
        return;
    }
    /*
     * The mitigations act on the calling core, which is this vCPU's own;
     * a SiP/OEM call goes out with its arguments (x1-x6) as the guest made
     * it, and the Client ID (x7 [15:0], §3.4) naming the VM. Results are
     * x0-x3 (SMC64) and nothing else of the firmware's reaches the guest.
     */
    struct smccc_regs call = *r;
    call.x[7] = v->vm->id & 0xffffu;
    smccc_smc(&call);
    for (unsigned i = 0; i < 4; i++)
        r->x[i] = call.x[i];
}
