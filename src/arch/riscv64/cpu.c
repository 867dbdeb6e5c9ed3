/* RV64 physical CPU services for the core: identity, start-up through SBI HSM, idle, IPIs, power. */
#include <stddef.h>
#include "arch.h"
#include "arch_layout.h"
#include "console.h"
#include "cpu.h"
#include "csr.h"
#include "hyp_colour.h"
#include "hs_timer.h"
#include "platform.h"
#include "sbi.h"
#include "test_hs_fault.h"
#include "vm.h"

void core_memory_init(void);
void core_start_cpus(void);
noreturn void core_cpu_main(cpuid_t cpu);
void mmu_build(void);
noreturn void mmu_enable(cpuid_t cpu, void (*next)(cpuid_t));
void hs_init(void);
void irqchip_init(void);
void irqchip_console_init(void);
void irqchip_cpu_init(cpuid_t cpu);
void irq_handle_parked(uint64_t sip);
void _start(void);
void secondary_entry(void);
bool arch_boot_entry(uint64_t hartid, cpuid_t cpu, uint64_t dtb);
void hs_probe(const void *fdt);
void hs_report(void);

struct cpu *arch_cpu_current(void)
{
    struct cpu *c;

    __asm__ volatile("mv %0, tp" : "=r"(c));
    return c;
}

cpuid_t arch_cpu_id(void)
{
    return arch_cpu_current()->id;
}

/* A short pause; QEMU's TCG reschedules on it like on Arm's yield. */
void arch_cpu_relax(void)
{
    __asm__ volatile(".insn i 0x0f, 0, x0, x0, 0x010" ::: "memory"); /* pause (Zihintpause) */
}

/* How long a hart may take to finish stopping: 100 ms. */
#define HART_STOP_WAIT_NS 100000000ull

/*
 * The opaque (a1) is informational: boot.S finds the CPU from the hart id.
 * The firmware's boot hart, when it is not CPU 0's, hands over and stops
 * itself (arch_boot_entry); CPU 0 may get here first, while that hart is
 * still STARTED or STOP_PENDING, and hart_start then fails with
 * ALREADY_AVAILABLE (SBI §9.1). Wait, bounded, for it to read STOPPED
 * (§9.3 hart_get_status) and start it then.
 */
bool arch_cpu_start(cpuid_t cpu)
{
    uint64_t hart = platform.cpu_hwid[cpu];
    uint64_t t0 = arch_time_ns();
    for (;;) {
        struct sbiret r = sbi_call(SBI_EXT_HSM, SBI_HSM_HART_START, hart,
                                   (uint64_t)(uintptr_t)secondary_entry, cpu, 0, 0);
        if (r.error != SBI_ERR_ALREADY_AVAILABLE)
            return r.error == SBI_SUCCESS;
        while (sbi_call(SBI_EXT_HSM, SBI_HSM_HART_GET_STATUS, hart, 0, 0, 0, 0).value != SBI_HSM_STOPPED) {
            if (arch_time_ns() - t0 > HART_STOP_WAIT_NS)
                return false;
            arch_cpu_relax();
        }
    }
}

/* SBI IPI (SBI §7.1): a supervisor software interrupt at the target hart. */
void arch_cpu_send_ipi(cpuid_t target)
{
    sbi_call(SBI_EXT_IPI, 0, 1, platform.cpu_hwid[target], 0, 0, 0);
}

/* Parked: sstatus.SIE stays 0 in HS-mode, yet WFI wakes on any interrupt
 * pending and enabled in sie (priv. §3.3.3); take each one by polling sip. */
void arch_cpu_idle_wait(void)
{
    __asm__ volatile("wfi" ::: "memory");
    irq_handle_parked(csr_read(sip));
}

/* The time CSR at QEMU virt's timebase-frequency, 10 MHz (its device tree). */
#define TIMEBASE_HZ 10000000ull

/* The watchdog's share of Baohu's supervisor timer (hs_timer.c). */
void arch_hyp_timer_arm(uint64_t delay_ns)
{
    hs_timer_set(HS_TIMER_WATCHDOG, csr_read(time) + delay_ns / (1000000000ull / TIMEBASE_HZ));
}

