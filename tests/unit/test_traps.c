/* Host tests of the Arm trap decoder (traps.c): ESR_EL2 classes, SMCCC dispatch, trapped system registers, emulated-device data aborts. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>
#include <cmocka.h>

#include "arch.h"
#include "arch_regs.h"
#include "cpu.h"
#include "hypercall.h"
#include "inject.h"
#include "ipc.h"
#include "psci.h"
#include "smccc.h"
#include "sysreg.h"
#include "sysreg_trap.h"
#include "vgic.h"
#include "vm.h"

void guest_trap_sync(struct trap_frame *f);
void guest_trap_serror(struct trap_frame *f);

/* ---- fakes */

static uint64_t esr, far, hpfar;
uint64_t host_sysreg_read(const char *reg)
{
    if (strcmp(reg, "esr_el2") == 0)
        return esr;
    if (strcmp(reg, "far_el2") == 0)
        return far;
    if (strcmp(reg, "hpfar_el2") == 0)
        return hpfar;
    fail_msg("unexpected read of %s", reg);
    return 0;
}
void host_sysreg_write(const char *reg, uint64_t v)
{
    (void)v;
    fail_msg("unexpected write of %s", reg);
}

struct cpu cpu_table[PLATFORM_MAX_CPUS];
cpuid_t arch_cpu_id(void) { return 0; }
struct cpu *arch_cpu_current(void) { return &cpu_table[0]; }
void console_log(const char *fmt, ...) { (void)fmt; }

static jmp_buf parked;
noreturn void arch_cpu_park(void)
{
    longjmp(parked, 1);
}

/* What the code under test did. */
static struct {
    unsigned faults, aborts, undefs, serrors, flushes, summaries;
    char what[96];
    const char *inject;
    uint64_t fault_addr, abort_far, abort_esr;
    bool abort_insn;
    unsigned sgi_writes;
    uint64_t sgi_value;
    unsigned psci_calls, hc_calls, smccc_calls;
    uint32_t psci_fid;
    uint64_t psci_args[3], hc_fid, hc_args[5];
    unsigned mmio_calls, doorbell_calls;
    struct mmio_access mmio;
    unsigned sysreg_calls;
    struct sysreg_access sysreg;
} seen;

/* What the fakes answer. */
static bool gic_owns, doorbell_owns, mmio_ok;
static uint64_t mmio_read_value;
static enum sysreg_outcome sysreg_out;
static uint64_t sysreg_read_value;

