/* Fuzzing the PSCI emulation and the SMCCC calls (src/arch/aarch64/psci.c, smccc.c): function ids, affinities and arguments from the input. */
#include <setjmp.h>
#include <string.h>

#include "fuzz_input.h"
#include "hypercall.h"
#include "psci.h"
#include "smccc.h"
#include "vm.h"

/*
 * A VM of three vCPUs (virtual MPIDR Aff0 = 0..2) that may forward two
 * SiP calls; the firmware's SMCCC version and workaround answers come
 * from the input. Each operation is a guest SMC/HVC dispatched as
 * traps.c does: PSCI (PSCI 1.1, DEN 0022), else Baohu's range, else the
 * SMCCC calls (DEN 0028). Checked: the three ranges never overlap; only
 * the VM's own vCPUs are started, with the entry and context id given
 * (32-bit for SMC32 calls); PSCI_FEATURES says "supported" exactly for
 * the calls that are; results are the spec's codes; a call reaches the
 * firmware only when allowed, with the guest's arguments, the VM's
 * client id, and only x0-x3 of its results come back.
 */

#define VCPUS 3
static const uint32_t forward[] = {0x82000010u, 0xc3000001u};
static const struct vm_config cfg = {.name = "fuzz", .cpus = 0x7, CONFIG_LIST(smc_forward, forward)};
static struct vm vm;
static struct vcpu *caller;
static jmp_buf gone;
static bool initialising;
static int64_t fw_version, fw_workaround[3];
static enum vcpu_start_result start_result;

static struct {
    unsigned starts, offs, stops, resets, smcs;
    uint64_t start_args[3];
    struct smccc_regs smc;
} rec;

void console_log(const char *fmt, ...) { (void)fmt; }

void smccc_smc(struct smccc_regs *r)
{
    uint32_t fid = (uint32_t)r->x[0];
    if (initialising) {
        if (fid == SMCCC_VERSION)
            r->x[0] = (uint64_t)fw_version;
        else if (fid == SMCCC_ARCH_FEATURES)
            r->x[0] = (uint64_t)(r->x[1] == SMCCC_ARCH_WORKAROUND_1 ? fw_workaround[0]
                               : r->x[1] == SMCCC_ARCH_WORKAROUND_2 ? fw_workaround[1]
                               : r->x[1] == SMCCC_ARCH_WORKAROUND_3 ? fw_workaround[2]
                                                                    : SMCCC_NOT_SUPPORTED);
        return;
    }
    rec.smcs++;
    rec.smc = *r;
    for (unsigned i = 0; i < 8; i++)
        r->x[i] = 0xf00 + i; /* x4-x7 must not reach the guest */
}

struct vcpu *vm_vcpu(struct vm *m, uint64_t id)
{
    return id < m->vcpu_count ? &m->vcpus[id] : NULL;
}
enum vcpu_start_result vm_vcpu_start(struct vm *m, uint64_t id, uint64_t entry, uint64_t arg)
{
    FUZZ_ASSERT(m == &vm, "CPU_ON in another VM");
    rec.starts++;
    rec.start_args[0] = id, rec.start_args[1] = entry, rec.start_args[2] = arg;
    return start_result;
}
noreturn void vcpu_power_off(struct vcpu *v)
{
    FUZZ_ASSERT(v == caller, "CPU_OFF of another vCPU");
    rec.offs++;
    longjmp(gone, 1);
}
void vm_stop(struct vm *m, struct vcpu *c, const char *why)
{
    (void)why;
    FUZZ_ASSERT(m == &vm && c == caller, "SYSTEM_OFF of another VM");
    rec.stops++;
}
noreturn void vm_reset(struct vm *m, struct vcpu *c, const char *why)
{
    (void)why;
    FUZZ_ASSERT(m == &vm && c == caller, "SYSTEM_RESET of another VM");
    rec.resets++;
    longjmp(gone, 1);
}

/* Baohu's range is decided by hypercall.c; linked here for the overlap check. */
bool hypercall_is_baohu(uint64_t fid)
{
    return (fid & 0xffff0000u) == BAOHU_HC_BASE && (fid >> 32) == 0;
}

