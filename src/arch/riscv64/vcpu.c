/* vCPU state on RV64: HS-mode delegation, VS-mode reset state, entering the guest (RISC-V priv. §9.2). */
#include "arch.h"
#include "arch_layout.h"
#include "arch_regs.h"
#include "cpu.h"
#include "csr.h"
#include "vm.h"
#include "vtimer.h"

extern char __stacks_start[];
noreturn void arch_frame_enter(struct trap_frame *frame);

/*
 * hedeleg (§9.2.2): the guest's own synchronous exceptions go straight to
 * its VS-mode handler: misaligned fetch, load and store/AMO (a misaligned
 * AMO on its own RAM is the guest's business, as on bare hardware), illegal
 * instruction, breakpoint, ecall from VU, and its own (VS-stage) page
 * faults. Access faults, guest-page faults, ecalls from VS and
 * virtual-instruction traps stay here: traps.c counts and reports them and
 * reflects the exception the guest is to see (docs/design.md, "Fault model").
 */
#define HEDELEG_VALUE ((1u << EXC_INSN_MISALIGNED) | (1u << EXC_LOAD_MISALIGNED) | \
                       (1u << EXC_STORE_MISALIGNED) | (1u << EXC_ILLEGAL) | \
                       (1u << EXC_BREAKPOINT) | (1u << EXC_ECALL_U) | (1u << EXC_INSN_PAGE) | \
                       (1u << EXC_LOAD_PAGE) | (1u << EXC_STORE_PAGE))
/* hideleg (§9.2.2): VS-level software, timer and external interrupts are the guest's. */
#define HIDELEG_VALUE ((1u << IRQ_VSSI) | (1u << IRQ_VSTI) | (1u << IRQ_VSEI))
/* hcounteren (§9.2.5): cycle, time and instret readable by the guest without a trap. */
#define HCOUNTEREN_VALUE 0x7u
/* Baohu takes IPIs and external interrupts; its timer only without Sstc (vtimer.c). */
#define SIE_VALUE ((1u << IRQ_SSI) | (1u << IRQ_SEI))

static bool cpu_has_sstc[MAX_CPUS];

bool vcpu_sstc(void)
{
    return cpu_has_sstc[arch_cpu_id()];
}

struct trap_frame *vcpu_frame(void)
{
    uintptr_t top = (uintptr_t)__stacks_start + (arch_cpu_id() + 1) * STACK_SLOT;
    return (struct trap_frame *)(top - FRAME_SIZE);
}

/* HS-mode controls that are the same for every vCPU. */
void hs_init(void)
{
    csr_write(hedeleg, HEDELEG_VALUE);
    csr_write(hideleg, HIDELEG_VALUE);
    csr_write(hcounteren, HCOUNTEREN_VALUE);
    csr_write(htimedelta, 0);
    csr_write(hvip, 0);
    /* henvcfg.STCE is read-only 0 unless the hart has Sstc and M-mode enabled
     * it (Sstc spec, menvcfg/henvcfg): what sticks says whether guests get
     * vstimecmp. */
    csr_set(henvcfg, HENVCFG_STCE);
    cpu_has_sstc[arch_cpu_id()] = (csr_read(henvcfg) & HENVCFG_STCE) != 0;
    if (cpu_has_sstc[arch_cpu_id()])
        csr_write(vstimecmp, ~0ull);
    csr_write(sie, SIE_VALUE);
}

/*
 * SBI IPIs (vsbi.c) become hvip.VSSIP on the target's hart. A sender counts
 * the IPI in ipi_sent and posts CPU_MSG_VIRQ only if it is the one that sets
 * `ipi`. The target clears `ipi` as it sets VSSIP, unless VSSIP is still set
 * from the last one: the guest has not taken that yet, so this one merges
 * with it, and `ipi` stays set ("stalled") so that no sender posts again,
 * however many IPIs a storm sends, until the guest takes it. The guest
 * clears VSSIP without a trap (it is its sip.SSIP); the target notices on
 * its next exit or, with Sstc (Baohu's own stimecmp is free then), within
 * IPI_POLL_TICKS. Then `ipi` is cleared, and if anything was sent during the
 * stall VSSIP is set once more: a send after the guest's take is never lost,
 * at the price of at most one spurious software interrupt per stall.
 * Without Sstc there is no stall: each taken request re-opens posting.
 */
#define IPI_POLL_TICKS 1000u /* 100 us of the 10 MHz time CSR */

static void ipi_poll(bool on)
{
    if (on) {
        csr_write(CSR_STIMECMP, csr_read(time) + IPI_POLL_TICKS);
        csr_set(sie, 1u << IRQ_STI);
    } else {
        csr_clear(sie, 1u << IRQ_STI);
        csr_write(CSR_STIMECMP, ~0ull);
    }
}

