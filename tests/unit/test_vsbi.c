/* Host tests of the SBI emulation (vsbi.c): BASE, TIME, IPI, RFENCE, HSM, SRST, DBCN, Baohu's calls, unknown ids. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>
#include <cmocka.h>

#include <baohu/hypercall.h>
#include "arch.h"
#include "arch_regs.h"
#include "console.h"
#include "cpu.h"
#include "csr.h"
#include "hypercall.h"
#include "platform.h"
#include "sbi.h"
#include "vm.h"
#include "vtimer.h"

void vsbi_call(struct vcpu *v, struct trap_frame *f);

/* ---- fakes: the platform, the firmware, the core calls vsbi.c makes */

/* Hart ids differ from CPU numbers so that RFENCE's translation shows. */
const struct platform platform = {
    .name = "fake-riscv",
    .cpu_count = 4,
    .cpu_hwid = {4, 5, 6, 7},
};

struct cpu cpu_table[PLATFORM_MAX_CPUS];
static cpuid_t current_cpu;
cpuid_t arch_cpu_id(void) { return current_cpu; }
struct cpu *arch_cpu_current(void) { return &cpu_table[current_cpu]; }
void arch_cpu_relax(void) {}

#define LOG 16
static cpuid_t msgs[LOG];
static unsigned msg_count;
bool cpu_msg_send(cpuid_t target, enum cpu_msg_kind kind)
{
    assert_int_equal(kind, CPU_MSG_VIRQ);
    if (msg_count < LOG)
        msgs[msg_count] = target;
    msg_count++;
    return true;
}

static uint64_t hvip_set, csr_other;
uint64_t host_csr_read(const char *csr) { (void)csr; csr_other++; return 0; }
void host_csr_write(const char *csr, uint64_t v) { (void)csr, (void)v; csr_other++; }
void host_csr_set(const char *csr, uint64_t v)
{
    if (strcmp(csr, "hvip") == 0)
        hvip_set |= v;
    else
        csr_other++;
}
void host_csr_clear(const char *csr, uint64_t v) { (void)csr, (void)v; csr_other++; }

/* The firmware: every call recorded, answers {0, 0x77}. */
struct fw_call { uint64_t ext, fid, a[5]; };
static struct fw_call fw[LOG];
static unsigned fw_count;
struct sbiret sbi_call(uint64_t ext, uint64_t fid, uint64_t a0, uint64_t a1, uint64_t a2,
                       uint64_t a3, uint64_t a4)
{
    if (fw_count < LOG)
        fw[fw_count] = (struct fw_call){ext, fid, {a0, a1, a2, a3, a4}};
    fw_count++;
    return (struct sbiret){0, 0x77};
}

static unsigned timer_calls;
static uint64_t timer_deadline;
void vtimer_set(struct vcpu *v, uint64_t deadline)
{
    (void)v;
    timer_calls++;
    timer_deadline = deadline;
}

static char out[1024];
static unsigned out_len;
void console_guest_putc(struct console_line *line, const char *name, char c)
{
    (void)line, (void)name;
    if (out_len < sizeof(out))
        out[out_len++] = c;
}

static uint64_t hc_fid, hc_args[HYPERCALL_ARGS];
static int64_t hc_ret;
static unsigned hc_calls;
int64_t hypercall_handle(struct vcpu *vcpu, uint64_t fid, const uint64_t args[HYPERCALL_ARGS])
{
    (void)vcpu;
    hc_calls++;
    hc_fid = fid;
    memcpy(hc_args, args, sizeof(hc_args));
    return hc_ret;
}

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

/* The calls that do not return come back here. */
static jmp_buf gone;
enum gone_how { GONE_NOT = 0, GONE_POWER_OFF, GONE_RESET };
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

/* Guest RAM: IPA 0x80000000.. backed by `ram`, of which IPA page 0x80002000
 * is not mapped (a hole in the stage-2 tables). */
#define RAM_IPA 0x80000000ull
static char ram[4 * PAGE_SIZE];
bool vm_ipa_is_ram(const struct vm *vm, uint64_t ipa, uint64_t size)
{
    (void)vm;
    return ipa >= RAM_IPA && size <= sizeof(ram) && ipa - RAM_IPA <= sizeof(ram) - size;
}
/* Baohu's windows onto guest RAM (hyp_space.c): host memory is always
 * there, so the fake only checks that every window is one page, closed. */
