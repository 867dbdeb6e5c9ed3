/* vCPU state on RV64: HS-mode delegation, VS-mode reset state, entering the guest (RISC-V priv. §9.2). */
#include "arch.h"
#include "arch_layout.h"
#include "arch_regs.h"
#include "console.h"
#include "cpu.h"
#include "csr.h"
#include "isa.h"
#include "platform.h"
#include "vm.h"
#include "hs_timer.h"
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
/*
 * hcounteren (§9.2.5): `time` only, by default. CY would give a guest
 * cycle-accurate timing (a side channel on what its neighbours do to shared
 * caches and buses) and IR counts instructions Baohu retires for the guest
 * in HS-mode as well: a VM's config opts in to either (`counters`).
 * Without the bit a read is a virtual-instruction trap, reflected to the
 * guest as an illegal instruction (traps.c).
 */
#define HCOUNTEREN_DEFAULT HCOUNTEREN_TM
/* Baohu takes IPIs and external interrupts; its timer only without Sstc (vtimer.c). */
#define SIE_VALUE ((1u << IRQ_SSI) | (1u << IRQ_SEI))

/* Each hart's extensions (isa.h), from the device tree the firmware passed;
 * filled on CPU 0 before any other CPU starts. */
static uint32_t cpu_isa[PLATFORM_MAX_CPUS];
static bool cpu_has_sstc[PLATFORM_MAX_CPUS];
static bool cpu_has_stateen[PLATFORM_MAX_CPUS];

bool vcpu_sstc(void)
{
    return cpu_has_sstc[arch_cpu_id()];
}

/* The extensions come from the ISA string, not from what sticks in a CSR:
 * QEMU 7.2 with `sstc=false` lets henvcfg.STCE read back as 1 although
 * vstimecmp and stimecmp are then illegal instructions. */
void hs_probe(const void *fdt)
{
    for (cpuid_t c = 0; c < platform.cpu_count && c < PLATFORM_MAX_CPUS; c++)
        cpu_isa[c] = isa_of_hart(fdt, platform.cpu_hwid[c]);
}

/* On CPU 0 after hs_init: what its guests get, i.e. what the ISA string
 * names and M-mode let through (henvcfg fields that stuck, hstateen0). */
void hs_report(void)
{
    uint32_t isa = cpu_isa[0];
    if (!(isa & ISA_EXT_FOUND)) {
        console_log("no riscv,isa for hart %lu in the device tree: guests get no vector, Sstc, "
                    "Svpbmt, Zicbom, Zicboz", (unsigned long)platform.cpu_hwid[0]);
        return;
    }
    uint64_t envcfg = csr_read(henvcfg);
    console_log("hart %lu extensions for guests:%s%s%s%s%s%s", (unsigned long)platform.cpu_hwid[0],
                isa & ISA_EXT_V ? " v" : "", cpu_has_sstc[0] ? " sstc" : "",
                envcfg & HENVCFG_PBMTE ? " svpbmt" : "", envcfg & HENVCFG_CBCFE ? " zicbom" : "",
                envcfg & HENVCFG_CBZE ? " zicboz" : "", cpu_has_stateen[0] ? " smstateen" : "");
}

int hstateen0_try_write(uint64_t value);

struct trap_frame *vcpu_frame(void)
{
    uintptr_t top = (uintptr_t)__stacks_start + (arch_cpu_id() + 1) * STACK_SLOT;
    return (struct trap_frame *)(top - FRAME_SIZE);
}

