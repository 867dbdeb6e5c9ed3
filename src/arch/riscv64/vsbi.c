/* SBI emulation for guests (SBI spec v2.0): every call acts on the calling VM and its own harts only. */
#include <baohu/hypercall.h>
#include "arch.h"
#include "arch_regs.h"
#include "console.h"
#include "cpu.h"
#include "csr.h"
#include "hyp_mem.h"
#include "hypercall.h"
#include "platform.h"
#include "sbi.h"
#include "sbi_rules.h"
#include "vm.h"
#include "vtimer.h"

/* SBI v2.0: what a stock kernel looks for before it uses DBCN (SBI v2.0 §12). */
#define VSBI_SPEC_VERSION SBI_SPEC_VERSION(2, 0)

static bool vsbi_ext_supported(uint64_t ext)
{
    switch (ext) {
    case SBI_EXT_LEGACY_SET_TIMER:
    case SBI_EXT_LEGACY_PUTCHAR:
    case SBI_EXT_LEGACY_GETCHAR:
    case SBI_EXT_BASE:
    case SBI_EXT_TIME:
    case SBI_EXT_IPI:
    case SBI_EXT_RFENCE:
    case SBI_EXT_HSM:
    case SBI_EXT_SRST:
    case SBI_EXT_DBCN:
    case BAOHU_SBI_EXT:
        return true;
    default:
        return false;
    }
}

static struct sbiret vsbi_base(uint64_t fid, uint64_t a0)
{
    switch (fid) {
    case SBI_BASE_GET_SPEC_VERSION:
        return (struct sbiret){SBI_SUCCESS, VSBI_SPEC_VERSION};
    case SBI_BASE_GET_IMPL_ID:
        return (struct sbiret){SBI_SUCCESS, BAOHU_SBI_IMPL_ID};
    case SBI_BASE_GET_IMPL_VERSION:
        return (struct sbiret){SBI_SUCCESS, (BAOHU_ABI_MAJOR << 16) | BAOHU_ABI_MINOR};
    case SBI_BASE_PROBE_EXT:
        return (struct sbiret){SBI_SUCCESS, vsbi_ext_supported(a0)};
    case SBI_BASE_GET_MVENDORID:
    case SBI_BASE_GET_MARCHID:
    case SBI_BASE_GET_MIMPID:
        /* The hart's identity is the firmware's to tell (M-mode CSRs). */
        return sbi_call(SBI_EXT_BASE, fid, 0, 0, 0, 0, 0);
    default:
        return (struct sbiret){SBI_ERR_NOT_SUPPORTED, 0};
    }
}

/*
 * The vCPUs named by (hart_mask, hart_mask_base) (SBI §3.3): base -1 means
 * every hart. Hart ids are the VM's own vCPU numbers; naming one the VM
 * does not have is SBI_ERR_INVALID_PARAM, and nothing is done then.
 */
static bool vsbi_harts(const struct vm *vm, uint64_t mask, uint64_t base, uint64_t *vcpus)
{
    uint64_t all = vm->vcpu_count >= 64 ? ~0ull : (1ull << vm->vcpu_count) - 1;

    if (base == ~0ull) {
        *vcpus = all;
        return true;
    }
    /* An empty mask names no hart whatever the base; it is tested first
     * so that no shift by a base of 64 or more (undefined in C) is made
     * (found by tests/fuzz/fuzz_sbi.c). */
    if (mask == 0) {
        *vcpus = 0;
        return true;
    }
    if (base >= vm->vcpu_count || (mask << base) >> base != mask || ((mask << base) & ~all))
        return false;
    *vcpus = mask << base;
    return true;
}

static struct sbiret vsbi_ipi(struct vcpu *v, uint64_t mask, uint64_t base)
{
    uint64_t targets;