static int windows_open;
bool hyp_window_open(paddr_t pa, uint64_t size, enum hyp_window_use use)
{
    assert_int_equal(pa.pa & (PAGE_SIZE - 1), 0);
    assert_int_equal(size, PAGE_SIZE);
    assert_int_equal(use, HYP_WINDOW_READ);
    windows_open++;
    return true;
}
void hyp_window_close(paddr_t pa, uint64_t size, enum hyp_window_use use)
{
    (void)pa, (void)size, (void)use;
    assert_true(windows_open > 0);
    windows_open--;
}

bool arch_vm_translate(struct vm *vm, ipa_t ipa, paddr_t *pa)
{
    (void)vm;
    uint64_t a = ipa_addr(ipa);
    if (a < RAM_IPA || a - RAM_IPA >= sizeof(ram) || (a & ~(PAGE_SIZE - 1)) == RAM_IPA + 2 * PAGE_SIZE)
        return false;
    pa->pa = (uint64_t)(uintptr_t)&ram[a - RAM_IPA];
    return true;
}

/* ---- the VM: three vCPUs on CPUs 1, 2, 3 */

static struct vm vm;
static struct vcpu *v0;
static struct trap_frame f;

static int setup(void **state)
{
    (void)state;
    memset(&vm, 0, sizeof(vm));
    vm.name = "t";
    vm.vcpu_count = 3;
    for (uint32_t k = 0; k < 3; k++) {
        vm.vcpus[k].vm = &vm;
        vm.vcpus[k].id = k;
        vm.vcpus[k].cpu = k + 1;
        vm.vcpus[k].state = VCPU_ON;
    }
    v0 = &vm.vcpus[0];
    current_cpu = 1;
    msg_count = fw_count = timer_calls = out_len = hc_calls = start_calls = stop_calls = 0;
    hvip_set = csr_other = 0;
    hc_ret = 0;
    start_result = VCPU_START_OK;
    memset(&f, 0, sizeof(f));
    return 0;
}

static struct sbiret call(uint64_t ext, uint64_t fid, uint64_t a0, uint64_t a1, uint64_t a2,
                          uint64_t a3, uint64_t a4, uint64_t a5)
{
    f.x[REG_A7] = ext;
    f.x[REG_A6] = fid;
    f.x[REG_A0] = a0, f.x[REG_A1] = a1, f.x[REG_A2] = a2;
    f.x[REG_A3] = a3, f.x[REG_A4] = a4, f.x[REG_A5] = a5;
    vsbi_call(v0, &f);
    return (struct sbiret){(int64_t)f.x[REG_A0], (int64_t)f.x[REG_A1]};
}

#define call2(ext, fid, a0, a1) call(ext, fid, a0, a1, 0, 0, 0, 0)

static void expect(struct sbiret r, int64_t error, int64_t value)
{
    assert_int_equal(r.error, error);
    assert_int_equal(r.value, value);
}

/* ---- BASE and unknown ids */

static void test_base(void **state)
{
    (void)state;
    expect(call2(SBI_EXT_BASE, SBI_BASE_GET_SPEC_VERSION, 0, 0), SBI_SUCCESS, 2 << 24);
    expect(call2(SBI_EXT_BASE, SBI_BASE_GET_IMPL_ID, 0, 0), SBI_SUCCESS, BAOHU_SBI_IMPL_ID);
    expect(call2(SBI_EXT_BASE, SBI_BASE_GET_IMPL_VERSION, 0, 0), SBI_SUCCESS,
           (BAOHU_ABI_MAJOR << 16) | BAOHU_ABI_MINOR);
    /* The hart identity CSRs come from the firmware. */
    for (uint64_t fid = SBI_BASE_GET_MVENDORID; fid <= SBI_BASE_GET_MIMPID; fid++) {
        fw_count = 0;
        expect(call2(SBI_EXT_BASE, fid, 0, 0), 0, 0x77);
        assert_int_equal(fw_count, 1);
        assert_int_equal(fw[0].ext, SBI_EXT_BASE);
        assert_int_equal(fw[0].fid, fid);
    }
    expect(call2(SBI_EXT_BASE, 7, 0, 0), SBI_ERR_NOT_SUPPORTED, 0);
    expect(call2(SBI_EXT_BASE, ~0ull, 0, 0), SBI_ERR_NOT_SUPPORTED, 0);
}

