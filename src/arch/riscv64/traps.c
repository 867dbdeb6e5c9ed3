/* The one place that decodes a guest's traps (scause) and dispatches them (RISC-V priv. §9.4, §9.6). */
#include "arch.h"
#include "arch_regs.h"
#include "console.h"
#include "cpu.h"
#include "csr.h"
#include "ipc.h"
#include "mmio_decode.h"
#include "platform.h"
#include "sbi.h"
#include "vm.h"

void irq_handle(struct vcpu *v, uint64_t code);
void vsbi_call(struct vcpu *v, struct trap_frame *f);

/*
 * Deliver exception `cause` to the guest's own VS-mode handler, as the
 * hardware would for a delegated trap (§9.6.1 "Trap entry"): vsepc,
 * vscause, vstval, vsstatus.SPP/SPIE/SIE, then the vstvec base (exceptions
 * never use the vectored offsets, §4.1.2).
 */
static void trap_reflect(struct trap_frame *f, uint64_t cause, uint64_t tval)
{
    uint64_t vsstatus = csr_read(vsstatus);
    uint64_t sie = vsstatus & SSTATUS_SIE;
    vsstatus &= ~(SSTATUS_SPP | SSTATUS_SPIE | SSTATUS_SIE);
    if (f->sstatus & SSTATUS_SPP) /* the trap came from VS (1) or VU (0) */
        vsstatus |= SSTATUS_SPP;
    if (sie)
        vsstatus |= SSTATUS_SPIE;
    csr_write(vsstatus, vsstatus);
    csr_write(vsepc, f->sepc);
    csr_write(vscause, cause);
    csr_write(vstval, tval);
    f->sepc = csr_read(vstvec) & ~3ull;
    f->sstatus |= SSTATUS_SPP;
}

/* The first bytes at vstvec: the guest's trap entry (and, in vectored mode,
 * its interrupt vector). A fault there means its handler cannot run. */
#define VECTOR_WINDOW 0x100u

static bool trap_in_vector(const struct trap_frame *f)
{
    return (f->sstatus & SSTATUS_SPP) && f->sepc - (csr_read(vstvec) & ~3ull) < VECTOR_WINDOW;
}

/* Count and report a guest fault under the VM's policy (vm_fault); returns
 * only when the guest is to be given `inject`. */
static void trap_fault(struct vcpu *v, const struct trap_frame *f, const char *what,
                       uint64_t cause, uint64_t addr, const char *inject)
{
    struct vm_fault info = {
        .what = what,
        .syndrome = cause,
        .addr = addr,
        .pc = f->sepc,
        .inject = inject,
        .in_vector = trap_in_vector(f),
    };
    vm_fault(v, &info);
}

/*
 * An access the VM may not make: the guest gets the access fault a bus
 * error would raise on hardware (instruction 1, load 5, store/AMO 7, §3.1.15),
 * with vstval the guest virtual address from stval (hstatus.GVA = 1 for
 * these traps from V=1, §9.4.4) and vsepc the faulting instruction.
 */
static void trap_access_fault(struct vcpu *v, struct trap_frame *f, const char *what,
                              uint64_t cause, uint64_t gpa, uint64_t access_cause)
{
    static const char *const names[] = {
        [EXC_INSN_ACCESS] = "instruction access fault injected",
        [EXC_LOAD_ACCESS] = "load access fault injected",
        [EXC_STORE_ACCESS] = "store/AMO access fault injected",
    };
    uint64_t tval = csr_read(stval);
    trap_fault(v, f, what, cause, gpa, names[access_cause]);
    trap_reflect(f, access_cause, tval);
}

/* A load or store that G-stage does not map: an emulated device (the
 * interrupt controller or an IPC doorbell page), or a fault. The faulting
 * guest-physical address is htval << 2 | stval[1:0] (§9.2.11). */
