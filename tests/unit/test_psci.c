/* Host tests of the PSCI emulation for guests (psci.c): VERSION, FEATURES, CPU_ON, AFFINITY_INFO, SYSTEM_OFF/RESET, unknown ids. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>
#include <cmocka.h>

#include "psci.h"
#include "smccc.h"
#include "vm.h"

/* ---- fakes of the core calls psci.c makes */

static enum vcpu_start_result start_result;
static uint64_t start_args[3];
static unsigned start_calls;
enum vcpu_start_result vm_vcpu_start(struct vm *vm, uint64_t vcpu_id, uint64_t entry, uint64_t arg)
{
    (void)vm;
    start_calls++;
    start_args[0] = vcpu_id, start_args[1] = entry, start_args[2] = arg;
    return start_result;
}

struct vcpu *vm_vcpu(struct vm *vm, uint64_t vcpu_id)
{
    return vcpu_id < vm->vcpu_count ? &vm->vcpus[vcpu_id] : NULL;
}

static jmp_buf gone;
enum { GONE_NOT, GONE_POWER_OFF, GONE_RESET };
static unsigned stop_calls;
noreturn void vcpu_power_off(struct vcpu *vcpu)
{
    (void)vcpu;
    longjmp(gone, GONE_POWER_OFF);
}
void vm_stop(struct vm *vm, struct vcpu *caller, const char *why)
{
    (void)vm, (void)caller, (void)why;
    stop_calls++;
}
noreturn void vm_reset(struct vm *vm, struct vcpu *caller, const char *why)
{
    (void)vm, (void)caller, (void)why;
    longjmp(gone, GONE_RESET);
}
void smccc_smc(struct smccc_regs *r)
{
    (void)r;
    fail_msg("a guest's PSCI call reached the firmware");
}

static struct vm vm;
static struct vcpu *v0;

static int setup(void **state)
{
    (void)state;
    memset(&vm, 0, sizeof(vm));
    vm.vcpu_count = 3;
    for (uint32_t k = 0; k < 3; k++) {
        vm.vcpus[k].vm = &vm;
        vm.vcpus[k].id = k;
        vm.vcpus[k].cpu = k;
        vm.vcpus[k].state = VCPU_OFF;
    }
    v0 = &vm.vcpus[0];
    v0->state = VCPU_ON;
    start_result = VCPU_START_OK;
    start_calls = stop_calls = 0;
    memset(start_args, 0, sizeof(start_args));
    return 0;
}

static int64_t psci(uint32_t fid, uint64_t a1, uint64_t a2, uint64_t a3)
{
    return psci_guest_call(v0, fid, a1, a2, a3);
}

static void test_is_psci(void **state)
{
    (void)state;
    for (uint32_t n = 0; n < 0x20; n++) {
        assert_true(psci_is_psci(0x84000000u + n));
        assert_true(psci_is_psci(0xC4000000u + n));
    }
    const uint32_t not[] = {0x84000020u, 0xC4000020u, 0x80000000u, 0x86000000u, 0x04000000u,
                            0x85000000u, 0xC5000000u, 0x8400ff00u, 0xC6000000u, 0};
    for (size_t i = 0; i < sizeof(not) / sizeof(not[0]); i++)
        assert_false(psci_is_psci(not[i]));
}

static void test_version_and_info(void **state)
{
    (void)state;
    assert_int_equal(psci(PSCI_VERSION, 0, 0, 0), 0x10001); /* 1.1 */
    assert_int_equal(psci(PSCI_MIGRATE_INFO_TYPE, 0, 0, 0), 2);
    assert_int_equal(psci(PSCI_CPU_SUSPEND_32, 0, 0x80000000, 0), PSCI_SUCCESS);
    assert_int_equal(psci(PSCI_CPU_SUSPEND_64, 0x10000, 0x80000000, 0), PSCI_SUCCESS);
}