/* HS-mode controls that are the same for every vCPU. */
void hs_init(void)
{
    cpuid_t id = arch_cpu_id();
    uint32_t isa = cpu_isa[id];

    csr_write(hedeleg, HEDELEG_VALUE);
    csr_write(hideleg, HIDELEG_VALUE);
    csr_write(hcounteren, HCOUNTEREN_DEFAULT);
    csr_write(htimedelta, 0);
    csr_write(hvip, 0);
    /*
     * henvcfg (§9.2.5): what the hart has, the guest gets. Each field is
     * read-only 0 where M-mode did not enable it in menvcfg, so STCE is
     * trusted only if it sticks *and* the ISA string names Sstc. CBIE = 01:
     * a guest's cbo.inval is done as a flush, so it can never discard
     * another writer's lines (shared memory, DMA buffers) on its way.
     */
    uint64_t envcfg = 0;
    if (isa & ISA_EXT_SSTC)
        envcfg |= HENVCFG_STCE;
    if (isa & ISA_EXT_SVPBMT)
        envcfg |= HENVCFG_PBMTE;
    if (isa & ISA_EXT_ZICBOZ)
        envcfg |= HENVCFG_CBZE;
    if (isa & ISA_EXT_ZICBOM)
        envcfg |= HENVCFG_CBCFE | HENVCFG_CBIE_FLUSH;
    csr_write(henvcfg, envcfg);
    cpu_has_sstc[id] = (isa & ISA_EXT_SSTC) && (csr_read(henvcfg) & HENVCFG_STCE);
    if (cpu_has_sstc[id])
        csr_write(vstimecmp, ~0ull);
    /*
     * hstateen0 (Smstateen): the state VS-mode may reach. Without it set,
     * a guest's senvcfg, sstateen0 and AIA CSR accesses would trap. The CSR
     * itself traps in HS-mode unless M-mode granted mstateen0.SE0: probed.
     */
    if (isa & ISA_EXT_SMSTATEEN)
        cpu_has_stateen[id] = hstateen0_try_write(HSTATEEN0_SE0 | HSTATEEN0_ENVCFG |
                                                  HSTATEEN0_CSRIND | HSTATEEN0_AIA |
                                                  HSTATEEN0_IMSIC) == 0;
    csr_write(sie, SIE_VALUE);
}

/*
 * The vector unit belongs to the vCPU of its hart, like the FP unit: Baohu
 * is built without V and never touches it, so nothing is switched on a
 * trap. At a vCPU reset the previous run's vector registers and vcsr are
 * cleared (nothing of a run survives into the next): vsetvli t0, x0,
 * e8/m8 (VLMAX), vmv.v.i v0/v8/v16/v24, 0 (V spec §6.1, §16.1), vcsr = 0,
 * vstart = 0. Encoded by hand: neither assembler is given V.
 */
static void vcpu_vector_clear(void)
{
    csr_set(sstatus, SSTATUS_VS_INITIAL);
    __asm__ volatile(".insn i 0x57, 7, t0, x0, 0xc3\n" /* vsetvli t0, x0, e8, m8, ta, ma */
                     ".word 0x5e003057\n"              /* vmv.v.i v0, 0 */
                     ".word 0x5e003457\n"              /* vmv.v.i v8, 0 */
                     ".word 0x5e003857\n"              /* vmv.v.i v16, 0 */
                     ".word 0x5e003c57\n"              /* vmv.v.i v24, 0 */
                     "csrw 0x00f, zero\n"              /* vcsr */
                     "csrw 0x008, zero\n"              /* vstart */
                     ::: "t0", "memory");
    csr_clear(sstatus, SSTATUS_VS_MASK);
}

/*
 * The FP unit is the vCPU's too (FS = Initial at entry): at a vCPU reset
 * f0-f31 and fcsr are cleared, so nothing of the previous run reaches the
 * next. fmv.d.x fN, zero (0xf2000053 | N << 7), encoded by hand: Baohu is
 * built without F. Where the hart has only F, fmv.w.x (0xf0000053 | N << 7).
 */
#define FP_ZERO(op, n) ".word " #op " | (" #n " << 7)\n"
#define FP_ZERO_ALL(op)                                                                          \
    FP_ZERO(op, 0) FP_ZERO(op, 1) FP_ZERO(op, 2) FP_ZERO(op, 3) FP_ZERO(op, 4) FP_ZERO(op, 5)    \
    FP_ZERO(op, 6) FP_ZERO(op, 7) FP_ZERO(op, 8) FP_ZERO(op, 9) FP_ZERO(op, 10) FP_ZERO(op, 11) \
    FP_ZERO(op, 12) FP_ZERO(op, 13) FP_ZERO(op, 14) FP_ZERO(op, 15) FP_ZERO(op, 16)             \
    FP_ZERO(op, 17) FP_ZERO(op, 18) FP_ZERO(op, 19) FP_ZERO(op, 20) FP_ZERO(op, 21)             \
    FP_ZERO(op, 22) FP_ZERO(op, 23) FP_ZERO(op, 24) FP_ZERO(op, 25) FP_ZERO(op, 26)             \
    FP_ZERO(op, 27) FP_ZERO(op, 28) FP_ZERO(op, 29) FP_ZERO(op, 30) FP_ZERO(op, 31)