static void test_probe(void **state)
{
    (void)state;
    const uint64_t have[] = {SBI_EXT_LEGACY_SET_TIMER, SBI_EXT_LEGACY_PUTCHAR, SBI_EXT_LEGACY_GETCHAR,
                             SBI_EXT_BASE, SBI_EXT_TIME, SBI_EXT_IPI, SBI_EXT_RFENCE, SBI_EXT_HSM,
                             SBI_EXT_SRST, SBI_EXT_DBCN, BAOHU_SBI_EXT};
    for (size_t i = 0; i < sizeof(have) / sizeof(have[0]); i++)
        expect(call2(SBI_EXT_BASE, SBI_BASE_PROBE_EXT, have[i], 0), SBI_SUCCESS, 1);
    /* Legacy ones Baohu does not offer, PMU, SUSP, CPPC, NACL, STA, vendor. */
    const uint64_t lack[] = {0x03, 0x04, 0x08, 0x504D55, 0x53555350, 0x43505043, 0x4E41434C,
                             0x535441, 0x09000000, BAOHU_SBI_EXT + 1};
    for (size_t i = 0; i < sizeof(lack) / sizeof(lack[0]); i++)
        expect(call2(SBI_EXT_BASE, SBI_BASE_PROBE_EXT, lack[i], 0), SBI_SUCCESS, 0);
}

static void test_unknown_extension(void **state)
{
    (void)state;
    const uint64_t exts[] = {0x03, 0x08, 0x504D55, 0x53555350, 0x43505043, 0xffffffffull, ~0ull};
    for (size_t i = 0; i < sizeof(exts) / sizeof(exts[0]); i++)
        expect(call(exts[i], 0, 1, 2, 3, 4, 5, 6), SBI_ERR_NOT_SUPPORTED, 0);
    assert_int_equal(fw_count, 0);
    assert_int_equal(msg_count, 0);
}

/* ---- legacy and TIME */

static void test_legacy(void **state)
{
    (void)state;
    f.x[REG_A1] = 0x1234;
    call(SBI_EXT_LEGACY_SET_TIMER, 99, 0xabcdef, 0x1234, 0, 0, 0, 0);
    assert_int_equal(f.x[REG_A0], 0);
    assert_int_equal(f.x[REG_A1], 0x1234); /* legacy calls return a0 only */
    assert_int_equal(timer_calls, 1);
    assert_int_equal(timer_deadline, 0xabcdef);
    call(SBI_EXT_LEGACY_PUTCHAR, 0, 'x', 0x1234, 0, 0, 0, 0);
    assert_int_equal(f.x[REG_A0], 0);
    assert_int_equal(out_len, 1);
    assert_int_equal(out[0], 'x');
    call(SBI_EXT_LEGACY_GETCHAR, 0, 0, 0x1234, 0, 0, 0, 0);
    assert_int_equal(f.x[REG_A0], (uint64_t)-1);
}

static void test_time(void **state)
{
    (void)state;
    expect(call2(SBI_EXT_TIME, 0, 0x123456789ull, 0), SBI_SUCCESS, 0);
    assert_int_equal(timer_calls, 1);
    assert_int_equal(timer_deadline, 0x123456789ull);
    expect(call2(SBI_EXT_TIME, 1, 5, 0), SBI_ERR_NOT_SUPPORTED, 0);
    expect(call2(SBI_EXT_TIME, ~0ull, 5, 0), SBI_ERR_NOT_SUPPORTED, 0);
    assert_int_equal(timer_calls, 1);
}

/* ---- IPI and the hart masks */

static void test_ipi_targets(void **state)
{
    (void)state;
    /* vCPU 1 only: its pCPU 2 is told once, vCPU 1's ipi is set. */
    expect(call2(SBI_EXT_IPI, 0, 0x2, 0), SBI_SUCCESS, 0);
    assert_int_equal(msg_count, 1);
    assert_int_equal(msgs[0], 2);
    assert_int_equal(vm.vcpus[1].arch.virq.ipi, 1);
    assert_int_equal(vm.vcpus[1].arch.virq.ipi_sent, 1);
    assert_int_equal(vm.vcpus[2].arch.virq.ipi, 0);
    assert_int_equal(hvip_set, 0);
    /* Again before vCPU 1 took it: counted, no second request. */
    expect(call2(SBI_EXT_IPI, 0, 0x1, 1), SBI_SUCCESS, 0);
    assert_int_equal(msg_count, 1);
    assert_int_equal(vm.vcpus[1].arch.virq.ipi_sent, 2);
    /* To itself: VSSIP in hvip, no request. */
    expect(call2(SBI_EXT_IPI, 0, 0x1, 0), SBI_SUCCESS, 0);
    assert_int_equal(hvip_set, 1u << IRQ_VSSI);
    assert_int_equal(msg_count, 1);
    assert_int_equal(v0->arch.virq.ipi, 0);
}