static void test_features(void **state)
{
    (void)state;
    const uint32_t have[] = {PSCI_VERSION, PSCI_CPU_SUSPEND_32, PSCI_CPU_SUSPEND_64, PSCI_CPU_OFF,
                             PSCI_CPU_ON_32, PSCI_CPU_ON_64, PSCI_AFFINITY_INFO_32,
                             PSCI_AFFINITY_INFO_64, PSCI_MIGRATE_INFO_TYPE, PSCI_SYSTEM_OFF,
                             PSCI_SYSTEM_RESET, PSCI_FEATURES, SMCCC_VERSION};
    for (size_t i = 0; i < sizeof(have) / sizeof(have[0]); i++) {
        assert_int_equal(psci(PSCI_FEATURES, have[i], 0, 0), PSCI_SUCCESS);
        /* FEATURES has no SMC64 form (PSCI 1.1 §5.1.15). */
        assert_int_equal(psci(PSCI_FEATURES | 0x40000000u, have[i], 0, 0), PSCI_NOT_SUPPORTED);
    }
    /* MIGRATE, CPU_FREEZE, SYSTEM_SUSPEND, SYSTEM_RESET2, MEM_PROTECT, unknowns. */
    const uint32_t lack[] = {0x84000005u, 0xC4000005u, 0x8400000Bu, 0xC400000Eu, 0x84000012u,
                             0xC4000012u, 0x84000013u, 0x8400001Fu, 0x80000001u, 0x80008000u, 0};
    for (size_t i = 0; i < sizeof(lack) / sizeof(lack[0]); i++)
        assert_int_equal(psci(PSCI_FEATURES, lack[i], 0, 0), PSCI_NOT_SUPPORTED);
    /* SMC32: the upper half of the argument is not part of it. */
    assert_int_equal(psci(PSCI_FEATURES, 0x1ull << 32 | PSCI_VERSION, 0, 0), PSCI_SUCCESS);
}

static void test_unknown(void **state)
{
    (void)state;
    const uint32_t ids[] = {0x84000005u, 0xC4000005u, 0x84000007u, 0xC4000007u, 0x8400000Bu,
                            0x8400000Cu, 0xC400000Eu, 0x84000012u, 0xC4000012u, 0x8400001Fu,
                            0xC400001Fu, 0xC4000000u, 0xC4000002u, 0xC4000008u, 0xC4000009u};
    for (size_t i = 0; i < sizeof(ids) / sizeof(ids[0]); i++)
        assert_int_equal(psci(ids[i], 1, 0x80000000, 0), PSCI_NOT_SUPPORTED);
    assert_int_equal(start_calls, 0);
    assert_int_equal(stop_calls, 0);
}

static void test_cpu_on(void **state)
{
    (void)state;
    assert_int_equal(psci(PSCI_CPU_ON_64, 2, 0x40080000, 0x1234), PSCI_SUCCESS);
    assert_int_equal(start_calls, 1);
    assert_int_equal(start_args[0], 2);
    assert_int_equal(start_args[1], 0x40080000);
    assert_int_equal(start_args[2], 0x1234);
    /* MPIDR bits that are no affinity (U [30], MT [24], RES1 [31]) are ignored. */
    assert_int_equal(psci(PSCI_CPU_ON_64, 0x81000001ull, 0x40080000, 0), PSCI_SUCCESS);
    assert_int_equal(start_args[0], 1);
    assert_int_equal(psci(PSCI_CPU_ON_64, 0xC0000002ull, 0x40080000, 0), PSCI_SUCCESS);
    assert_int_equal(start_args[0], 2);
    /* Aff0 beyond the VM: vm_vcpu_start's verdict. */
    start_result = VCPU_START_NO_SUCH_VCPU;
    assert_int_equal(psci(PSCI_CPU_ON_64, 0xff, 0x40080000, 0), PSCI_INVALID_PARAMETERS);
    assert_int_equal(start_args[0], 0xff);
    assert_int_equal(start_calls, 4);
}

static void test_cpu_on_affinity(void **state)
{
    (void)state;
    /* vCPU k is Aff0 = k, Aff1-3 zero: any other affinity names no vCPU. */
    const uint64_t bad[] = {0x100, 0x101, 0xff00, 0x10000, 0x10001, 0xff0000, 1ull << 32,
                            (1ull << 32) | 1, 0xffull << 32};
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        assert_int_equal(psci(PSCI_CPU_ON_64, bad[i], 0x40080000, 0), PSCI_INVALID_PARAMETERS);
        assert_int_equal(psci(PSCI_AFFINITY_INFO_64, bad[i], 0, 0), PSCI_INVALID_PARAMETERS);
    }
    assert_int_equal(start_calls, 0);
}

static void test_cpu_on_smc32(void **state)
{
    (void)state;
    /* SMC32: each argument is its low 32 bits (SMCCC §2.6). */
    assert_int_equal(psci(PSCI_CPU_ON_32, (1ull << 32) | 1, 0xdead00040080000ull, 0xbeef00001234ull),
                     PSCI_SUCCESS);
    assert_int_equal(start_args[0], 1);
    assert_int_equal(start_args[1], 0x40080000);
    assert_int_equal(start_args[2], 0x1234);
    /* SMC64 keeps them. */
    assert_int_equal(psci(PSCI_CPU_ON_64, 1, 0x840080000ull, 0xbeef00001234ull), PSCI_SUCCESS);
    assert_int_equal(start_args[1], 0x840080000ull);
    assert_int_equal(start_args[2], 0xbeef00001234ull);
}