void vm_fault(struct vcpu *vcpu, const struct vm_fault *f)
{
    (void)vcpu;
    seen.faults++;
    strncpy(seen.what, f->what, sizeof(seen.what) - 1);
    seen.inject = f->inject;
    seen.fault_addr = f->addr;
}
void vm_fault_summary(struct vm *vm, bool force)
{
    (void)vm, (void)force;
    seen.summaries++;
}
bool inject_pc_in_vector(const struct trap_frame *f)
{
    (void)f;
    return false;
}
void inject_external_abort(struct trap_frame *f, bool insn, uint64_t esr_el2, uint64_t far_)
{
    (void)f;
    seen.aborts++;
    seen.abort_insn = insn;
    seen.abort_esr = esr_el2;
    seen.abort_far = far_;
}
void inject_undef(struct trap_frame *f)
{
    (void)f;
    seen.undefs++;
}
void inject_serror(void)
{
    seen.serrors++;
}
void vgic_flush(struct vcpu *vcpu)
{
    (void)vcpu;
    seen.flushes++;
}
void vgic_sgi_write(struct vcpu *vcpu, uint64_t value)
{
    (void)vcpu;
    seen.sgi_writes++;
    seen.sgi_value = value;
}
bool vgic_owns_ipa(struct vm *vm, ipa_t ipa)
{
    (void)vm, (void)ipa;
    return gic_owns;
}
static bool device_access(struct mmio_access *acc)
{
    seen.mmio = *acc;
    if (!acc->write)
        acc->value = mmio_read_value;
    return mmio_ok;
}
bool vgic_mmio_access(struct vcpu *vcpu, struct mmio_access *acc)
{
    (void)vcpu;
    seen.mmio_calls++;
    return device_access(acc);
}
/* No virtual UART in these tests: its accesses are tested in test_vuart. */
bool vuart_owns(const struct vm *vm, ipa_t ipa)
{
    (void)vm, (void)ipa;
    return false;
}
bool vuart_mmio_access(struct vcpu *vcpu, struct mmio_access *acc)
{
    (void)vcpu, (void)acc;
    fail_msg("vuart_mmio_access called with no virtual UART");
    return false;
}
bool ipc_is_doorbell(const struct vm *vm, ipa_t ipa)
{
    (void)vm, (void)ipa;
    return doorbell_owns;
}
bool ipc_doorbell_access(struct vcpu *vcpu, struct mmio_access *acc)
{
    (void)vcpu;
    seen.doorbell_calls++;
    return device_access(acc);
}
int psci_is_psci(uint32_t fid)
{
    return (fid & ~0x4000001fu) == 0x84000000u;
}
int64_t psci_guest_call(struct vcpu *vcpu, uint32_t fid, uint64_t a1, uint64_t a2, uint64_t a3)
{
    (void)vcpu;
    seen.psci_calls++;
    seen.psci_fid = fid;
    seen.psci_args[0] = a1, seen.psci_args[1] = a2, seen.psci_args[2] = a3;
    return -7;
}
bool hypercall_is_baohu(uint64_t fid)
{
    return (fid & 0xffff0000u) == BAOHU_HC_BASE && (fid >> 32) == 0;
}
int64_t hypercall_handle(struct vcpu *vcpu, uint64_t fid, const uint64_t args[HYPERCALL_ARGS])
{
    (void)vcpu;
    seen.hc_calls++;
    seen.hc_fid = fid;
    memcpy(seen.hc_args, args, sizeof(seen.hc_args));
    return 99;
}
void smccc_guest_call(struct vcpu *v, struct smccc_regs *r)
{
    (void)v;
    seen.smccc_calls++;
    for (unsigned i = 0; i < 4; i++)
        r->x[i] = 0x100 + i;
}
static enum sysreg_outcome sysreg_fake(struct sysreg_access *a)
{
    seen.sysreg_calls++;
    seen.sysreg = *a;
    if (sysreg_out == SYSREG_DONE && a->read)
        a->value = sysreg_read_value;
    return sysreg_out;
}
enum sysreg_outcome idreg_access(struct sysreg_access *a) { return sysreg_fake(a); }
enum sysreg_outcome pmu_access(struct sysreg_access *a) { (void)a; return SYSREG_NOT_MINE; }
enum sysreg_outcome ras_access(struct sysreg_access *a) { (void)a; return SYSREG_NOT_MINE; }

/* ---- the vCPU that traps */

static struct vm vm;
static struct vcpu *v0;
static struct trap_frame f;

#define PC 0x40080000ull
#define IL (1u << 25)
#define ESR(ec, iss) (((uint64_t)(ec) << 26) | IL | (iss))

static int setup(void **state)
{
    (void)state;
    memset(&vm, 0, sizeof(vm));
    memset(&seen, 0, sizeof(seen));
    memset(&f, 0, sizeof(f));
    vm.vcpu_count = 1;
    v0 = &vm.vcpus[0];
    v0->vm = &vm;
    v0->state = VCPU_ON;
    cpu_table[0].vcpu = v0;
    f.elr = PC;
    esr = far = hpfar = 0;
    gic_owns = doorbell_owns = false;
    mmio_ok = true;
    mmio_read_value = 0;
    sysreg_out = SYSREG_NOT_MINE;
    return 0;
}

static void trap(uint64_t syndrome)
{
    esr = syndrome;
    guest_trap_sync(&f);
}

/* ---- exception classes */