static void test_ipi_all(void **state)
{
    (void)state;
    /* hart_mask_base -1: every hart, whatever the mask. */
    expect(call2(SBI_EXT_IPI, 0, 0, ~0ull), SBI_SUCCESS, 0);
    assert_int_equal(msg_count, 2);
    assert_int_equal(msgs[0], 2);
    assert_int_equal(msgs[1], 3);
    assert_int_equal(hvip_set, 1u << IRQ_VSSI);
}

static void test_ipi_bad_masks(void **state)
{
    (void)state;
    const uint64_t bad[][2] = {
        {0x8, 0},            /* hart 3: the VM has 0-2 */
        {0x9, 0},            /* one good, one bad: nothing is sent */
        {0x1, 3},            /* base past the last hart */
        {0x1, 4},
        {0x2, 2},            /* hart 3 again */
        {1ull << 63, 1},     /* shifted out of 64 bits */
        {0x3, 63},
        {0x1, 64},
        {~0ull, 0},
    };
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
        expect(call2(SBI_EXT_IPI, 0, bad[i][0], bad[i][1]), SBI_ERR_INVALID_PARAM, 0);
    assert_int_equal(msg_count, 0);
    assert_int_equal(hvip_set, 0);
    for (uint32_t k = 0; k < 3; k++)
        assert_int_equal(vm.vcpus[k].arch.virq.ipi_sent, 0);
    /* The last hart by base, and an empty mask (any base): fine. */
    expect(call2(SBI_EXT_IPI, 0, 0x1, 2), SBI_SUCCESS, 0);
    assert_int_equal(msg_count, 1);
    assert_int_equal(msgs[0], 3);
    expect(call2(SBI_EXT_IPI, 0, 0, 12345), SBI_SUCCESS, 0);
    assert_int_equal(msg_count, 1);
    /* IPI has one function. */
    expect(call2(SBI_EXT_IPI, 1, 0x2, 0), SBI_ERR_NOT_SUPPORTED, 0);
    assert_int_equal(msg_count, 1);
}

/* ---- RFENCE */

static void test_rfence(void **state)
{
    (void)state;
    /* vCPUs 1 and 2 are on CPUs 2 and 3: harts 6 and 7. */
    expect(call(SBI_EXT_RFENCE, SBI_RFENCE_FENCE_I, 0x6, 0, 0, 0, 0, 0), 0, 0x77);
    assert_int_equal(fw_count, 1);
    assert_int_equal(fw[0].ext, SBI_EXT_RFENCE);
    assert_int_equal(fw[0].fid, SBI_RFENCE_FENCE_I);
    assert_int_equal(fw[0].a[0], (1u << 6) | (1u << 7));
    assert_int_equal(fw[0].a[1], 0);
    /* SFENCE.VMA: the guest's fence is an HFENCE.VVMA, start and size kept. */
    expect(call(SBI_EXT_RFENCE, SBI_RFENCE_SFENCE_VMA, 0x1, 0, 0x1000, 0x2000, 9, 0), 0, 0x77);
    assert_int_equal(fw[1].fid, SBI_RFENCE_HFENCE_VVMA);
    assert_int_equal(fw[1].a[0], 1u << 5);
    assert_int_equal(fw[1].a[1], 0);
    assert_int_equal(fw[1].a[2], 0x1000);
    assert_int_equal(fw[1].a[3], 0x2000);
    expect(call(SBI_EXT_RFENCE, SBI_RFENCE_SFENCE_VMA_ASID, 0, ~0ull, 0x1000, 0x2000, 9, 0), 0,
           0x77);
    assert_int_equal(fw[2].fid, SBI_RFENCE_HFENCE_VVMA_ASID);
    assert_int_equal(fw[2].a[0], (1u << 5) | (1u << 6) | (1u << 7));
    assert_int_equal(fw[2].a[2], 0x1000);
    assert_int_equal(fw[2].a[3], 0x2000);
    assert_int_equal(fw[2].a[4], 9);
    assert_int_equal(fw_count, 3);
}