uint64_t arch_time_ns(void)
{
    return csr_read(time) * (1000000000ull / TIMEBASE_HZ);
}

noreturn void arch_system_off(void)
{
    sbi_call(SBI_EXT_SRST, SBI_SRST_RESET, SBI_SRST_SHUTDOWN, 0, 0, 0, 0);
    for (;;)
        __asm__ volatile("wfi");
}

_Static_assert(offsetof(struct platform, cpu_count) == PLATFORM_CPU_COUNT, "boot.S");
_Static_assert(offsetof(struct platform, cpu_hwid) == PLATFORM_CPU_HWID, "boot.S");

/* Set on CPU 0's hart at its first entry; in .data, so clearing .bss keeps it. */
static uint32_t cpu0_entered __attribute__((section(".data")));
/* The device tree the firmware passed to the boot hart (a1), kept the same way. */
static uint64_t boot_dtb __attribute__((section(".data")));

/*
 * Every hart's first C, on its own CPU's stack, before .bss is cleared.
 * CPU 0's first entry: true (one-time set-up follows). A hart entering after
 * that was started by CPU 0, whichever address it arrived at: false. Before
 * that, this is the firmware's boot hart but not CPU 0's: hand over to CPU
 * 0's hart (SBI §9.1 hart_start, the DTB as its opaque, so it arrives in a1
 * as from the firmware) and stop this one (§9.2 hart_stop); CPU 0 starts it
 * again as a secondary.
 */
bool arch_boot_entry(uint64_t hartid, cpuid_t cpu, uint64_t dtb)
{
    if (cpu == 0) {
        bool first = __atomic_exchange_n(&cpu0_entered, 1, __ATOMIC_ACQ_REL) == 0;
        if (first)
            boot_dtb = dtb;
        return first;
    }
    if (__atomic_load_n(&cpu0_entered, __ATOMIC_ACQUIRE))
        return false;
    (void)hartid;
    sbi_call(SBI_EXT_HSM, SBI_HSM_HART_START, platform.cpu_hwid[0],
             (uint64_t)(uintptr_t)_start, dtb, 0, 0);
    sbi_call(SBI_EXT_HSM, SBI_HSM_HART_STOP, 0, 0, 0, 0, 0);
    for (;;)
        __asm__ volatile("wfi");
}

/* Baohu's console works (traps.c reports through the firmware before). */
bool arch_console_up;

/* The rest of each hart's start, with its own tables live (mmu_enable). */
static noreturn void arch_boot_cpu_mapped(cpuid_t cpu)
{
    cpu_by_id(cpu)->id = cpu;
    hs_init();
#ifdef BAOHU_TEST_EARLY_TRAP
    if (cpu == 0) /* an M-mode CSR: an illegal instruction in HS-mode */
        __asm__ volatile("csrr t0, mstatus" ::: "t0");
#endif
    if (cpu == 0) {
        console_init();
        __atomic_store_n(&arch_console_up, true, __ATOMIC_RELEASE);
        hs_report();
#ifdef BAOHU_TEST_HS_FAULT
        test_hs_fault();
#endif
        irqchip_init();
    }
    irqchip_cpu_init(cpu);
    if (cpu == 0) {
        irqchip_console_init();
        core_start_cpus();
    }
    core_cpu_main(cpu);
}

/* The first C code on every CPU, with a stack but no MMU yet. The boot
 * hart prepares memory and every hart's tables, and (when Baohu is
 * coloured) copies the image to its coloured pages as its last step before
 * translation goes on; the others only turn it on. What the hart writes to
 * the image before that switch (its stack, c->id) is lost on a coloured
 * Baohu, so arch_boot_cpu_mapped sets it again. */
noreturn void arch_boot_cpu(cpuid_t cpu)
{
    struct cpu *c = cpu_by_id(cpu);
    c->id = cpu;
    __asm__ volatile("mv tp, %0" ::"r"(c));
    if (cpu == 0) {
        /* With translation still off: the tree may lie anywhere in RAM. */
        hs_probe((const void *)(uintptr_t)boot_dtb);
        core_memory_init();
        mmu_build();
        hyp_colour_copy();
    }
    mmu_enable(cpu, arch_boot_cpu_mapped);
}