static void test_wfx_steps_over(void **state)
{
    (void)state;
    trap(ESR(0x01, 0));
    assert_int_equal(f.elr, PC + 4);
    assert_int_equal(seen.flushes, 1); /* every exit flushes the vGIC */
    /* A 16-bit T32 WFI at AArch32 EL0 (IL = 0). */
    esr = (0x01ull << 26);
    guest_trap_sync(&f);
    assert_int_equal(f.elr, PC + 6);
    assert_int_equal(seen.faults, 0);
}

static void test_unknown_class_is_undefined(void **state)
{
    (void)state;
    const unsigned ecs[] = {0x00, 0x07, 0x0e, 0x11, 0x15, 0x19, 0x22, 0x25, 0x2c, 0x3c};
    for (size_t i = 0; i < sizeof(ecs) / sizeof(ecs[0]); i++)
        trap(ESR(ecs[i], 0x1234));
    assert_int_equal(seen.undefs, sizeof(ecs) / sizeof(ecs[0]));
    assert_int_equal(seen.faults, seen.undefs);
    assert_string_equal(seen.inject, "UNDEFINED injected");
    assert_non_null(strstr(seen.what, "EC 0x3c"));
    assert_int_equal(f.elr, PC); /* the exception is taken at the instruction */
    assert_int_equal(seen.psci_calls + seen.hc_calls + seen.smccc_calls, 0);
}

static void test_stopped_vcpu_parks_on_exit(void **state)
{
    (void)state;
    v0->state = VCPU_STOPPED;
    if (setjmp(parked) == 0) {
        trap(ESR(0x01, 0));
        fail_msg("a stopped vCPU went back to its guest");
    }
    assert_int_equal(seen.flushes, 0);
}

/* ---- SMCCC through HVC and SMC */

static void test_hvc_psci(void **state)
{
    (void)state;
    f.x[0] = 0xC4000003; /* CPU_ON_64 */
    f.x[1] = 1, f.x[2] = 0x40000000, f.x[3] = 7;
    trap(ESR(0x16, 0));
    assert_int_equal(seen.psci_calls, 1);
    assert_int_equal(seen.psci_fid, 0xC4000003);
    assert_int_equal(seen.psci_args[0], 1);
    assert_int_equal(seen.psci_args[1], 0x40000000);
    assert_int_equal(seen.psci_args[2], 7);
    assert_int_equal(f.x[0], (uint64_t)-7);
    assert_int_equal(f.elr, PC); /* HVC's return address is already the next one */
    /* A PSCI id with bits above 31 set is no PSCI call. */
    f.x[0] = (1ull << 32) | 0x84000000u;
    trap(ESR(0x16, 0));
    assert_int_equal(seen.psci_calls, 1);
    assert_int_equal(seen.smccc_calls, 1);
}

static void test_smc_steps_over(void **state)
{
    (void)state;
    f.x[0] = 0x84000000u;
    trap(ESR(0x17, 0));
    assert_int_equal(seen.psci_calls, 1);
    assert_int_equal(f.elr, PC + 4);
}

static void test_nonzero_immediate(void **state)
{
    (void)state;
    f.x[0] = 0x84000000u;
    trap(ESR(0x16, 1));
    assert_int_equal(f.x[0], (uint64_t)SMCCC_NOT_SUPPORTED);
    f.x[0] = 0x84000000u;
    trap(ESR(0x17, 0xffff));
    assert_int_equal(f.x[0], (uint64_t)SMCCC_NOT_SUPPORTED);
    assert_int_equal(seen.psci_calls + seen.hc_calls + seen.smccc_calls, 0);
}