static const uint32_t fids[] = {
    PSCI_VERSION, PSCI_CPU_SUSPEND_32, PSCI_CPU_SUSPEND_64, PSCI_CPU_OFF, PSCI_CPU_ON_32,
    PSCI_CPU_ON_64, PSCI_AFFINITY_INFO_32, PSCI_AFFINITY_INFO_64, 0x84000005u, PSCI_MIGRATE_INFO_TYPE,
    0xc4000007u, PSCI_SYSTEM_OFF, PSCI_SYSTEM_RESET, PSCI_FEATURES, 0x8400000cu, 0xc4000012u,
    0x8400001fu, SMCCC_VERSION, SMCCC_ARCH_FEATURES, SMCCC_ARCH_SOC_ID, SMCCC_ARCH_WORKAROUND_1,
    SMCCC_ARCH_WORKAROUND_2, SMCCC_ARCH_WORKAROUND_3, 0x82000010u, 0xc3000001u, 0x82000011u,
    0x02000010u, 0xc6000000u, 0xc6000003u, 0xc4000020u,
};
#define FIDS (sizeof fids / sizeof fids[0])

static const int64_t psci_codes[] = {PSCI_SUCCESS, PSCI_NOT_SUPPORTED, PSCI_INVALID_PARAMETERS,
                                     PSCI_DENIED, PSCI_ALREADY_ON, PSCI_ON_PENDING,
                                     PSCI_INTERNAL_FAILURE, PSCI_INVALID_ADDRESS};

static uint64_t arg(struct fuzz_in *in, uint8_t how)
{
    switch (how & 3) {
    case 0: return fuzz_u8(in) % 4;
    case 1: /* an MPIDR: Aff0 small, the other fields sometimes set */
        return (fuzz_u8(in) % 4) | ((uint64_t)(fuzz_u8(in) & 0x81) << ((fuzz_u8(in) % 8) * 8));
    default: return fuzz_edgy64(in);
    }
}

/* The vCPU a PSCI target_cpu names (§5.1.4: the MPIDR affinity fields;
 * Baohu's vCPU k is 0.0.0.k), or -1. */
static int64_t target_of(uint64_t mpidr)
{
    uint64_t aff = mpidr & 0xff00ffffffull;
    return aff >> 8 ? -1 : (int64_t)aff;
}

static int64_t call_psci(uint32_t fid, uint64_t a1, uint64_t a2, uint64_t a3, bool *returned)
{
    *returned = false;
    if (setjmp(gone))
        return 0;
    int64_t r = psci_guest_call(caller, fid, a1, a2, a3);
    *returned = true;
    return r;
}

