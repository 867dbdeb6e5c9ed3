/* Unit tests of the SMCCC calls answered or forwarded for guests (src/arch/aarch64/smccc.c). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "smccc.h"
#include "vm.h"

/* ---- a fake firmware: answers by function id, records every SMC. */

static int64_t fw_version;
static int64_t fw_workaround[3]; /* its ARCH_FEATURES answers for WORKAROUND_1/2/3 */
static struct smccc_regs calls[16];
static unsigned ncalls;

void smccc_smc(struct smccc_regs *r)
{
    if (ncalls < 16)
        calls[ncalls] = *r;
    ncalls++;
    uint32_t fid = (uint32_t)r->x[0];
    if (fid == SMCCC_VERSION) {
        r->x[0] = (uint64_t)fw_version;
    } else if (fid == SMCCC_ARCH_FEATURES) {
        int64_t v = SMCCC_NOT_SUPPORTED;
        if (r->x[1] == SMCCC_ARCH_WORKAROUND_1)
            v = fw_workaround[0];
        else if (r->x[1] == SMCCC_ARCH_WORKAROUND_2)
            v = fw_workaround[1];
        else if (r->x[1] == SMCCC_ARCH_WORKAROUND_3)
            v = fw_workaround[2];
        r->x[0] = (uint64_t)v;
    } else {
        /* Results the guest must get back: x0-x3 only. */
        r->x[0] = 0x600d;
        r->x[1] = r->x[1] + 1;
        r->x[2] = 0x2222;
        r->x[3] = 0x3333;
    }
}

void console_log(const char *fmt, ...)
{
    (void)fmt;
}

static uint32_t allowed[] = {0xc2000010, 0x83000001};
static struct vm_config config = {.name = "guest", .smc_forward = allowed, .smc_forward_count = 2};
static struct vm vm = {.id = 5, .config = &config};
static struct vcpu vcpu = {.vm = &vm};

static void boot(int64_t version, int64_t w1, int64_t w2, int64_t w3)
{
    fw_version = version;
    fw_workaround[0] = w1;
    fw_workaround[1] = w2;
    fw_workaround[2] = w3;
    ncalls = 0;
    smccc_init();
    ncalls = 0; /* from here on: only what guests cause */
}

static struct smccc_regs guest_call(uint64_t fid, uint64_t a1)
{
    struct smccc_regs r = {.x = {fid, a1, 0x11, 0x12, 0x13, 0x14, 0x15, 0x77}};
    smccc_guest_call(&vcpu, &r);
    return r;
}

/* QEMU's built-in PSCI, an SMCCC 1.0 firmware: nothing to ask, nothing forwarded. */
static void smccc_1_0_firmware_offers_no_workaround(void **state)
{
    (void)state;
    boot(SMCCC_NOT_SUPPORTED, 0, 0, 0);
    assert_int_equal(smccc_firmware_version(), SMCCC_NOT_SUPPORTED);
    assert_int_equal(guest_call(SMCCC_VERSION, 0).x[0], SMCCC_V1_1);
    assert_int_equal(guest_call(SMCCC_ARCH_FEATURES, SMCCC_ARCH_FEATURES).x[0], 0);
    assert_int_equal((int64_t)guest_call(SMCCC_ARCH_FEATURES, SMCCC_ARCH_WORKAROUND_1).x[0],
                     SMCCC_NOT_SUPPORTED);
    assert_int_equal((int64_t)guest_call(SMCCC_ARCH_FEATURES, SMCCC_ARCH_WORKAROUND_2).x[0],
                     SMCCC_NOT_SUPPORTED);
    assert_int_equal((int64_t)guest_call(SMCCC_ARCH_WORKAROUND_1, 0).x[0], SMCCC_NOT_SUPPORTED);
    assert_int_equal(ncalls, 0);
}

