/* Fuzzing the SBI emulation (src/arch/riscv64/vsbi.c, sbi_rules.c): every extension and function id with edge-biased arguments. */
#include <setjmp.h>
#include <string.h>

#include <baohu/hypercall.h>
#include "arch.h"
#include "arch_regs.h"
#include "console.h"
#include "cpu.h"
#include "fuzz_input.h"
#include "hypercall.h"
#include "platform.h"
#include "sbi.h"
#include "vm.h"
#include "vtimer.h"

void vsbi_call(struct vcpu *v, struct trap_frame *f);

/*
 * One VM of three vCPUs on harts 0, 2, 3 (hart ids 10, 12, 13 at the
 * firmware), RAM at 0x80000000 (4 pages, backed by a host buffer here);
 * a second VM on hart 1. Each operation is one ecall by a vCPU: a7/a6
 * from the extensions Baohu knows (or anything), a0-a5 edge-biased. After
 * each: only a0/a1 changed (a0 alone for the legacy calls), a0 is an SBI
 * error code; the call acted on the caller's VM only (IPIs, remote
 * fences, HSM, SRST, console bytes), with the arguments it was given and
 * the results the spec's tables require.
 */

#define VCPUS 3
#define RAM 0x80000000ull
#define RAM_SIZE 0x4000ull

static const struct vm_mem_region mem[] = {{.ipa = RAM, .size = RAM_SIZE}};
static const struct vm_config cfg = {.name = "fuzz", .cpus = 0xd, CONFIG_LIST(mem, mem)};
static const struct vm_config other_cfg = {.name = "other", .cpus = 0x2};

const struct platform platform = {
    .name = "fuzz-riscv", .cpu_count = 4, .cpu_hwid = {10, 11, 12, 13},
    .irqchip = {.kind = IRQCHIP_PLIC, .plic = 0x0c000000, .irq_count = 96},
};

static struct vm vm, other;
static uint8_t ram[RAM_SIZE];
static jmp_buf gone;     /* the call did not return (CPU off, VM reset) */
static struct vcpu *caller;

/* What the call did, recorded by the fakes. */
static struct record {
    unsigned vssip, msgs, timer, putc, translate, starts, stops, resets, fw_calls, hcalls;
    uint64_t msg_cpus, fw_harts, fw_fid, hc_fid;
    char out[300];
    int64_t hc_ret;
    uint64_t start_args[3];
} rec;
static enum vcpu_start_result start_result;

void fuzz_csr_set(const char *csr, uint64_t bits)
{
    FUZZ_ASSERT(!strcmp(csr, "hvip") && bits == (1u << 2), "csrs %s, %#llx", csr,
                (unsigned long long)bits);
    rec.vssip++;
}
void fuzz_csr_clear(const char *csr, uint64_t bits)
{
    FUZZ_ASSERT(0, "csrc %s, %#llx", csr, (unsigned long long)bits);
}

bool cpu_msg_send(cpuid_t target, enum cpu_msg_kind kind)
{
    (void)kind;
    rec.msgs++;
    rec.msg_cpus |= 1ull << target;
    return true;
}
void vtimer_set(struct vcpu *v, uint64_t deadline)
{
    (void)deadline;
    FUZZ_ASSERT(v == caller, "set_timer of another vCPU");
    rec.timer++;
}
void console_guest_putc(struct console_line *line, const char *name, char c)
{
    FUZZ_ASSERT(line == &caller->vm->console && name == caller->vm->name,
                "console byte to another VM's line");
    if (rec.putc < sizeof rec.out)
        rec.out[rec.putc] = c;
    rec.putc++;
}
struct sbiret sbi_call(uint64_t ext, uint64_t fid, uint64_t a0, uint64_t a1, uint64_t a2,
                       uint64_t a3, uint64_t a4)
{
    (void)a1, (void)a2, (void)a3, (void)a4;
    rec.fw_calls++;
    rec.fw_fid = fid;
    if (ext == SBI_EXT_RFENCE)
        rec.fw_harts = a0;
    else
        FUZZ_ASSERT(ext == SBI_EXT_BASE && fid >= SBI_BASE_GET_MVENDORID && fid <= SBI_BASE_GET_MIMPID,
                    "firmware call %#llx/%#llx", (unsigned long long)ext, (unsigned long long)fid);
    return (struct sbiret){0, 0x1234};
}
int64_t hypercall_handle(struct vcpu *v, uint64_t fid, const uint64_t args[HYPERCALL_ARGS])
{
    (void)args;
    FUZZ_ASSERT(v == caller, "hypercall for another vCPU");
    rec.hcalls++;
    rec.hc_fid = fid;
    return rec.hc_ret;
}
/* Baohu's windows onto guest RAM (hyp_space.c): host memory is always
 * there; each window must be one page of this VM's RAM, and closed. */