static void op_psci(struct fuzz_in *in, uint32_t fid, const uint64_t x[4])
{
    bool smc32 = !(fid & 0x40000000u);
    uint64_t a1 = smc32 ? (uint32_t)x[1] : x[1], a2 = smc32 ? (uint32_t)x[2] : x[2];
    uint64_t a3 = smc32 ? (uint32_t)x[3] : x[3];
    bool returned;
    start_result = (enum vcpu_start_result)(fuzz_u8(in) % 5);
    for (unsigned k = 0; k < VCPUS; k++)
        vm.vcpus[k].state = (enum vcpu_state)(fuzz_u8(in) % 4);
    int64_t r = call_psci(fid, x[1], x[2], x[3], &returned);
    FUZZ_ASSERT(returned || (fid == PSCI_CPU_OFF && rec.offs == 1) ||
                    (fid == PSCI_SYSTEM_RESET && rec.resets == 1),
                "PSCI %#x did not return", fid);
    FUZZ_ASSERT(rec.starts == 0 || ((fid == PSCI_CPU_ON_32 || fid == PSCI_CPU_ON_64) &&
                                    target_of(a1) >= 0 && rec.start_args[0] == (uint64_t)target_of(a1) &&
                                    rec.start_args[1] == a2 && rec.start_args[2] == a3),
                "PSCI %#x started vCPU %llu at %#llx (%#llx): args %#llx %#llx %#llx", fid,
                (unsigned long long)rec.start_args[0], (unsigned long long)rec.start_args[1],
                (unsigned long long)rec.start_args[2], (unsigned long long)x[1],
                (unsigned long long)x[2], (unsigned long long)x[3]);
    FUZZ_ASSERT(rec.stops == (fid == PSCI_SYSTEM_OFF), "SYSTEM_OFF");
    if (!returned)
        return;
    switch (fid) {
    case PSCI_VERSION: FUZZ_ASSERT(r == 0x10001, "PSCI_VERSION %lld", (long long)r); return;
    case PSCI_MIGRATE_INFO_TYPE: FUZZ_ASSERT(r == 2, "MIGRATE_INFO_TYPE"); return;
    case PSCI_AFFINITY_INFO_32: case PSCI_AFFINITY_INFO_64: {
        int64_t t = target_of(a1);
        if (t < 0 || t >= VCPUS || a2 != 0) {
            FUZZ_ASSERT(r == PSCI_INVALID_PARAMETERS, "AFFINITY_INFO(%#llx, %llu) = %lld",
                        (unsigned long long)a1, (unsigned long long)a2, (long long)r);
            return;
        }
        enum vcpu_state s = vm.vcpus[t].state;
        FUZZ_ASSERT(r == (s == VCPU_ON ? 0 : s == VCPU_START_PENDING ? 2 : 1), "AFFINITY_INFO state");
        return;
    }
    case PSCI_CPU_ON_32: case PSCI_CPU_ON_64:
        FUZZ_ASSERT(target_of(a1) >= 0 || r == PSCI_INVALID_PARAMETERS, "CPU_ON to a foreign MPIDR");
        break;
    case PSCI_FEATURES: {
        /* FEATURES(f) is SUCCESS exactly for the PSCI calls implemented
         * (and SMCCC_VERSION, §5.15): ask each, and compare with a call. */
        uint32_t f = (uint32_t)a1;
        bool implemented = f == SMCCC_VERSION;
        if (psci_is_psci(f) && (f == PSCI_VERSION || f == PSCI_CPU_SUSPEND_32 || f == PSCI_CPU_SUSPEND_64 ||
                                f == PSCI_CPU_OFF || f == PSCI_CPU_ON_32 || f == PSCI_CPU_ON_64 ||
                                f == PSCI_AFFINITY_INFO_32 || f == PSCI_AFFINITY_INFO_64 ||
                                f == PSCI_MIGRATE_INFO_TYPE || f == PSCI_SYSTEM_OFF ||
                                f == PSCI_SYSTEM_RESET || f == PSCI_FEATURES))
            implemented = true;
        FUZZ_ASSERT(r == (implemented ? PSCI_SUCCESS : PSCI_NOT_SUPPORTED), "FEATURES(%#x) = %lld",
                    f, (long long)r);
        if (psci_is_psci(f) && f != PSCI_CPU_OFF && f != PSCI_SYSTEM_RESET) {
            memset(&rec, 0, sizeof rec);
            bool ret;
            int64_t r2 = call_psci(f, PSCI_VERSION, 0, 0, &ret); /* FEATURES(VERSION) for FEATURES */
            FUZZ_ASSERT((r2 == PSCI_NOT_SUPPORTED) == !implemented,
                        "FEATURES(%#x) = %lld but the call returns %lld", f, (long long)r,
                        (long long)r2);
        }
        return;
    }
    default:
        break;
    }
    bool known = false;
    for (size_t i = 0; i < sizeof psci_codes / sizeof psci_codes[0]; i++)
        known |= r == psci_codes[i];
    FUZZ_ASSERT(known, "PSCI %#x returned %lld", fid, (long long)r);
}