static void trap_guest_page(struct vcpu *v, struct trap_frame *f, uint64_t cause)
{
    bool write = cause == EXC_STORE_GUEST_PAGE;
    uint64_t gpa = (csr_read(htval) << 2) | (csr_read(stval) & 3);
    uint64_t access = write ? EXC_STORE_ACCESS : EXC_LOAD_ACCESS;
    bool chip = virq_owns_ipa(v->vm, gpa);
    bool vuart = !chip && vuart_owns(v->vm, ipa_init(gpa));
    struct mmio_insn insn;

    if (!chip && !vuart && !ipc_is_doorbell(v->vm, ipa_init(gpa))) {
        trap_access_fault(v, f, write ? "G-stage store/AMO guest-page fault"
                                      : "G-stage load guest-page fault", cause, gpa, access);
        return;
    }
    /* An emulated device takes plain loads and stores of a size and at a
     * register it has; anything else (an AMO, LR/SC, an FP access, a
     * misaligned or odd-sized access) is an access fault, as a bus would
     * answer it. */
    /* A fault of mmio_decode's HLVX read (trap.S, guest_code_read) is taken in HS-mode and
     * overwrites stval: the access fault the guest gets carries its own address again. */
    uint64_t tval = csr_read(stval);
    if (!mmio_decode(f, csr_read(htinst), &insn) || insn.write != write) {
        csr_write(stval, tval);
        trap_access_fault(v, f, "emulated device access by an instruction that cannot be emulated",
                          cause, gpa, access);
        return;
    }
    struct mmio_access acc = {
        .addr = ipa_init(gpa),
        .size = insn.size,
        .write = write,
        .value = write ? f->x[insn.reg] : 0,
    };
    if (gpa & (insn.size - 1)) {
        trap_access_fault(v, f, "unaligned access to an emulated device", cause, gpa, access);
        return;
    }
    if (acc.write && acc.size < 8)
        acc.value &= (1ull << (8 * acc.size)) - 1;
    if (!(chip     ? virq_mmio_access(v, &acc)
          : vuart ? vuart_mmio_access(v, &acc)
                  : ipc_doorbell_access(v, &acc))) {
        trap_access_fault(v, f, "emulated device has no such register or access size", cause,
                          gpa, access);
        return;
    }
    if (!acc.write)
        mmio_decode_complete(f, &insn, acc.value);
    f->sepc += insn.len;
    vm_fault_progress(v);
}

/* Back to the guest, unless this vCPU was stopped meanwhile. */
void trap_exit(struct vcpu *v)
{
    if (v->state != VCPU_ON)
        arch_cpu_park();
    vm_fault_summary_check(v->vm);
    vcpu_flush(v);
}