static void test_rfence_refused(void **state)
{
    (void)state;
    /* HFENCE_GVMA_VMID .. HFENCE_VVMA: no nested virtualisation. */
    for (uint64_t fid = 3; fid <= 7; fid++)
        expect(call(SBI_EXT_RFENCE, fid, 0x1, 0, 0, 0, 0, 0), SBI_ERR_NOT_SUPPORTED, 0);
    expect(call(SBI_EXT_RFENCE, SBI_RFENCE_FENCE_I, 0x8, 0, 0, 0, 0, 0), SBI_ERR_INVALID_PARAM, 0);
    expect(call(SBI_EXT_RFENCE, SBI_RFENCE_SFENCE_VMA, 0x1, 3, 0, 0, 0, 0), SBI_ERR_INVALID_PARAM, 0);
    /* No hart named: nothing to do. */
    expect(call(SBI_EXT_RFENCE, SBI_RFENCE_FENCE_I, 0, 0, 0, 0, 0, 0), SBI_SUCCESS, 0);
    assert_int_equal(fw_count, 0);
}

/* ---- HSM */

static void test_hsm_start(void **state)
{
    (void)state;
    static const struct { enum vcpu_start_result r; int64_t want; } map[] = {
        {VCPU_START_OK, SBI_SUCCESS},
        {VCPU_START_NO_SUCH_VCPU, SBI_ERR_INVALID_PARAM},
        {VCPU_START_ALREADY_ON, SBI_ERR_ALREADY_AVAILABLE},
        {VCPU_START_ALREADY_PENDING, SBI_ERR_ALREADY_AVAILABLE},
        {VCPU_START_BAD_ENTRY, SBI_ERR_INVALID_ADDRESS},
    };
    for (size_t i = 0; i < sizeof(map) / sizeof(map[0]); i++) {
        start_result = map[i].r;
        expect(call2(SBI_EXT_HSM, SBI_HSM_HART_START, 2, 0x80200000), map[i].want, 0);
    }
    assert_int_equal(start_calls, 5);
    /* The hart id, entry and opaque go to vm_vcpu_start unchanged. */
    expect(call(SBI_EXT_HSM, SBI_HSM_HART_START, 7, 0x80200000, 0xfeed, 0, 0, 0),
           SBI_ERR_INVALID_ADDRESS, 0); /* start_result is still BAD_ENTRY */
    assert_int_equal(start_args[0], 7);
    assert_int_equal(start_args[1], 0x80200000);
    assert_int_equal(start_args[2], 0xfeed);
}

static void test_hsm_status(void **state)
{
    (void)state;
    vm.vcpus[1].state = VCPU_START_PENDING;
    vm.vcpus[2].state = VCPU_OFF;
    expect(call2(SBI_EXT_HSM, SBI_HSM_HART_GET_STATUS, 0, 0), SBI_SUCCESS, SBI_HSM_STARTED);
    expect(call2(SBI_EXT_HSM, SBI_HSM_HART_GET_STATUS, 1, 0), SBI_SUCCESS, SBI_HSM_START_PENDING);
    expect(call2(SBI_EXT_HSM, SBI_HSM_HART_GET_STATUS, 2, 0), SBI_SUCCESS, SBI_HSM_STOPPED);
    vm.vcpus[2].state = VCPU_STOPPED;
    expect(call2(SBI_EXT_HSM, SBI_HSM_HART_GET_STATUS, 2, 0), SBI_SUCCESS, SBI_HSM_STOPPED);
    expect(call2(SBI_EXT_HSM, SBI_HSM_HART_GET_STATUS, 3, 0), SBI_ERR_INVALID_PARAM, 0);
    expect(call2(SBI_EXT_HSM, SBI_HSM_HART_GET_STATUS, ~0ull, 0), SBI_ERR_INVALID_PARAM, 0);
}