static void test_baohu_and_other_calls(void **state)
{
    (void)state;
    f.x[0] = BAOHU_HC_ID(1);
    for (unsigned i = 1; i <= 5; i++)
        f.x[i] = 10 + i;
    trap(ESR(0x16, 0));
    assert_int_equal(seen.hc_calls, 1);
    assert_int_equal(seen.hc_fid, BAOHU_HC_ID(1));
    assert_int_equal(seen.hc_args[0], 11);
    assert_int_equal(seen.hc_args[4], 15);
    assert_int_equal(f.x[0], 99);
    /* Anything else: smccc.c, x0-x3 back to the guest. */
    f.x[0] = 0x80000000u; /* SMCCC_VERSION */
    f.x[4] = 0x44;
    trap(ESR(0x16, 0));
    assert_int_equal(seen.smccc_calls, 1);
    for (unsigned i = 0; i < 4; i++)
        assert_int_equal(f.x[i], 0x100 + i);
    assert_int_equal(f.x[4], 0x44);
}

/* ---- trapped system registers (EC 0x18) */

/* ISS: Op0 [21:20], Op2 [19:17], Op1 [16:14], CRn [13:10], Rt [9:5], CRm [4:1], Dir [0]. */
static uint64_t sysreg_esr(unsigned op0, unsigned op1, unsigned crn, unsigned crm, unsigned op2,
                           unsigned rt, bool read)
{
    return ESR(0x18, (op0 << 20) | (op2 << 17) | (op1 << 14) | (crn << 10) | (rt << 5) |
                         (crm << 1) | (read ? 1 : 0));
}

static void test_icc_sgi_writes(void **state)
{
    (void)state;
    f.x[5] = 0x01000002;
    trap(sysreg_esr(3, 0, 12, 11, 5, 5, false)); /* ICC_SGI1R_EL1 */
    assert_int_equal(seen.sgi_writes, 1);
    assert_int_equal(seen.sgi_value, 0x01000002);
    assert_int_equal(f.elr, PC + 4);
    f.x[0] = 0x55;
    trap(sysreg_esr(3, 0, 12, 11, 6, 31, false)); /* ICC_ASGI1R_EL1 from XZR */
    assert_int_equal(seen.sgi_writes, 2);
    assert_int_equal(seen.sgi_value, 0);
    trap(sysreg_esr(3, 0, 12, 11, 7, 5, false)); /* ICC_SGI0R_EL1 */
    assert_int_equal(seen.sgi_writes, 3);
    /* Reading one is UNDEFINED, and the PC stays. */
    trap(sysreg_esr(3, 0, 12, 11, 5, 5, true));
    assert_int_equal(seen.sgi_writes, 3);
    assert_int_equal(seen.undefs, 1);
    assert_int_equal(f.elr, PC + 12);
    assert_int_equal(seen.sysreg_calls, 0);
}

static void test_actlr_raz_wi(void **state)
{
    (void)state;
    f.x[3] = 0xdead;
    trap(sysreg_esr(3, 0, 1, 0, 1, 3, true));
    assert_int_equal(f.x[3], 0);
    trap(sysreg_esr(3, 0, 1, 0, 1, 3, false));
    assert_int_equal(f.elr, PC + 8);
    assert_int_equal(seen.undefs + seen.sysreg_calls, 0);
}

static void test_sysreg_fields_and_outcomes(void **state)
{
    (void)state;
    /* ID_AA64PFR0_EL1 read into x7: the emulator sees each field. */
    sysreg_out = SYSREG_DONE;
    sysreg_read_value = 0x1122;
    trap(sysreg_esr(3, 0, 0, 4, 0, 7, true));
    assert_int_equal(seen.sysreg.op0, 3);
    assert_int_equal(seen.sysreg.op1, 0);
    assert_int_equal(seen.sysreg.crn, 0);
    assert_int_equal(seen.sysreg.crm, 4);
    assert_int_equal(seen.sysreg.op2, 0);
    assert_true(seen.sysreg.read);
    assert_int_equal(f.x[7], 0x1122);
    assert_int_equal(f.elr, PC + 4);
    /* A write of x9 to op0 2, op1 3, CRn 9, CRm 14, op2 5. */
    f.x[9] = 0xabc;
    trap(sysreg_esr(2, 3, 9, 14, 5, 9, false));
    assert_int_equal(seen.sysreg.op0, 2);
    assert_int_equal(seen.sysreg.op1, 3);
    assert_int_equal(seen.sysreg.crn, 9);
    assert_int_equal(seen.sysreg.crm, 14);
    assert_int_equal(seen.sysreg.op2, 5);
    assert_false(seen.sysreg.read);
    assert_int_equal(seen.sysreg.value, 0xabc);
    assert_int_equal(f.elr, PC + 8);
    /* Refused, or nobody's: UNDEFINED, PC kept, register untouched. */
    f.x[7] = 1;
    sysreg_out = SYSREG_UNDEF;
    trap(sysreg_esr(3, 0, 0, 4, 0, 7, true));
    assert_non_null(strstr(seen.what, "not allowed"));
    sysreg_out = SYSREG_NOT_MINE;
    trap(sysreg_esr(3, 0, 0, 4, 0, 7, true));
    assert_non_null(strstr(seen.what, "not emulated"));
    assert_int_equal(seen.undefs, 2);
    assert_int_equal(f.x[7], 1);
    assert_int_equal(f.elr, PC + 8);
}