void guest_trap(struct trap_frame *f)
{
    struct vcpu *v = cpu_current()->vcpu;
    uint64_t cause = csr_read(scause);
    v->exits++;

    if (cause & SCAUSE_IRQ) {
        v->exit_causes[BAOHU_EXIT_IRQ]++;
        irq_handle(v, cause & ~SCAUSE_IRQ);
        trap_exit(v);
        return;
    }
    switch (cause) {
    case EXC_ECALL_VS:
        v->exit_causes[BAOHU_EXIT_CALL]++;
        f->sepc += 4; /* ecall is never compressed */
        vm_fault_progress(v);
        vsbi_call(v, f);
        break;
    case EXC_LOAD_GUEST_PAGE:
    case EXC_STORE_GUEST_PAGE:
        v->exit_causes[BAOHU_EXIT_MMIO]++;
        trap_guest_page(v, f, cause);
        break;
    case EXC_INSN_GUEST_PAGE:
        /* Nothing is emulated at an instruction fetch. */
        v->exit_causes[BAOHU_EXIT_OTHER]++;
        trap_access_fault(v, f, "G-stage instruction guest-page fault", cause,
                          (csr_read(htval) << 2) | (csr_read(stval) & 3), EXC_INSN_ACCESS);
        break;
    case EXC_INSN_ACCESS:
    case EXC_LOAD_ACCESS:
    case EXC_STORE_ACCESS:
        /* A mapped page with nothing (or something refusing) behind it, or
         * a PMP check: the guest gets the same access fault. */
        v->exit_causes[BAOHU_EXIT_OTHER]++;
        trap_access_fault(v, f, "access fault", cause, csr_read(htval) << 2, cause);
        break;
    case EXC_VIRTUAL_INSN:
        /* A VS-mode instruction the H extension leaves to the hypervisor
         * (a hypervisor CSR or instruction, a counter hcounteren withholds,
         * stimecmp without Sstc, §9.6.1): Baohu emulates none of them, so
         * the guest sees the illegal instruction it would see on a hart
         * without that feature; stval keeps the instruction bits. */
        v->exit_causes[BAOHU_EXIT_SYSREG]++;
        trap_fault(v, f, "virtual instruction (not emulated)", cause, 0,
                   "illegal instruction injected");
        trap_reflect(f, EXC_ILLEGAL, csr_read(stval));
        break;
    default: {
        /* A cause Baohu neither delegates nor expects. */
        v->exit_causes[BAOHU_EXIT_OTHER]++;
        struct vm_fault info = {
            .what = "unexpected trap", .syndrome = cause, .addr = csr_read(stval), .pc = f->sepc,
        };
        vm_fault_fatal(v, &info);
    }
    }
    trap_exit(v);
}

extern bool arch_console_up;

/* Per CPU: inside hyp_trap_unexpected already (a trap while reporting one). */
static bool hyp_trap_reporting[PLATFORM_MAX_CPUS];

/* The firmware's console, one byte at a time through the legacy
 * console_putchar (SBI v2.0 §5.2: OpenSBI 1.1 has no DBCN). It needs no
 * state of Baohu's: no UART set-up, no lock. */
static void hyp_trap_firmware_puts(const char *s)
{
    for (; *s; s++)
        sbi_call(SBI_EXT_LEGACY_PUTCHAR, 0, (uint8_t)*s, 0, 0, 0, 0);
}

/*
 * A trap taken in HS-mode itself is a bug in Baohu: say where, stop this
 * CPU. Before Baohu's console is up (the UART is not set up, and a trap in
 * the early boot path may come from inside it), and for a trap taken while
 * already reporting one (say, inside the console with its lock held), the
 * line goes to the firmware's console instead, so the bug is never silent
 * and never waits on a lock.
 */
void hyp_trap_unexpected(struct trap_frame *f)
{
    /* tp may not be set yet (a trap before arch_boot_cpu): the hart id
     * names the CPU then, which also needs no Baohu state. */
    struct cpu *c = arch_cpu_current();
    bool early = !__atomic_load_n(&arch_console_up, __ATOMIC_ACQUIRE) || c == NULL;
    cpuid_t id = early ? 0 : c->id;
    bool nested = !early && id < PLATFORM_MAX_CPUS && hyp_trap_reporting[id];
    char line[CONSOLE_LINE_MAX];

    fmt_format(line, sizeof(line),
               "PANIC on CPU %u: HS-mode trap scause 0x%lx stval 0x%lx sepc 0x%lx ra 0x%lx",
               id, (unsigned long)csr_read(scause), (unsigned long)csr_read(stval),
               (unsigned long)f->sepc, (unsigned long)f->x[REG_RA]);
    if (early || nested || id >= PLATFORM_MAX_CPUS) {
        hyp_trap_firmware_puts(early ? "[baohu] (before the console) " : "[baohu] (nested) ");
        hyp_trap_firmware_puts(line);
        hyp_trap_firmware_puts("\n");
    } else {
        hyp_trap_reporting[id] = true;
        console_log("%s", line);
    }
    for (;;)
        __asm__ volatile("wfi");
}