/* An SMCCC 1.2 firmware: its answers reach the guest, the calls it offers are forwarded. */
static void workarounds_follow_the_firmware(void **state)
{
    (void)state;
    boot(0x10002, 0, 1, SMCCC_NOT_SUPPORTED);
    assert_int_equal(smccc_firmware_version(), 0x10002);
    assert_int_equal(guest_call(SMCCC_ARCH_FEATURES, SMCCC_ARCH_WORKAROUND_1).x[0], 0);
    assert_int_equal(guest_call(SMCCC_ARCH_FEATURES, SMCCC_ARCH_WORKAROUND_2).x[0], 1);
    assert_int_equal((int64_t)guest_call(SMCCC_ARCH_FEATURES, SMCCC_ARCH_WORKAROUND_3).x[0],
                     SMCCC_NOT_SUPPORTED);
    assert_int_equal((int64_t)guest_call(SMCCC_ARCH_FEATURES, SMCCC_ARCH_SOC_ID).x[0],
                     SMCCC_NOT_SUPPORTED);
    assert_int_equal(ncalls, 0); /* answered from what was asked at boot */

    guest_call(SMCCC_ARCH_WORKAROUND_1, 0);
    assert_int_equal(ncalls, 1);
    assert_int_equal(calls[0].x[0], SMCCC_ARCH_WORKAROUND_1);
    guest_call(SMCCC_ARCH_WORKAROUND_2, 1);
    assert_int_equal(ncalls, 2);
    assert_int_equal(calls[1].x[1], 1);
    assert_int_equal((int64_t)guest_call(SMCCC_ARCH_WORKAROUND_3, 0).x[0], SMCCC_NOT_SUPPORTED);
    assert_int_equal(ncalls, 2);
}

/* SiP/OEM calls: only those the VM's config lists go out, with the VM as Client ID. */
static void allow_listed_calls_are_forwarded(void **state)
{
    (void)state;
    boot(0x10002, 0, 0, 0);
    struct smccc_regs r = guest_call(0xc2000010, 0xa1);
    assert_int_equal(ncalls, 1);
    assert_int_equal(calls[0].x[0], 0xc2000010);
    assert_int_equal(calls[0].x[1], 0xa1);
    assert_int_equal(calls[0].x[6], 0x15);
    assert_int_equal(calls[0].x[7], 5); /* Client ID: the VM, not the guest's x7 */
    assert_int_equal(r.x[0], 0x600d);
    assert_int_equal(r.x[1], 0xa2);
    assert_int_equal(r.x[3], 0x3333);
    assert_int_equal(r.x[4], 0x13); /* nothing beyond x3 comes back */

    assert_int_equal(guest_call(0x83000001, 0).x[0], 0x600d);
    assert_int_equal(ncalls, 2);
}

static void other_calls_are_not_supported(void **state)
{
    (void)state;
    boot(0x10002, 0, 0, 0);
    /* Not listed; a listed id with bits [63:32] set; listed but yielding
     * (the validator rejects that config, the runtime refuses it too). */
    allowed[1] = 0x43000001;
    assert_int_equal((int64_t)guest_call(0xc2000011, 0).x[0], SMCCC_NOT_SUPPORTED);
    assert_int_equal((int64_t)guest_call(0x1c2000010ull, 0).x[0], SMCCC_NOT_SUPPORTED);
    assert_int_equal((int64_t)guest_call(0x43000001, 0).x[0], SMCCC_NOT_SUPPORTED);
    assert_int_equal((int64_t)guest_call(0xc4000050, 0).x[0], SMCCC_NOT_SUPPORTED);
    allowed[1] = 0x83000001;
    assert_int_equal(ncalls, 0);
    assert_false(smccc_forwarded(&config, 0xc2000011));
    assert_true(smccc_forwarded(&config, 0xc2000010));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(smccc_1_0_firmware_offers_no_workaround),
        cmocka_unit_test(workarounds_follow_the_firmware),
        cmocka_unit_test(allow_listed_calls_are_forwarded),
        cmocka_unit_test(other_calls_are_not_supported),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
