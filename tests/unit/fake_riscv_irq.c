/* Host fakes for the vPLIC / vAPLIC tests: the physical PLIC, APLIC and IMSIC, hvip.VSEIP and the CPU requests, recorded. */
#include <string.h>
#include "arch.h"
#include "fake_riscv_irq.h"
#include "virqchip.h"
#include "vm.h"

_Thread_local cpuid_t fake_cpu;
cpuid_t fake_msgs[FAKE_LOG_LEN];
unsigned fake_msg_count;
uint32_t fake_msg_pending[PLATFORM_MAX_CPUS];
bool fake_line[PLATFORM_MAX_CPUS];
unsigned fake_line_writes;
uint8_t fake_plic_route[FAKE_IRQS];
unsigned fake_route_calls;
irqid_t fake_completed[FAKE_LOG_LEN];
unsigned fake_complete_count;
bool fake_aplic_on[FAKE_IRQS];
bool fake_aplic_pending[FAKE_IRQS];
uint32_t fake_aplic_mode[FAKE_IRQS];
cpuid_t fake_aplic_cpu[FAKE_IRQS];
uint32_t fake_aplic_eiid[FAKE_IRQS];
uint64_t fake_file_eip[PLATFORM_MAX_CPUS];
unsigned fake_msi_count;
unsigned fake_msi_remote;

/* QEMU virt's PLIC and AIA addresses. */
const struct platform platform = {
    .name = "fake-riscv",
    .cpu_count = 4,
    .cpu_hwid = {0, 1, 2, 3},
    .irqchip = {.kind = IRQCHIP_PLIC, .plic = 0x0c000000, .aplic = 0x0d000000,
                .imsic = 0x28000000, .guest_files = 1, .irq_count = 96},
};

void fake_irq_reset(void)
{
    fake_cpu = 0;
    fake_msg_count = 0;
    memset(fake_msg_pending, 0, sizeof(fake_msg_pending));
    memset(fake_line, 0, sizeof(fake_line));
    fake_line_writes = 0;
    memset(fake_plic_route, FAKE_UNROUTED, sizeof(fake_plic_route));
    fake_route_calls = 0;
    fake_complete_count = 0;
    memset(fake_aplic_on, 0, sizeof(fake_aplic_on));
    memset(fake_aplic_pending, 0, sizeof(fake_aplic_pending));
    memset(fake_aplic_mode, 0, sizeof(fake_aplic_mode));
    memset(fake_aplic_cpu, 0, sizeof(fake_aplic_cpu));
    memset(fake_aplic_eiid, 0, sizeof(fake_aplic_eiid));
    memset(fake_file_eip, 0, sizeof(fake_file_eip));
    fake_msi_count = 0;
    fake_msi_remote = 0;
}

unsigned fake_msgs_to(cpuid_t cpu)
{
    unsigned n = 0;
    for (unsigned i = 0; i < fake_msg_count && i < FAKE_LOG_LEN; i++)
        n += fake_msgs[i] == cpu;
    return n;
}

/* cpu.h, arch.h */
struct cpu cpu_table[PLATFORM_MAX_CPUS];

cpuid_t arch_cpu_id(void)
{
    return fake_cpu;
}

struct cpu *arch_cpu_current(void)
{
    cpu_table[fake_cpu].id = fake_cpu;
    return &cpu_table[fake_cpu];
}

bool cpu_msg_send(cpuid_t target, enum cpu_msg_kind kind)
{
    unsigned n = __atomic_fetch_add(&fake_msg_count, 1, __ATOMIC_RELAXED);
    if (n < FAKE_LOG_LEN)
        fake_msgs[n] = target;
    uint32_t old = __atomic_fetch_or(&fake_msg_pending[target], 1u << kind, __ATOMIC_ACQ_REL);
    return !(old & (1u << kind));
}

uint32_t fake_msg_take(cpuid_t cpu)
{
    return __atomic_exchange_n(&fake_msg_pending[cpu], 0, __ATOMIC_ACQ_REL);
}

/* spinlock.h */
void arch_cpu_relax(void) {}

/* vm.c */
struct vcpu *vm_vcpu(struct vm *vm, uint64_t vcpu_id)
{
    return vcpu_id < vm->vcpu_count ? &vm->vcpus[vcpu_id] : NULL;
}

/* arch.h: the guest-file mappings of the vAPLIC. */
bool arch_vm_map(struct vm *vm, ipa_t ipa, paddr_t pa, uint64_t size, enum vm_map_kind kind)
{
    (void)vm, (void)ipa, (void)pa, (void)size, (void)kind;
    return true;
}

/* virqchip.h: the hart's hvip.VSEIP. */
void virq_line_set(bool on)
{
    fake_line[fake_cpu] = on;
    fake_line_writes++;
}

/* PLIC */
void irqchip_route(irqid_t irq, cpuid_t cpu, bool enable)
{
    fake_route_calls++;
    fake_plic_route[irq] = enable ? (uint8_t)cpu : FAKE_UNROUTED;
}

void irqchip_complete(irqid_t irq)
{
    if (fake_complete_count < FAKE_LOG_LEN)
        fake_completed[fake_complete_count] = irq;
    fake_complete_count++;
}

/* APLIC */
void aplic_target(irqid_t irq, cpuid_t cpu, uint32_t eiid)
{
    fake_aplic_cpu[irq] = cpu;
    fake_aplic_eiid[irq] = eiid;
}

/* An inactive source is neither enabled nor pending (AIA §4.5.2). */
void aplic_source_mode(irqid_t irq, uint32_t sm)
{
    fake_aplic_mode[irq] = sm;
    if (sm == 0)
        fake_aplic_on[irq] = fake_aplic_pending[irq] = false;
}

void aplic_enable(irqid_t irq, bool on)
{
    fake_aplic_on[irq] = on && fake_aplic_mode[irq] != 0;
}

void aplic_set_pending(irqid_t irq, bool on)
{
    fake_aplic_pending[irq] = on && fake_aplic_mode[irq] != 0;
}

uint32_t aplic_pending_word(uint32_t w)
{
    uint32_t m = 0;
    for (uint32_t b = 0; b < 32 && 32 * w + b < FAKE_IRQS; b++)
        if (fake_aplic_pending[32 * w + b])
            m |= 1u << b;
    return m;
}

uint64_t imsic_guest_file_pa(cpuid_t cpu)
{
    return platform.irqchip.imsic + 0x2000ull * cpu + 0x1000;
}

void imsic_guest_send(cpuid_t cpu, uint32_t eiid)
{
    fake_msi_count++;
    fake_msi_remote += cpu != fake_cpu;
    fake_file_eip[cpu] |= 1ull << (eiid % 64);
}

/* The file of the CPU the code runs on (hstatus.VGEIN). */
bool imsic_guest_take(uint32_t eiid)
{
    uint64_t bit = 1ull << (eiid % 64);
    bool was = (fake_file_eip[fake_cpu] & bit) != 0;
    fake_file_eip[fake_cpu] &= ~bit;
    return was;
}