static void ipi_sync(struct vcpu *v)
{
    struct virq_cpu *c = &v->arch.virq;
    bool vssip = (csr_read(hvip) & (1u << IRQ_VSSI)) != 0;

    if (c->ipi_stalled) {
        if (vssip)
            return;
        c->ipi_stalled = false;
        ipi_poll(false);
        /* The exchange acquires every stalled sender's count. */
        (void)__atomic_exchange_n(&c->ipi, 0, __ATOMIC_ACQ_REL);
        if (__atomic_load_n(&c->ipi_sent, __ATOMIC_RELAXED) != c->ipi_mark)
            csr_set(hvip, 1u << IRQ_VSSI);
        return;
    }
    if (!__atomic_load_n(&c->ipi, __ATOMIC_ACQUIRE))
        return;
    if (vssip && vcpu_sstc()) {
        c->ipi_stalled = true;
        c->ipi_mark = __atomic_load_n(&c->ipi_sent, __ATOMIC_RELAXED);
        ipi_poll(true);
        return;
    }
    (void)__atomic_exchange_n(&c->ipi, 0, __ATOMIC_ACQ_REL);
    csr_set(hvip, 1u << IRQ_VSSI);
}

static void ipi_reset(struct vcpu *v)
{
    v->arch.virq.ipi_stalled = false;
    if (vcpu_sstc())
        ipi_poll(false);
    __atomic_store_n(&v->arch.virq.ipi, 0, __ATOMIC_RELEASE);
}

void arch_vcpu_reset(struct vcpu *v, uint64_t entry, uint64_t arg)
{
    struct trap_frame *f = vcpu_frame();
    for (unsigned i = 0; i < 32; i++)
        f->x[i] = 0;
    /* Boot register state of SBI HSM hart_start (§9.1) and of the boot hart:
     * a0 = hart id, a1 = opaque / DTB, VS-mode, translation off. */
    f->x[REG_A0] = v->id;
    f->x[REG_A1] = arg;
    f->sepc = entry;
    /* SPP = 1: sret enters VS-mode. FS = Initial: the vCPU owns its hart's FP
     * unit (Baohu itself never touches it), so nothing needs switching. */
    f->sstatus = SSTATUS_SPP | SSTATUS_FS_INITIAL;
    f->hstatus = HSTATUS_VSXL_64 | HSTATUS_SPV | HSTATUS_SPVP;
    f->cpu = cpu_current();

    csr_write(vsstatus, 0);
    csr_write(vsie, 0);
    csr_write(vstvec, 0);
    csr_write(vsscratch, 0);
    csr_write(vsepc, 0);
    csr_write(vscause, 0);
    csr_write(vstval, 0);
    csr_write(vsatp, 0);
    csr_write(hvip, 0);
    vtimer_reset(v);
    ipi_reset(v);

    csr_write(hgatp, v->vm->arch.hgatp);
    /* Nothing cached under this VMID may survive a reset (§9.3.2). */
    hfence_gvma_vmid(v->vm->id + 1);
    hfence_vvma_all();
    irqchip_vcpu_reset(f);
    virq_vcpu_online(v);
}

void arch_vcpu_quiesce(struct vcpu *v)
{
    /* A guest timer or interrupt must not keep firing at a hart nobody
     * listens on; what arrives for it from now on waits in the virtual
     * controller. */
    vtimer_reset(v);
    virq_vcpu_offline(v);
    csr_write(hvip, 0);
    ipi_reset(v);
}

void virq_line_set(bool on)
{
    if (on)
        csr_set(hvip, 1u << IRQ_VSEI);
    else
        csr_clear(hvip, 1u << IRQ_VSEI);
}

/* On the way into the guest (entry and every trap exit). */
void vcpu_flush(struct vcpu *v)
{
    if (v->arch.virq.ipi_stalled)
        ipi_sync(v);
    virq_flush(v);
}

noreturn void arch_vcpu_enter(struct vcpu *v)
{
    vcpu_flush(v);
    arch_frame_enter(vcpu_frame());
}

/* CPU_MSG_VIRQ: an SBI IPI; the external line is applied by virq_flush on
 * the way out. */
void arch_vcpu_virq_sync(struct vcpu *v)
{
    ipi_sync(v);
}

/* Baohu's supervisor timer with Sstc: only the IPI stall poll uses it. */
void vcpu_ipi_poll(struct vcpu *v)
{
    ipi_poll(false);
    if (!v || v->state != VCPU_ON)
        return;
    ipi_sync(v);
    if (v->arch.virq.ipi_stalled)
        ipi_poll(true);
}

void arch_vm_virq_raise(struct vm *vm, irqid_t irq)
{
    virq_raise(vm, irq);
}

void arch_vm_irqchip_init(struct vm *vm)
{
    virq_vm_init(vm);
}

void arch_vm_irqchip_stop(struct vm *vm)
{
    virq_vm_stop(vm);
}