    if (!vsbi_harts(v->vm, mask, base, &targets))
        return (struct sbiret){SBI_ERR_INVALID_PARAM, 0};
    for (uint32_t i = 0; i < v->vm->vcpu_count; i++) {
        if (!(targets >> i & 1))
            continue;
        struct vcpu *t = &v->vm->vcpus[i];
        if (t == v) {
            csr_set(hvip, 1u << IRQ_VSSI);
            v->irqs_injected++;
            continue;
        }
        /* One request per 0->1 of the target's `ipi`, which stays set while
         * the target has not taken its last IPI (vcpu.c): a storm of IPIs
         * at a vCPU that does not take them costs its pCPU one. */
        __atomic_fetch_add(&t->arch.virq.ipi_sent, 1, __ATOMIC_RELAXED);
        if (!__atomic_exchange_n(&t->arch.virq.ipi, 1, __ATOMIC_ACQ_REL))
            cpu_msg_send(t->cpu, CPU_MSG_VIRQ);
    }
    return (struct sbiret){SBI_SUCCESS, 0};
}

/*
 * Remote fences (SBI §8) go to the firmware for the physical harts of the
 * named vCPUs. A guest's SFENCE.VMA is, for the hart running it, an
 * HFENCE.VVMA under the VM's VMID: the firmware's HFENCE_VVMA calls use the
 * VMID in the caller's hgatp (§8.6, §8.7), which is this VM's right now.
 */
static struct sbiret vsbi_rfence(struct vcpu *v, uint64_t fid, const uint64_t *a)
{
    uint64_t targets, harts = 0;

    if (fid > SBI_RFENCE_SFENCE_VMA_ASID)
        return (struct sbiret){SBI_ERR_NOT_SUPPORTED, 0}; /* HFENCE: no nested H */
    if (!vsbi_harts(v->vm, a[0], a[1], &targets))
        return (struct sbiret){SBI_ERR_INVALID_PARAM, 0};
    for (uint32_t i = 0; i < v->vm->vcpu_count; i++)
        if (targets >> i & 1)
            harts |= 1ull << platform.cpu_hwid[v->vm->vcpus[i].cpu];
    if (harts == 0)
        return (struct sbiret){SBI_SUCCESS, 0};
    switch (fid) {
    case SBI_RFENCE_FENCE_I:
        return sbi_call(SBI_EXT_RFENCE, SBI_RFENCE_FENCE_I, harts, 0, 0, 0, 0);
    case SBI_RFENCE_SFENCE_VMA:
        return sbi_call(SBI_EXT_RFENCE, SBI_RFENCE_HFENCE_VVMA, harts, 0, a[2], a[3], 0);
    default:
        return sbi_call(SBI_EXT_RFENCE, SBI_RFENCE_HFENCE_VVMA_ASID, harts, 0, a[2], a[3], a[4]);
    }
}

static struct sbiret vsbi_hsm(struct vcpu *v, uint64_t fid, const uint64_t *a)
{
    struct vcpu *t;

    switch (fid) {
    case SBI_HSM_HART_START:
        /* No instruction starts at an odd address (pc[0] is always 0, priv. §3.1.15): the
         * hart would fetch from somewhere it was not sent (SBI §9.1, INVALID_ADDRESS). */
        if ((a[1] & 1) && vm_vcpu(v->vm, a[0]))
            return (struct sbiret){SBI_ERR_INVALID_ADDRESS, 0};
        switch (vm_vcpu_start(v->vm, a[0], a[1], a[2])) {
        case VCPU_START_OK:
            return (struct sbiret){SBI_SUCCESS, 0};
        case VCPU_START_NO_SUCH_VCPU:
            return (struct sbiret){SBI_ERR_INVALID_PARAM, 0};
        case VCPU_START_ALREADY_ON:
        case VCPU_START_ALREADY_PENDING:
            return (struct sbiret){SBI_ERR_ALREADY_AVAILABLE, 0};
        case VCPU_START_BAD_ENTRY:
            return (struct sbiret){SBI_ERR_INVALID_ADDRESS, 0};
        case VCPU_START_VM_RESETTING: /* the caller is being taken out itself */
            return (struct sbiret){SBI_ERR_FAILED, 0};
        }
        return (struct sbiret){SBI_ERR_FAILED, 0};
    case SBI_HSM_HART_STOP:
        vcpu_power_off(v);
    case SBI_HSM_HART_GET_STATUS:
        t = vm_vcpu(v->vm, a[0]);
        if (!t)
            return (struct sbiret){SBI_ERR_INVALID_PARAM, 0};
        return (struct sbiret){SBI_SUCCESS, t->state == VCPU_ON           ? SBI_HSM_STARTED
                                            : t->state == VCPU_START_PENDING ? SBI_HSM_START_PENDING
                                                                          : SBI_HSM_STOPPED};
    case SBI_HSM_HART_SUSPEND:
        /* A default retentive suspend may end at once, like a WFI that wakes
         * early (SBI v2.0 §9.4: it resumes on any interrupt); the vCPU keeps
         * its hart anyway. No non-retentive or platform-specific states. */
        switch (sbi_rules_suspend(a[0])) {
        case SBI_SUSPEND_RETENTIVE:
            return (struct sbiret){SBI_SUCCESS, 0};
        case SBI_SUSPEND_UNSUPPORTED:
            return (struct sbiret){SBI_ERR_NOT_SUPPORTED, 0};
        case SBI_SUSPEND_INVALID:
            break;
        }
        return (struct sbiret){SBI_ERR_INVALID_PARAM, 0};
    default:
        return (struct sbiret){SBI_ERR_NOT_SUPPORTED, 0};
    }
}

