/* Armv8-A physical CPU services for the core: identity, start-up, idle, IPIs, power. */
#include "arch.h"
#include "arch_layout.h"
#include "arch_regs.h"
#include "console.h"
#include "cpu.h"
#include "gic.h"
#include "hyp_colour.h"
#include "platform.h"
#include "psci.h"
#include "smccc.h"
#include "sysreg.h"
#include "test_el2_fault.h"
#include "vm.h"

void core_memory_init(void);
void core_start_cpus(void);
noreturn void core_cpu_main(cpuid_t cpu);
void mmu_build(void);
noreturn void mmu_enable(cpuid_t cpu, void (*next)(cpuid_t));
void el2_init(void);
void secondary_entry(void);
void irq_handle_parked(irqid_t intid);
void irq_console_init(void);

struct cpu *arch_cpu_current(void)
{
    return (struct cpu *)sysreg_read(tpidr_el2);
}

cpuid_t arch_cpu_id(void)
{
    return arch_cpu_current()->id;
}

void arch_cpu_relax(void)
{
    __asm__ volatile("yield" ::: "memory");
}

bool arch_cpu_start(cpuid_t cpu)
{
    int64_t r = smccc_call(PSCI_CPU_ON_64, platform.cpu_hwid[cpu],
                          (uint64_t)(uintptr_t)secondary_entry, cpu);
    return r == PSCI_SUCCESS;
}

void arch_cpu_send_ipi(cpuid_t target)
{
    gic_send_sgi(target, GIC_SGI_IPI);
}

/* Parked: physical interrupts are masked at EL2 (PSTATE.I), but WFI still
 * wakes on them (Arm ARM D1.16.2); take each one by polling the GIC. */
void arch_cpu_idle_wait(void)
{
    __asm__ volatile("dsb sy; wfi" ::: "memory");
    for (;;) {
        irqid_t intid = gic_ack();
        if (intid >= GIC_SPURIOUS)
            break;
        irq_handle_parked(intid);
    }
}

void arch_cache_clean(const void *va, uint64_t size)
{
    /* CTR_EL0.DminLine: log2 of the smallest data cache line in words. */
    uint64_t line = 4ull << ((sysreg_read(ctr_el0) >> 16) & 0xf);
    uintptr_t end = (uintptr_t)va + size;
    for (uintptr_t p = (uintptr_t)va & ~(line - 1); p < end; p += line)
        __asm__ volatile("dc cvac, %0" ::"r"(p) : "memory");
    dsb(sy);
}

void arch_cache_clean_inval(const void *va, uint64_t size)
{
    uint64_t line = 4ull << ((sysreg_read(ctr_el0) >> 16) & 0xf);
    uintptr_t end = (uintptr_t)va + size;
    for (uintptr_t p = (uintptr_t)va & ~(line - 1); p < end; p += line)
        __asm__ volatile("dc civac, %0" ::"r"(p) : "memory");
    dsb(sy);
}

/* CNTHP_CVAL_EL2 / CNTHP_CTL_EL2 (Arm ARM D13.8.x): the EL2 physical
 * timer, which no guest can reach (it fires PPI 26, GIC_PPI_HYPTIMER). The
 * delay is cut to microseconds first so the product cannot overflow for
 * any delay up to the watchdog's hour. */
void arch_hyp_timer_arm(uint64_t delay_ns)
{
    uint64_t f = sysreg_read(cntfrq_el0);
    uint64_t ticks = delay_ns / 1000u * f / 1000000u;
    sysreg_write(cnthp_cval_el2, sysreg_read(cntpct_el0) + ticks);
    sysreg_write(cnthp_ctl_el2, 1); /* ENABLE, IMASK clear */
    isb();
}

uint64_t arch_time_ns(void)
{
    uint64_t f = sysreg_read(cntfrq_el0), c = sysreg_read(cntpct_el0);
    return f ? (c / f) * 1000000000ull + (c % f) * 1000000000ull / f : 0;
}

noreturn void arch_system_off(void)
{
    smccc_call(PSCI_SYSTEM_OFF, 0, 0, 0);
    for (;;)
        __asm__ volatile("wfi");
}

/* The rest of each CPU's start, with its own tables live (mmu_enable). */
static noreturn void arch_boot_cpu_mapped(cpuid_t cpu)
{
    cpu_by_id(cpu)->id = cpu;
    el2_init();
    if (cpu == 0) {
        console_init();
        gic_init();
        irq_console_init();
        smccc_init();
        smccc_report();
#ifdef BAOHU_TEST_EL2_FAULT
        test_el2_fault();
#endif
    }
    gic_cpu_init(cpu);
    if (cpu == 0)
        core_start_cpus();
    core_cpu_main(cpu);
}

/* The first C code on every CPU, with a stack but no MMU yet. The boot
 * CPU prepares memory and every CPU's tables, and (when Baohu is coloured)
 * copies the image to its coloured pages as its last step before its MMU
 * goes on; the others only turn their MMU on. What the CPU writes to the
 * image before that switch (its stack, c->id) is lost on a coloured Baohu,
 * so arch_boot_cpu_mapped sets it again. */
noreturn void arch_boot_cpu(cpuid_t cpu)
{
    struct cpu *c = cpu_by_id(cpu);
    c->id = cpu;
    sysreg_write(tpidr_el2, (uint64_t)(uintptr_t)c);
    if (cpu == 0) {
        core_memory_init();
        mmu_build();
        hyp_colour_copy();
    }
    mmu_enable(cpu, arch_boot_cpu_mapped);
}