static void test_cpu_on_results(void **state)
{
    (void)state;
    static const struct { enum vcpu_start_result r; int64_t want; } map[] = {
        {VCPU_START_OK, PSCI_SUCCESS},
        {VCPU_START_NO_SUCH_VCPU, PSCI_INVALID_PARAMETERS},
        {VCPU_START_ALREADY_ON, PSCI_ALREADY_ON},
        {VCPU_START_ALREADY_PENDING, PSCI_ON_PENDING},
        {VCPU_START_BAD_ENTRY, PSCI_INVALID_ADDRESS},
    };
    for (size_t i = 0; i < sizeof(map) / sizeof(map[0]); i++) {
        start_result = map[i].r;
        assert_int_equal(psci(PSCI_CPU_ON_64, 1, 0x40080000, 0), map[i].want);
        assert_int_equal(psci(PSCI_CPU_ON_32, 1, 0x40080000, 0), map[i].want);
    }
}

static void test_affinity_info(void **state)
{
    (void)state;
    vm.vcpus[1].state = VCPU_START_PENDING;
    vm.vcpus[2].state = VCPU_OFF;
    assert_int_equal(psci(PSCI_AFFINITY_INFO_64, 0, 0, 0), 0);   /* ON */
    assert_int_equal(psci(PSCI_AFFINITY_INFO_64, 1, 0, 0), 2);   /* ON_PENDING */
    assert_int_equal(psci(PSCI_AFFINITY_INFO_64, 2, 0, 0), 1);   /* OFF */
    vm.vcpus[2].state = VCPU_STOPPED;
    assert_int_equal(psci(PSCI_AFFINITY_INFO_32, 2, 0, 0), 1);
    assert_int_equal(psci(PSCI_AFFINITY_INFO_64, 0x80000001ull, 0, 0), 2); /* non-affinity bits */
    /* No such vCPU; a lowest affinity level other than 0. */
    assert_int_equal(psci(PSCI_AFFINITY_INFO_64, 3, 0, 0), PSCI_INVALID_PARAMETERS);
    assert_int_equal(psci(PSCI_AFFINITY_INFO_64, 0, 1, 0), PSCI_INVALID_PARAMETERS);
    assert_int_equal(psci(PSCI_AFFINITY_INFO_64, 0, 1ull << 32, 0), PSCI_INVALID_PARAMETERS);
    /* SMC32: the level's upper half is not part of it. */
    assert_int_equal(psci(PSCI_AFFINITY_INFO_32, 0, 1ull << 32, 0), 0);
    assert_int_equal(psci(PSCI_AFFINITY_INFO_32, (1ull << 32) | 1, 0, 0), 2);
}

static void test_system_off_reset_cpu_off(void **state)
{
    (void)state;
    assert_int_equal(psci(PSCI_SYSTEM_OFF, 0, 0, 0), PSCI_INTERNAL_FAILURE);
    assert_int_equal(stop_calls, 1);
    int how = setjmp(gone);
    if (how == GONE_NOT) {
        psci(PSCI_SYSTEM_RESET, 0, 0, 0);
        fail_msg("SYSTEM_RESET returned");
    }
    assert_int_equal(how, GONE_RESET);
    how = setjmp(gone);
    if (how == GONE_NOT) {
        psci(PSCI_CPU_OFF, 0, 0, 0);
        fail_msg("CPU_OFF returned");
    }
    assert_int_equal(how, GONE_POWER_OFF);
    assert_int_equal(stop_calls, 1);
    assert_int_equal(start_calls, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(test_is_psci, setup),
        cmocka_unit_test_setup(test_version_and_info, setup),
        cmocka_unit_test_setup(test_features, setup),
        cmocka_unit_test_setup(test_unknown, setup),
        cmocka_unit_test_setup(test_cpu_on, setup),
        cmocka_unit_test_setup(test_cpu_on_affinity, setup),
        cmocka_unit_test_setup(test_cpu_on_smc32, setup),
        cmocka_unit_test_setup(test_cpu_on_results, setup),
        cmocka_unit_test_setup(test_affinity_info, setup),
        cmocka_unit_test_setup(test_system_off_reset_cpu_off, setup),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