/* SRST (SBI v2.0 §10.1): the "system" is the calling VM. A reserved or
 * vendor type or reason is refused before anything happens. */
static struct sbiret vsbi_srst(struct vcpu *v, uint64_t fid, uint64_t type, uint64_t reason)
{
    if (fid != SBI_SRST_RESET)
        return (struct sbiret){SBI_ERR_NOT_SUPPORTED, 0};
    int64_t err = sbi_rules_srst(type, reason);
    if (err != SBI_SUCCESS)
        return (struct sbiret){err, 0};
    if (type == SBI_SRST_SHUTDOWN) {
        vm_stop(v->vm, v, "SBI SRST shutdown");
        return (struct sbiret){SBI_ERR_FAILED, 0};
    }
    vm_reset(v->vm, v, "SBI SRST reboot");
}

/*
 * DBCN (SBI v2.0 §12): the guest's bytes join its tagged console line like
 * the legacy putchar's. The buffer is a guest-physical address: it must lie
 * within one of the VM's RAM regions as a whole (else SBI_ERR_INVALID_PARAM,
 * §12.1), and is read through the VM's own G-stage translation page by page,
 * never at an address the guest names. A write takes at most
 * VSBI_DBCN_CHUNK bytes and returns how many it took (§12.1 allows a
 * partial write); the caller writes the rest with the next call. Guests have
 * no console input path (input goes to no VM on the shared console), so a
 * read returns 0 bytes (§12.2).
 */
#define VSBI_DBCN_CHUNK 256u

static struct sbiret vsbi_dbcn(struct vcpu *v, uint64_t fid, const uint64_t *a)
{
    uint64_t addr;
    int64_t err;

    switch (fid) {
    case SBI_DBCN_CONSOLE_WRITE:
    case SBI_DBCN_CONSOLE_READ:
        err = sbi_rules_dbcn_addr(a[1], a[2], &addr);
        if (err != SBI_SUCCESS)
            return (struct sbiret){err, 0};
        if (a[0] == 0)
            return (struct sbiret){SBI_SUCCESS, 0};
        if (!vm_ipa_is_ram(v->vm, addr, a[0]))
            return (struct sbiret){SBI_ERR_INVALID_PARAM, 0};
        if (fid == SBI_DBCN_CONSOLE_READ)
            return (struct sbiret){SBI_SUCCESS, 0};
        break;
    case SBI_DBCN_CONSOLE_WRITE_BYTE:
        console_guest_putc(&v->vm->console, v->vm->name, (char)(a[0] & 0xff));
        return (struct sbiret){SBI_SUCCESS, 0};
    default:
        return (struct sbiret){SBI_ERR_NOT_SUPPORTED, 0};
    }
    uint64_t n = a[0] < VSBI_DBCN_CHUNK ? a[0] : VSBI_DBCN_CHUNK;
    for (uint64_t off = 0; off < n;) {
        uint64_t ipa = addr + off;
        uint64_t chunk = PAGE_SIZE - (ipa & (PAGE_SIZE - 1));
        if (chunk > n - off)
            chunk = n - off;
        paddr_t pa;
        if (!arch_vm_translate(v->vm, ipa_init(ipa), &pa))
            return (struct sbiret){off ? SBI_SUCCESS : SBI_ERR_INVALID_PARAM, (int64_t)off};
        /* The page is the guest's: Baohu maps it only for this read. */
        paddr_t page = pa_init(ALIGN_DOWN(pa_addr(pa), PAGE_SIZE));
        if (!hyp_window_open(page, PAGE_SIZE, HYP_WINDOW_READ))
            return (struct sbiret){off ? SBI_SUCCESS : SBI_ERR_FAILED, (int64_t)off};
        const volatile char *p = (const volatile char *)(uintptr_t)pa_addr(pa);
        for (uint64_t i = 0; i < chunk; i++)
            console_guest_putc(&v->vm->console, v->vm->name, p[i]);
        hyp_window_close(page, PAGE_SIZE, HYP_WINDOW_READ);
        off += chunk;
    }
    return (struct sbiret){SBI_SUCCESS, (int64_t)n};
}