static void test_hsm_suspend_stop_unknown(void **state)
{
    (void)state;
    expect(call2(SBI_EXT_HSM, SBI_HSM_HART_SUSPEND, 0, 0), SBI_SUCCESS, 0);
    expect(call2(SBI_EXT_HSM, SBI_HSM_HART_SUSPEND, 0x80000000u, 0), SBI_ERR_NOT_SUPPORTED, 0);
    expect(call2(SBI_EXT_HSM, SBI_HSM_HART_SUSPEND, 1, 0), SBI_ERR_INVALID_PARAM, 0);
    expect(call2(SBI_EXT_HSM, SBI_HSM_HART_SUSPEND, 0x10000000u, 0), SBI_ERR_INVALID_PARAM, 0);
    expect(call2(SBI_EXT_HSM, 4, 0, 0), SBI_ERR_NOT_SUPPORTED, 0);
    expect(call2(SBI_EXT_HSM, ~0ull, 0, 0), SBI_ERR_NOT_SUPPORTED, 0);
    int how = setjmp(gone);
    if (how == GONE_NOT) {
        call2(SBI_EXT_HSM, SBI_HSM_HART_STOP, 0, 0);
        fail_msg("hart_stop returned");
    }
    assert_int_equal(how, GONE_POWER_OFF);
}

/* ---- SRST */

static void test_srst(void **state)
{
    (void)state;
    /* Shutdown stops the VM; if it returns, the call failed. */
    expect(call2(SBI_EXT_SRST, SBI_SRST_RESET, SBI_SRST_SHUTDOWN, 0), SBI_ERR_FAILED, 0);
    assert_int_equal(stop_calls, 1);
    expect(call2(SBI_EXT_SRST, SBI_SRST_RESET, SBI_SRST_SHUTDOWN, 1), SBI_ERR_FAILED, 0);
    assert_int_equal(stop_calls, 2);
    /* Reserved and vendor types and reasons: refused, nothing happens. */
    const uint64_t bad[][2] = {{3, 0}, {0xF0000000u, 0}, {1ull << 32, 0}, {0, 2},
                               {1, 0xE0000000u}, {2, 0xF0000000u}, {0, 1ull << 32}};
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
        expect(call2(SBI_EXT_SRST, SBI_SRST_RESET, bad[i][0], bad[i][1]), SBI_ERR_INVALID_PARAM, 0);
    expect(call2(SBI_EXT_SRST, 1, SBI_SRST_SHUTDOWN, 0), SBI_ERR_NOT_SUPPORTED, 0);
    assert_int_equal(stop_calls, 2);
    for (uint64_t type = SBI_SRST_COLD_REBOOT; type <= SBI_SRST_WARM_REBOOT; type++) {
        int how = setjmp(gone);
        if (how == GONE_NOT) {
            call2(SBI_EXT_SRST, SBI_SRST_RESET, type, 1);
            fail_msg("reboot returned");
        }
        assert_int_equal(how, GONE_RESET);
    }
    assert_int_equal(stop_calls, 2);
}

/* ---- DBCN */

static void test_dbcn_write(void **state)
{
    (void)state;
    memcpy(&ram[PAGE_SIZE - 3], "hello", 5);
    /* Across a page boundary, through the stage-2 translation. */
    expect(call2(SBI_EXT_DBCN, SBI_DBCN_CONSOLE_WRITE, 5, RAM_IPA + PAGE_SIZE - 3), SBI_SUCCESS, 5);
    assert_int_equal(out_len, 5);
    assert_memory_equal(out, "hello", 5);
    /* At most 256 bytes a call. */
    out_len = 0;
    memset(ram, 'a', sizeof(ram));
    expect(call2(SBI_EXT_DBCN, SBI_DBCN_CONSOLE_WRITE, 1000, RAM_IPA), SBI_SUCCESS, 256);
    assert_int_equal(out_len, 256);
    /* Up to the unmapped page: a partial write; from it: an error. */
    out_len = 0;
    expect(call2(SBI_EXT_DBCN, SBI_DBCN_CONSOLE_WRITE, 100, RAM_IPA + 2 * PAGE_SIZE - 10),
           SBI_SUCCESS, 10);
    assert_int_equal(out_len, 10);
    assert_int_equal(windows_open, 0);
    expect(call2(SBI_EXT_DBCN, SBI_DBCN_CONSOLE_WRITE, 10, RAM_IPA + 2 * PAGE_SIZE),
           SBI_ERR_INVALID_PARAM, 0);
    assert_int_equal(out_len, 10);
}