/* ---- data aborts (EC 0x24) */

#define ISV (1u << 24)
#define SSE (1u << 21)
#define SF (1u << 15)
#define WNR (1u << 6)
static uint64_t dabt(unsigned sas, unsigned srt, uint32_t flags)
{
    return ESR(0x24, ISV | (sas << 22) | (srt << 16) | flags);
}

static void at_ipa(uint64_t ipa)
{
    hpfar = (ipa >> 12) << 4;
    far = 0xffff000000000000ull | (ipa & 0xfff); /* FAR_EL2 holds the VA: only its page offset counts */
}

static void test_dabt_outside_any_device(void **state)
{
    (void)state;
    at_ipa(0x8000123458ull);
    trap(dabt(2, 1, WNR));
    assert_int_equal(seen.aborts, 1);
    assert_false(seen.abort_insn);
    assert_int_equal(seen.fault_addr, 0x8000123458ull);
    assert_non_null(strstr(seen.what, "on write"));
    assert_string_equal(seen.inject, "synchronous external abort injected");
    trap(dabt(2, 1, 0));
    assert_non_null(strstr(seen.what, "on read"));
    assert_int_equal(f.elr, PC);
    assert_int_equal(seen.mmio_calls + seen.doorbell_calls, 0);
}

static void test_dabt_device_write(void **state)
{
    (void)state;
    gic_owns = true;
    at_ipa(0x08000104);
    f.x[4] = 0x123456789abcdef0ull;
    trap(dabt(0, 4, WNR)); /* STRB w4 */
    assert_int_equal(seen.mmio_calls, 1);
    assert_true(seen.mmio.write);
    assert_int_equal(seen.mmio.size, 1);
    assert_int_equal(ipa_addr(seen.mmio.addr), 0x08000104);
    assert_int_equal(seen.mmio.value, 0xf0);
    assert_int_equal(f.elr, PC + 4);
    trap(dabt(2, 4, WNR)); /* STR w4 */
    assert_int_equal(seen.mmio.value, 0x9abcdef0);
    at_ipa(0x08000108);
    trap(dabt(3, 4, WNR)); /* STR x4 */
    assert_int_equal(seen.mmio.value, 0x123456789abcdef0ull);
    f.x[0] = 0x77; /* register 31 is XZR, not some other register */
    trap(dabt(2, 31, WNR)); /* STR wzr */
    assert_int_equal(seen.mmio.value, 0);
    assert_int_equal(seen.aborts, 0);
}