static void vcpu_fp_clear(void)
{
    uint32_t isa = cpu_isa[arch_cpu_id()];
    bool known = isa & ISA_EXT_FOUND;
    if (known && !(isa & ISA_EXT_F))
        return; /* no FP registers: nothing to clear (FS is read-only 0) */
    csr_set(sstatus, SSTATUS_FS_INITIAL);
    /* Without an ISA string, the FS read-back says whether FP exists. */
    if (known || (csr_read(sstatus) & SSTATUS_FS_MASK)) {
        if (isa & ISA_EXT_D)
            __asm__ volatile(FP_ZERO_ALL(0xf2000053) ::: "memory");
        else
            __asm__ volatile(FP_ZERO_ALL(0xf0000053) ::: "memory"); /* NaN-boxed zeros on D */
        __asm__ volatile("csrw 0x003, zero" ::: "memory"); /* fcsr */
    }
    csr_clear(sstatus, SSTATUS_FS_MASK);
}

/*
 * SBI IPIs (vsbi.c) become hvip.VSSIP on the target's hart. A sender counts
 * the IPI in ipi_sent and posts CPU_MSG_VIRQ only if it is the one that sets
 * `ipi`. The target clears `ipi` as it sets VSSIP, unless VSSIP is still set
 * from the last one: the guest has not taken that yet, so this one merges
 * with it, and `ipi` stays set ("stalled") so that no sender posts again,
 * however many IPIs a storm sends, until the guest takes it. The guest
 * clears VSSIP without a trap (it is its sip.SSIP); the target notices on
 * its next exit or, with Sstc (Baohu's own stimecmp, hs_timer.c), within
 * IPI_POLL_TICKS. Then `ipi` is cleared, and if anything was sent during the
 * stall VSSIP is set once more: a send after the guest's take is never lost,
 * at the price of at most one spurious software interrupt per stall.
 * Without Sstc there is no stall: each taken request re-opens posting.
 */
#define IPI_POLL_TICKS 1000u /* 100 us of the 10 MHz time CSR */

static void ipi_poll(bool on)
{
    hs_timer_set(HS_TIMER_IPI_POLL, on ? csr_read(time) + IPI_POLL_TICKS : HS_TIMER_OFF);
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
        if (__atomic_load_n(&c->ipi_sent, __ATOMIC_RELAXED) != c->ipi_mark) {
            csr_set(hvip, 1u << IRQ_VSSI);
            v->irqs_injected++;
        }
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
    v->irqs_injected++;
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
     * unit (Baohu itself never touches it), so nothing needs switching. VS
     * likewise where the hart has V: with V=1 an instruction needs both
     * sstatus.VS and the guest's vsstatus.VS non-Off (priv. §9.2.1 /
     * V spec §3.2), and the guest switches its own vsstatus.VS on. */
    f->sstatus = SSTATUS_SPP | SSTATUS_FS_INITIAL;
    vcpu_fp_clear();
    if (cpu_isa[arch_cpu_id()] & ISA_EXT_V) {
        vcpu_vector_clear();
        f->sstatus |= SSTATUS_VS_INITIAL;
    }
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
    /* The guest's own S-level controls: senvcfg and scounteren are not
     * banked for VS-mode (§9.2), so they are reset here. */
    csr_write(0x10a, 0); /* senvcfg (clang 14 has no name for it) */
    csr_write(scounteren, 0);
    /* sstateen0 (Smstateen) is not banked for VS-mode either; it exists and
     * HS-mode may write it where the hstateen0 probe succeeded (hs_init). */
    if (cpu_has_stateen[arch_cpu_id()])
        csr_write(0x10c, 0);
    csr_write(hcounteren, HCOUNTEREN_DEFAULT |
                              ((v->vm->config->counters & VM_COUNTER_CYCLE) ? HCOUNTEREN_CY : 0) |
                              ((v->vm->config->counters & VM_COUNTER_INSTRET) ? HCOUNTEREN_IR : 0));
    vtimer_reset(v);
    ipi_reset(v);

    csr_write(hgatp, v->vm->arch.hgatp);
    /* This hart's instruction fetches see the VM's RAM as (re)loaded, not
     * an older run's code (Zifencei; arch_vm_code_sync did the loading hart). */
    __asm__ volatile("fence.i" ::: "memory");
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
    if (on) {
        csr_set(hvip, 1u << IRQ_VSEI);
        cpu_current()->vcpu->irqs_injected++; /* called on its 0 -> 1 only (vplic.c) */
    } else {
        csr_clear(hvip, 1u << IRQ_VSEI);
    }
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

/* Baohu's supervisor timer with Sstc, for the IPI stall poll (hs_timer.c). */
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