static int windows_open;
bool hyp_window_open(paddr_t pa, uint64_t size, enum hyp_window_use use)
{
    uint64_t a = pa_addr(pa);
    FUZZ_ASSERT(size == PAGE_SIZE && (a & (PAGE_SIZE - 1)) == 0 && use == HYP_WINDOW_READ,
                "a console window is one page, read only");
    FUZZ_ASSERT(a + PAGE_SIZE > (uint64_t)(uintptr_t)ram && a < (uint64_t)(uintptr_t)ram + RAM_SIZE,
                "a window on no page of the caller's RAM");
    windows_open++;
    return true;
}
void hyp_window_close(paddr_t pa, uint64_t size, enum hyp_window_use use)
{
    (void)pa, (void)size, (void)use;
    FUZZ_ASSERT(windows_open > 0, "a window closed twice");
    windows_open--;
}
bool arch_vm_translate(struct vm *m, ipa_t ipa, paddr_t *pa)
{
    uint64_t a = ipa_addr(ipa);
    FUZZ_ASSERT(m == caller->vm, "translation in another VM");
    rec.translate++;
    if (a < RAM || a - RAM >= RAM_SIZE)
        return false;
    *pa = pa_init((uint64_t)(uintptr_t)&ram[a - RAM]);
    return true;
}
bool vm_ipa_is_ram(const struct vm *m, uint64_t ipa, uint64_t size)
{
    return m == &vm && ipa >= RAM && size <= RAM_SIZE && ipa - RAM <= RAM_SIZE - size;
}
struct vcpu *vm_vcpu(struct vm *m, uint64_t id)
{
    return id < m->vcpu_count ? &m->vcpus[id] : NULL;
}
enum vcpu_start_result vm_vcpu_start(struct vm *m, uint64_t id, uint64_t entry, uint64_t arg)
{
    FUZZ_ASSERT(m == caller->vm, "hart_start in another VM");
    rec.starts++;
    rec.start_args[0] = id, rec.start_args[1] = entry, rec.start_args[2] = arg;
    return start_result;
}
noreturn void vcpu_power_off(struct vcpu *v)
{
    FUZZ_ASSERT(v == caller, "another vCPU powered off");
    rec.stops++;
    longjmp(gone, 1);
}
void vm_stop(struct vm *m, struct vcpu *c, const char *why)
{
    (void)why;
    FUZZ_ASSERT(m == caller->vm && c == caller, "vm_stop of another VM");
    rec.stops++;
}
noreturn void vm_reset(struct vm *m, struct vcpu *c, const char *why)
{
    (void)why;
    FUZZ_ASSERT(m == caller->vm && c == caller, "vm_reset of another VM");
    rec.resets++;
    longjmp(gone, 1);
}

static void build(struct vm *m, const struct vm_config *c, uint32_t count)
{
    memset(m, 0, sizeof *m);
    m->config = c;
    m->name = c->name;
    m->vcpu_count = count;
    for (uint32_t k = 0, cpu = 0; k < count; cpu++)
        if ((c->cpus >> cpu) & 1) {
            m->vcpus[k] = (struct vcpu){.vm = m, .id = k, .cpu = cpu, .state = VCPU_ON};
            k++;
        }
}

static const uint64_t exts[] = {0x00, 0x01, 0x02, 0x10, SBI_EXT_TIME, SBI_EXT_IPI,
                                SBI_EXT_RFENCE, SBI_EXT_HSM, SBI_EXT_SRST, SBI_EXT_DBCN,
                                BAOHU_SBI_EXT, 0x08, 0x4E41434C /* PMU */};

static uint64_t arg(struct fuzz_in *in, uint8_t how)
{
    switch (how & 3) {
    case 0: return fuzz_u8(in) % 8;
    case 1: return RAM + fuzz_u16(in) % (RAM_SIZE + 0x100) - 0x80;
    default: return fuzz_edgy64(in);
    }
}

/* The vCPUs (hart_mask, hart_mask_base) names, per SBI §3.3; false:
 * INVALID_PARAM (a hart the VM does not have). */
static bool spec_harts(uint64_t mask, uint64_t base, uint64_t *out)
{
    uint64_t all = (1ull << VCPUS) - 1;
    if (base == ~0ull) {
        *out = all;
        return true;
    }
    *out = 0;
    for (unsigned i = 0; i < 64; i++) {
        if (!((mask >> i) & 1))
            continue;
        if (base >= VCPUS || i >= VCPUS - base)
            return false;
        *out |= 1ull << (base + i);
    }
    return true;
}