static void test_dabt_device_read_extension(void **state)
{
    (void)state;
    doorbell_owns = true;
    at_ipa(0x50100000);
    mmio_read_value = 0xfffffffffffff080ull;
    f.x[2] = 0x5555;
    trap(dabt(0, 2, 0)); /* LDRB w2: zero-extended */
    assert_int_equal(seen.doorbell_calls, 1);
    assert_false(seen.mmio.write);
    assert_int_equal(f.x[2], 0x80);
    trap(dabt(0, 2, SSE | SF)); /* LDRSB x2 */
    assert_int_equal(f.x[2], 0xffffffffffffff80ull);
    trap(dabt(0, 2, SSE)); /* LDRSB w2: 32 bits, upper half zero */
    assert_int_equal(f.x[2], 0xffffff80ull);
    trap(dabt(1, 2, SSE | SF)); /* LDRSH x2 */
    assert_int_equal(f.x[2], 0xfffffffffffff080ull);
    trap(dabt(2, 2, SF)); /* LDR w2 */
    assert_int_equal(f.x[2], 0xfffff080ull);
    trap(dabt(3, 2, SF)); /* LDR x2 */
    assert_int_equal(f.x[2], 0xfffffffffffff080ull);
    f.x[30] = 5;
    trap(dabt(3, 31, SF)); /* LDR xzr: nothing written */
    assert_int_equal(f.x[30], 5);
    assert_int_equal(f.elr, PC + 28);
    assert_int_equal(seen.aborts, 0);
}

static void test_dabt_device_refusals(void **state)
{
    (void)state;
    gic_owns = true;
    at_ipa(0x08000100);
    /* No syndrome (a load/store pair, a post-indexed access...). */
    trap(ESR(0x24, WNR));
    assert_int_equal(seen.aborts, 1);
    assert_non_null(strstr(seen.what, "without syndrome"));
    /* Unaligned. */
    at_ipa(0x08000102);
    trap(dabt(2, 1, 0));
    assert_int_equal(seen.aborts, 2);
    assert_non_null(strstr(seen.what, "unaligned"));
    at_ipa(0x08000104);
    trap(dabt(3, 1, 0));
    assert_int_equal(seen.aborts, 3);
    at_ipa(0x08000101);
    trap(dabt(1, 1, 0));
    assert_int_equal(seen.aborts, 4);
    assert_int_equal(seen.mmio_calls, 0);
    /* The device has no such register. */
    at_ipa(0x08000100);
    mmio_ok = false;
    f.x[1] = 3;
    trap(dabt(2, 1, 0));
    assert_int_equal(seen.aborts, 5);
    assert_non_null(strstr(seen.what, "no such register"));
    assert_int_equal(f.x[1], 3);
    assert_int_equal(f.elr, PC);
}

static void test_iabt_and_serror(void **state)
{
    (void)state;
    at_ipa(0x9000000ull);
    trap(ESR(0x20, 0x10));
    assert_int_equal(seen.aborts, 1);
    assert_true(seen.abort_insn);
    assert_int_equal(seen.fault_addr, 0x9000000ull);
    assert_non_null(strstr(seen.what, "instruction abort"));
    assert_int_equal(f.elr, PC);
    esr = 0xbe000000ull;
    guest_trap_serror(&f);
    assert_int_equal(seen.serrors, 1);
    assert_string_equal(seen.inject, "virtual SError injected");
    assert_int_equal(seen.flushes, 2);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(test_wfx_steps_over, setup),
        cmocka_unit_test_setup(test_unknown_class_is_undefined, setup),
        cmocka_unit_test_setup(test_stopped_vcpu_parks_on_exit, setup),
        cmocka_unit_test_setup(test_hvc_psci, setup),
        cmocka_unit_test_setup(test_smc_steps_over, setup),
        cmocka_unit_test_setup(test_nonzero_immediate, setup),
        cmocka_unit_test_setup(test_baohu_and_other_calls, setup),
        cmocka_unit_test_setup(test_icc_sgi_writes, setup),
        cmocka_unit_test_setup(test_actlr_raz_wi, setup),
        cmocka_unit_test_setup(test_sysreg_fields_and_outcomes, setup),
        cmocka_unit_test_setup(test_dabt_outside_any_device, setup),
        cmocka_unit_test_setup(test_dabt_device_write, setup),
        cmocka_unit_test_setup(test_dabt_device_read_extension, setup),
        cmocka_unit_test_setup(test_dabt_device_refusals, setup),
        cmocka_unit_test_setup(test_iabt_and_serror, setup),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