static void test_dbcn_refused(void **state)
{
    (void)state;
    /* base_addr_hi set, outside RAM, straddling its end. */
    expect(call(SBI_EXT_DBCN, SBI_DBCN_CONSOLE_WRITE, 4, RAM_IPA, 1, 0, 0, 0), SBI_ERR_INVALID_PARAM, 0);
    expect(call2(SBI_EXT_DBCN, SBI_DBCN_CONSOLE_WRITE, 4, 0x1000), SBI_ERR_INVALID_PARAM, 0);
    expect(call2(SBI_EXT_DBCN, SBI_DBCN_CONSOLE_WRITE, 8, RAM_IPA + sizeof(ram) - 4),
           SBI_ERR_INVALID_PARAM, 0);
    expect(call2(SBI_EXT_DBCN, SBI_DBCN_CONSOLE_READ, 8, 0x1000), SBI_ERR_INVALID_PARAM, 0);
    /* Zero bytes; a read of RAM (no input for guests). */
    expect(call2(SBI_EXT_DBCN, SBI_DBCN_CONSOLE_WRITE, 0, 0x1000), SBI_SUCCESS, 0);
    expect(call2(SBI_EXT_DBCN, SBI_DBCN_CONSOLE_READ, 8, RAM_IPA), SBI_SUCCESS, 0);
    expect(call2(SBI_EXT_DBCN, 3, 8, RAM_IPA), SBI_ERR_NOT_SUPPORTED, 0);
    assert_int_equal(out_len, 0);
    expect(call2(SBI_EXT_DBCN, SBI_DBCN_CONSOLE_WRITE_BYTE, 0x141, 0), SBI_SUCCESS, 0);
    assert_int_equal(out_len, 1);
    assert_int_equal(out[0], 'A');
}

/* ---- Baohu's own extension */

static void test_baohu_ext(void **state)
{
    (void)state;
    hc_ret = 42;
    expect(call(BAOHU_SBI_EXT, 2, 10, 11, 12, 13, 14, 15), SBI_SUCCESS, 42);
    assert_int_equal(hc_fid, BAOHU_HC_ID(2));
    assert_int_equal(hc_args[0], 10);
    assert_int_equal(hc_args[4], 14);
    expect(call(BAOHU_SBI_EXT, 0xffff, 0, 0, 0, 0, 0, 0), SBI_SUCCESS, 42);
    assert_int_equal(hc_fid, BAOHU_HC_ID(0xffff));
    assert_int_equal(hc_calls, 2);
    /* Beyond 16 bits: not one of Baohu's. */
    expect(call(BAOHU_SBI_EXT, 0x10000, 0, 0, 0, 0, 0, 0), SBI_ERR_NOT_SUPPORTED, 0);
    expect(call(BAOHU_SBI_EXT, 0x10001, 0, 0, 0, 0, 0, 0), SBI_ERR_NOT_SUPPORTED, 0);
    assert_int_equal(hc_calls, 2);
    /* Baohu's errors in SBI's words. */
    static const int64_t map[][2] = {
        {BAOHU_HC_ERR_NOT_SUPPORTED, SBI_ERR_NOT_SUPPORTED},
        {BAOHU_HC_ERR_INVALID_PARAM, SBI_ERR_INVALID_PARAM},
        {BAOHU_HC_ERR_DENIED, SBI_ERR_DENIED},
        {-100, SBI_ERR_FAILED},
    };
    for (size_t i = 0; i < 4; i++) {
        hc_ret = map[i][0];
        expect(call(BAOHU_SBI_EXT, 1, 0, 0, 0, 0, 0, 0), map[i][1], 0);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(test_base, setup),
        cmocka_unit_test_setup(test_probe, setup),
        cmocka_unit_test_setup(test_unknown_extension, setup),
        cmocka_unit_test_setup(test_legacy, setup),
        cmocka_unit_test_setup(test_time, setup),
        cmocka_unit_test_setup(test_ipi_targets, setup),
        cmocka_unit_test_setup(test_ipi_all, setup),
        cmocka_unit_test_setup(test_ipi_bad_masks, setup),
        cmocka_unit_test_setup(test_rfence, setup),
        cmocka_unit_test_setup(test_rfence_refused, setup),
        cmocka_unit_test_setup(test_hsm_start, setup),
        cmocka_unit_test_setup(test_hsm_status, setup),
        cmocka_unit_test_setup(test_hsm_suspend_stop_unknown, setup),
        cmocka_unit_test_setup(test_srst, setup),
        cmocka_unit_test_setup(test_dbcn_write, setup),
        cmocka_unit_test_setup(test_dbcn_refused, setup),
        cmocka_unit_test_setup(test_baohu_ext, setup),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