static void one_call(struct fuzz_in *in)
{
    uint8_t b = fuzz_u8(in);
    caller = &vm.vcpus[b % VCPUS];
    struct trap_frame f, before;
    memset(&f, 0, sizeof f);
    for (unsigned i = 1; i < 32; i++)
        f.x[i] = 0x100 + i;
    uint8_t hows = fuzz_u8(in);
    f.x[REG_A7] = (b & 0x80) ? fuzz_edgy64(in) : exts[(b >> 2) % (sizeof exts / 8)];
    f.x[REG_A6] = (hows & 0x80) ? fuzz_edgy64(in) : fuzz_u8(in) % 8;
    for (unsigned i = 0; i < 6; i++)
        f.x[REG_A0 + i] = arg(in, (uint8_t)(hows >> i));
    start_result = (enum vcpu_start_result)(fuzz_u8(in) % 5);
    memset(&rec, 0, sizeof rec);
    rec.hc_ret = (int64_t)fuzz_edgy64(in);
    for (unsigned k = 0; k < VCPUS; k++)
        vm.vcpus[k].state = (enum vcpu_state)(fuzz_u8(in) % 4);
    for (size_t i = 0; i < RAM_SIZE; i += 997)
        ram[i] = (uint8_t)(i * 7);
    uint32_t ipi_before[VCPUS];
    for (unsigned k = 0; k < VCPUS; k++)
        ipi_before[k] = vm.vcpus[k].arch.virq.ipi_sent;
    before = f;
    uint64_t ext = f.x[REG_A7], fid = f.x[REG_A6];
    const uint64_t *a = before.x + REG_A0;

    if (setjmp(gone)) {
        FUZZ_ASSERT((ext == SBI_EXT_HSM && fid == SBI_HSM_HART_STOP) ||
                        (ext == SBI_EXT_SRST && fid == 0 && (a[0] == 1 || a[0] == 2) && a[1] <= 1),
                    "ext %#llx fid %#llx did not return", (unsigned long long)ext,
                    (unsigned long long)fid);
        return;
    }
    vsbi_call(caller, &f);

    bool legacy = ext <= 0x02;
    for (unsigned i = 0; i < 32; i++)
        if (i != REG_A0 && (legacy || i != REG_A1))
            FUZZ_ASSERT(f.x[i] == before.x[i], "ext %#llx changed x%u", (unsigned long long)ext, i);
    int64_t err = (int64_t)f.x[REG_A0], val = (int64_t)f.x[REG_A1];
    if (!legacy)
        FUZZ_ASSERT(err <= 0 && err >= -13, "ext %#llx fid %#llx: error %lld",
                    (unsigned long long)ext, (unsigned long long)fid, (long long)err);
    FUZZ_ASSERT(!rec.msgs || (rec.msg_cpus & ~0xdull) == 0, "IPI request to hart mask %#llx",
                (unsigned long long)rec.msg_cpus);
    FUZZ_ASSERT(rec.stops + rec.resets == 0 || (ext == SBI_EXT_SRST && fid == 0 && a[0] == 0 && a[1] <= 1),
                "VM stopped by ext %#llx fid %#llx", (unsigned long long)ext, (unsigned long long)fid);

    uint64_t targets = 0;
    bool harts_ok;
    switch (ext) {
    case SBI_EXT_BASE:
        if (fid == SBI_BASE_PROBE_EXT && err == 0) {
            bool known = false;
            for (size_t i = 0; i < sizeof exts / 8 - 2; i++)
                known |= a[0] == exts[i];
            FUZZ_ASSERT(val == known, "probe_extension(%#llx) = %lld", (unsigned long long)a[0],
                        (long long)val);
        }
        break;
    case SBI_EXT_IPI:
        if (fid != 0)
            break;
        harts_ok = spec_harts(a[0], a[1], &targets);
        FUZZ_ASSERT(err == (harts_ok ? 0 : SBI_ERR_INVALID_PARAM), "send_ipi(%#llx, %#llx): %lld",
                    (unsigned long long)a[0], (unsigned long long)a[1], (long long)err);
        for (unsigned k = 0; k < VCPUS; k++) {
            bool named = harts_ok && ((targets >> k) & 1);
            bool self = &vm.vcpus[k] == caller;
            FUZZ_ASSERT(vm.vcpus[k].arch.virq.ipi_sent - ipi_before[k] == (named && !self),
                        "send_ipi(%#llx, %#llx): vCPU %u", (unsigned long long)a[0],
                        (unsigned long long)a[1], k);
            if (self)
                FUZZ_ASSERT(rec.vssip == named, "self IPI");
        }
        break;
    case SBI_EXT_RFENCE:
        if (fid > SBI_RFENCE_SFENCE_VMA_ASID) {
            FUZZ_ASSERT(err == SBI_ERR_NOT_SUPPORTED && !rec.fw_calls, "rfence fid %llu",
                        (unsigned long long)fid);
            break;
        }
        harts_ok = spec_harts(a[0], a[1], &targets);
        FUZZ_ASSERT(harts_ok ? err == 0 : (err == SBI_ERR_INVALID_PARAM && !rec.fw_calls),
                    "rfence(%#llx, %#llx): %lld", (unsigned long long)a[0],
                    (unsigned long long)a[1], (long long)err);
        if (rec.fw_calls) {
            uint64_t harts = 0;
            for (unsigned k = 0; k < VCPUS; k++)
                if ((targets >> k) & 1)
                    harts |= 1ull << platform.cpu_hwid[vm.vcpus[k].cpu];
            FUZZ_ASSERT(rec.fw_harts == harts, "rfence to harts %#llx, want %#llx",
                        (unsigned long long)rec.fw_harts, (unsigned long long)harts);
            FUZZ_ASSERT(rec.fw_fid != SBI_RFENCE_SFENCE_VMA && rec.fw_fid != SBI_RFENCE_SFENCE_VMA_ASID,
                        "a guest sfence.vma forwarded as a host one");
        }
        break;
    case SBI_EXT_HSM:
        /* An odd start address of an existing hart is refused before any
         * start (SBI §9.1 INVALID_ADDRESS: a hart fetches 2-byte aligned at least). */
        if (fid == SBI_HSM_HART_START && (a[1] & 1) && a[0] < VCPUS)
            FUZZ_ASSERT(rec.starts == 0 && err == SBI_ERR_INVALID_ADDRESS,
                        "hart_start at an odd address: %lld", (long long)err);
        else if (fid == SBI_HSM_HART_START)
            FUZZ_ASSERT(rec.starts == 1 && rec.start_args[0] == a[0] && rec.start_args[1] == a[1] &&
                            rec.start_args[2] == a[2],
                        "hart_start arguments");
        if (fid == SBI_HSM_HART_GET_STATUS)
            FUZZ_ASSERT(a[0] < VCPUS ? err == 0 : err == SBI_ERR_INVALID_PARAM,
                        "hart_get_status(%#llx): %lld", (unsigned long long)a[0], (long long)err);
        break;
    case SBI_EXT_DBCN:
        if (fid == SBI_DBCN_CONSOLE_WRITE && err == 0) {
            FUZZ_ASSERT((uint64_t)val <= a[0] && val <= 256 && rec.putc == (unsigned)val,
                        "console_write(%llu): %lld bytes, %u printed", (unsigned long long)a[0],
                        (long long)val, rec.putc);
            FUZZ_ASSERT(val == 0 || (a[2] == 0 && vm_ipa_is_ram(&vm, a[1], a[0])),
                        "console_write from outside RAM");
            for (int64_t i = 0; i < val; i++)
                FUZZ_ASSERT(rec.out[i] == (char)ram[a[1] - RAM + (uint64_t)i], "byte %lld", (long long)i);
        }
        if (fid == SBI_DBCN_CONSOLE_READ && err == 0)
            FUZZ_ASSERT(val == 0, "console_read returned %lld bytes", (long long)val);
        break;
    case BAOHU_SBI_EXT:
        if (fid > 0xffff) {
            FUZZ_ASSERT(err == SBI_ERR_NOT_SUPPORTED && !rec.hcalls, "Baohu fid %#llx",
                        (unsigned long long)fid);
            break;
        }
        FUZZ_ASSERT(rec.hcalls == 1 && rec.hc_fid == BAOHU_HC_ID(fid), "Baohu call %#llx",
                    (unsigned long long)fid);
        if (rec.hc_ret >= 0)
            FUZZ_ASSERT(err == 0 && val == rec.hc_ret, "hypercall result");
        else
            FUZZ_ASSERT(err < 0 && val == 0, "hypercall error");
        break;
    default:
        break;
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct fuzz_in in = {data, size};
    build(&vm, &cfg, VCPUS);
    build(&other, &other_cfg, 1);
    while (fuzz_more(&in))
        one_call(&in);
    FUZZ_ASSERT(other.vcpus[0].arch.virq.ipi_sent == 0, "the other VM got an IPI");
    return 0;
}