static int64_t vsbi_error(int64_t baohu_error)
{
    switch (baohu_error) {
    case BAOHU_HC_ERR_NOT_SUPPORTED: return SBI_ERR_NOT_SUPPORTED;
    case BAOHU_HC_ERR_INVALID_PARAM: return SBI_ERR_INVALID_PARAM;
    case BAOHU_HC_ERR_DENIED: return SBI_ERR_DENIED;
    case BAOHU_HC_ERR_ALREADY_RUNNING: return SBI_ERR_ALREADY_STARTED;
    case BAOHU_HC_ERR_ALREADY_STOPPED: return SBI_ERR_ALREADY_STOPPED;
    case BAOHU_HC_ERR_BUSY: return SBI_ERR_INVALID_STATE;
    default: return SBI_ERR_FAILED;
    }
}

/* Baohu's own calls (include/baohu/hypercall.h), decoded by the core. */
static struct sbiret vsbi_baohu(struct vcpu *v, uint64_t fid, const uint64_t *a)
{
    if (fid > 0xffff)
        return (struct sbiret){SBI_ERR_NOT_SUPPORTED, 0};
    uint64_t args[HYPERCALL_ARGS] = {a[0], a[1], a[2], a[3], a[4]};
    int64_t r = hypercall_handle(v, BAOHU_HC_ID(fid), args);
    if (r < 0)
        return (struct sbiret){vsbi_error(r), 0};
    return (struct sbiret){SBI_SUCCESS, r};
}

void vsbi_call(struct vcpu *v, struct trap_frame *f)
{
    uint64_t ext = f->x[REG_A7], fid = f->x[REG_A6];
    const uint64_t *a = &f->x[REG_A0];
    struct sbiret r = {SBI_ERR_NOT_SUPPORTED, 0};

    switch (ext) {
    /* Legacy extensions (SBI §5) return only a0. */
    case SBI_EXT_LEGACY_SET_TIMER:
        vtimer_set(v, a[0]);
        f->x[REG_A0] = 0;
        return;
    case SBI_EXT_LEGACY_PUTCHAR:
        console_guest_putc(&v->vm->console, v->vm->name, (char)a[0]);
        f->x[REG_A0] = 0;
        return;
    case SBI_EXT_LEGACY_GETCHAR:
        f->x[REG_A0] = (uint64_t)-1; /* no input for guests on the shared console */
        return;
    case SBI_EXT_BASE:
        r = vsbi_base(fid, a[0]);
        break;
    case SBI_EXT_TIME:
        if (fid == 0) {
            vtimer_set(v, a[0]);
            r = (struct sbiret){SBI_SUCCESS, 0};
        }
        break;
    case SBI_EXT_IPI:
        if (fid == 0)
            r = vsbi_ipi(v, a[0], a[1]);
        break;
    case SBI_EXT_RFENCE:
        r = vsbi_rfence(v, fid, a);
        break;
    case SBI_EXT_HSM:
        r = vsbi_hsm(v, fid, a);
        break;
    case SBI_EXT_SRST:
        r = vsbi_srst(v, fid, a[0], a[1]);
        break;
    case SBI_EXT_DBCN:
        r = vsbi_dbcn(v, fid, a);
        break;
    case BAOHU_SBI_EXT:
        r = vsbi_baohu(v, fid, a);
        break;
    default:
        break;
    }
    f->x[REG_A0] = (uint64_t)r.error;
    f->x[REG_A1] = (uint64_t)r.value;
}
