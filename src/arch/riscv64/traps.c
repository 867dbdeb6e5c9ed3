/* The one place that decodes a guest's traps (scause) and dispatches them (RISC-V priv. §9.4, §9.6). */
#include "arch.h"
#include "arch_regs.h"
#include "console.h"
#include "cpu.h"
#include "csr.h"
#include "ipc.h"
#include "mmio_decode.h"
#include "vm.h"

void irq_handle(struct vcpu *v, uint64_t code);
void vsbi_call(struct vcpu *v, struct trap_frame *f);

static noreturn void trap_fault(struct vcpu *v, const struct trap_frame *f, const char *what,
                                uint64_t cause, uint64_t addr)
{
    vm_fault(v, what, cause, addr, f->sepc);
}

/*
 * Deliver exception `cause` to the guest's own VS-mode handler, as the
 * hardware would for a delegated trap (§9.6.1 "Trap entry"): vsepc,
 * vscause, vstval, vsstatus.SPP/SPIE/SIE, then the vstvec base (exceptions
 * never use the vectored offsets, §4.1.2).
 */
static void trap_reflect(struct trap_frame *f, uint64_t cause, uint64_t tval)
{
    uint64_t vsstatus = csr_read(vsstatus);
    vsstatus &= ~(SSTATUS_SPP | SSTATUS_SPIE | SSTATUS_SIE);
    if (f->sstatus & SSTATUS_SPP)
        vsstatus |= SSTATUS_SPP;
    if (csr_read(vsstatus) & SSTATUS_SIE)
        vsstatus |= SSTATUS_SPIE;
    csr_write(vsstatus, vsstatus);
    csr_write(vsepc, f->sepc);
    csr_write(vscause, cause);
    csr_write(vstval, tval);
    f->sepc = csr_read(vstvec) & ~3ull;
    f->sstatus |= SSTATUS_SPP;
}

/* A load or store that G-stage does not map: an emulated device (the
 * interrupt controller or an IPC doorbell page), or a fault. The faulting
 * guest-physical address is htval << 2 | stval[1:0] (§9.2.11). */
static void trap_guest_page(struct vcpu *v, struct trap_frame *f, uint64_t cause)
{
    bool write = cause == EXC_STORE_GUEST_PAGE;
    uint64_t gpa = (csr_read(htval) << 2) | (csr_read(stval) & 3);
    bool chip = virq_owns_ipa(v->vm, gpa);
    struct mmio_insn insn;

    if (!chip && !ipc_is_doorbell(v->vm, ipa_init(gpa)))
        trap_fault(v, f, write ? "G-stage store/AMO guest-page fault"
                               : "G-stage load guest-page fault", cause, gpa);
    if (!mmio_decode(f, csr_read(htinst), &insn) || insn.write != write)
        trap_fault(v, f, "emulated device access by an instruction that cannot be emulated",
                   cause, gpa);
    struct mmio_access acc = {
        .addr = ipa_init(gpa),
        .size = insn.size,
        .write = write,
        .value = write ? f->x[insn.reg] : 0,
    };
    if (acc.write && acc.size < 8)
        acc.value &= (1ull << (8 * acc.size)) - 1;
    if (!(chip ? virq_mmio_access(v, &acc) : ipc_doorbell_access(v, &acc)))
        trap_fault(v, f, "access to an emulated device register that does not exist", cause, gpa);
    if (!acc.write)
        mmio_decode_complete(f, &insn, acc.value);
    f->sepc += insn.len;
}

/* Back to the guest, unless this vCPU was stopped meanwhile. */
void trap_exit(struct vcpu *v)
{
    if (v->state != VCPU_ON)
        arch_cpu_park();
    vcpu_flush(v);
}

void guest_trap(struct trap_frame *f)
{
    struct vcpu *v = cpu_current()->vcpu;
    uint64_t cause = csr_read(scause);

    if (cause & SCAUSE_IRQ) {
        irq_handle(v, cause & ~SCAUSE_IRQ);
        trap_exit(v);
        return;
    }
    switch (cause) {
    case EXC_ECALL_VS:
        f->sepc += 4; /* ecall is never compressed */
        vsbi_call(v, f);
        break;
    case EXC_LOAD_GUEST_PAGE:
    case EXC_STORE_GUEST_PAGE:
        trap_guest_page(v, f, cause);
        break;
    case EXC_INSN_GUEST_PAGE:
        trap_fault(v, f, "G-stage instruction guest-page fault", cause,
                   (csr_read(htval) << 2) | (csr_read(stval) & 3));
    case EXC_VIRTUAL_INSN:
        /* A VS-mode instruction the H extension leaves to the hypervisor
         * (e.g. stimecmp without Sstc, §9.6.1): Baohu emulates none of them,
         * so the guest sees the illegal instruction it would see on a hart
         * without that feature. */
        trap_reflect(f, EXC_ILLEGAL, csr_read(stval));
        break;
    default:
        trap_fault(v, f, "unexpected trap", cause, csr_read(stval));
    }
    trap_exit(v);
}

/* A trap taken in HS-mode itself is a bug in Baohu: say where, stop this CPU. */
void hyp_trap_unexpected(struct trap_frame *f)
{
    console_log("PANIC on CPU %u: HS-mode trap scause 0x%lx stval 0x%lx sepc 0x%lx ra 0x%lx",
                arch_cpu_id(), (unsigned long)csr_read(scause), (unsigned long)csr_read(stval),
                (unsigned long)f->sepc, (unsigned long)f->x[REG_RA]);
    for (;;)
        __asm__ volatile("wfi");
}