static void op_smccc(const uint64_t x[8])
{
    struct smccc_regs r;
    memcpy(r.x, x, sizeof r.x);
    smccc_guest_call(caller, &r);
    uint32_t fid = (uint32_t)x[0];
    bool high = (x[0] >> 32) != 0;
    long w = fid == SMCCC_ARCH_WORKAROUND_1 ? 0 : fid == SMCCC_ARCH_WORKAROUND_2 ? 1
           : fid == SMCCC_ARCH_WORKAROUND_3 ? 2 : -1;
    bool fw_ok = fw_version >= SMCCC_V1_1;
    bool fwd = !high && (w >= 0 ? fw_ok && fw_workaround[w] >= 0
                                : (fid == forward[0] || fid == forward[1]));
    FUZZ_ASSERT(rec.smcs == (fwd ? 1u : 0u), "fid %#llx: %u firmware calls, want %d",
                (unsigned long long)x[0], rec.smcs, fwd);
    for (unsigned i = 4; i < 8; i++)
        FUZZ_ASSERT(r.x[i] == x[i], "x%u changed by fid %#llx", i, (unsigned long long)x[0]);
    if (fwd) {
        for (unsigned i = 0; i < 7; i++)
            FUZZ_ASSERT(rec.smc.x[i] == x[i], "forwarded x%u altered", i);
        FUZZ_ASSERT(rec.smc.x[7] == vm.id, "client id %#llx", (unsigned long long)rec.smc.x[7]);
        for (unsigned i = 0; i < 4; i++)
            FUZZ_ASSERT(r.x[i] == 0xf00 + i, "result x%u", i);
        return;
    }
    if (!high && fid == SMCCC_VERSION) {
        FUZZ_ASSERT(r.x[0] == SMCCC_V1_1, "SMCCC_VERSION");
    } else if (!high && fid == SMCCC_ARCH_FEATURES) {
        uint32_t q = (uint32_t)x[1];
        long qw = q == SMCCC_ARCH_WORKAROUND_1 ? 0 : q == SMCCC_ARCH_WORKAROUND_2 ? 1
                : q == SMCCC_ARCH_WORKAROUND_3 ? 2 : -1;
        int64_t want = (q == SMCCC_VERSION || q == SMCCC_ARCH_FEATURES) ? 0
                     : qw >= 0 && fw_ok ? fw_workaround[qw] : SMCCC_NOT_SUPPORTED;
        FUZZ_ASSERT((int64_t)r.x[0] == want, "ARCH_FEATURES(%#x) = %lld, want %lld", q,
                    (long long)r.x[0], (long long)want);
    } else {
        FUZZ_ASSERT((int64_t)r.x[0] == SMCCC_NOT_SUPPORTED, "fid %#llx: %lld",
                    (unsigned long long)x[0], (long long)r.x[0]);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct fuzz_in in = {data, size};
    memset(&vm, 0, sizeof vm);
    vm.id = 5;
    vm.config = &cfg;
    vm.name = cfg.name;
    vm.vcpu_count = VCPUS;
    for (uint32_t k = 0; k < VCPUS; k++)
        vm.vcpus[k] = (struct vcpu){.vm = &vm, .id = k, .cpu = k, .state = VCPU_ON};
    uint8_t fw = fuzz_u8(&in);
    fw_version = (fw & 1) ? SMCCC_NOT_SUPPORTED : (fw & 2) ? 0x10000 : 0x10002;
    for (unsigned i = 0; i < 3; i++)
        fw_workaround[i] = ((fw >> (2 + 2 * i)) & 3) == 0 ? 0 : ((fw >> (2 + 2 * i)) & 3) == 1 ? 1 : -1;
    initialising = true;
    smccc_init();
    initialising = false;

    while (fuzz_more(&in)) {
        uint8_t b = fuzz_u8(&in);
        caller = &vm.vcpus[b % VCPUS];
        uint64_t x[8];
        x[0] = (b & 0x80) ? fuzz_edgy64(&in) : fids[fuzz_u8(&in) % FIDS];
        uint8_t hows = fuzz_u8(&in);
        for (unsigned i = 1; i < 8; i++)
            x[i] = arg(&in, (uint8_t)(hows >> (i % 4) * 2));
        memset(&rec, 0, sizeof rec);
        uint32_t fid = (uint32_t)x[0];
        bool psci = psci_is_psci(fid) && (x[0] >> 32) == 0;
        FUZZ_ASSERT(psci == ((fid & 0xbfffffe0u) == 0x84000000u && (x[0] >> 32) == 0),
                    "psci_is_psci(%#x)", fid);
        FUZZ_ASSERT(!(psci && hypercall_is_baohu(x[0])), "fid %#x both PSCI and Baohu's", fid);
        if (psci)
            op_psci(&in, fid, x);
        else if (!hypercall_is_baohu(x[0]))
            op_smccc(x);
    }
    return 0;
}
