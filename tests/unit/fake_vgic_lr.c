/* Host fakes for the vGIC tests: per-pCPU list registers in arrays, plus cpu and GIC stand-ins. */
#include <string.h>
#include "arch.h"
#include "fake_vgic_lr.h"
#include "gic.h"
#include "platform.h"

struct vgic_lr fake_lr_file[PLATFORM_MAX_CPUS][FAKE_LR_MAX];
uint32_t fake_maintenance[PLATFORM_MAX_CPUS];
uint32_t fake_lr_count = FAKE_LR_MAX;
unsigned fake_lr_accesses;
_Thread_local cpuid_t fake_current_cpu;
struct fake_msg fake_msgs[FAKE_LOG_LEN];
unsigned fake_msg_count;
uint32_t fake_msg_pending[PLATFORM_MAX_CPUS];
irqid_t fake_deactivated[FAKE_LOG_LEN];
cpuid_t fake_deactivated_on[FAKE_LOG_LEN];
unsigned fake_deactivated_count;
irqid_t fake_enabled_irq;
bool fake_enabled_on;
unsigned fake_enable_calls;
irqid_t fake_routed_irq;
cpuid_t fake_routed_cpu;
unsigned fake_route_calls;
irqid_t fake_edge_irq;
bool fake_edge_on;
unsigned fake_edge_calls;

struct cpu cpu_table[PLATFORM_MAX_CPUS];

const struct platform platform = {
    .name = "fake",
    .cpu_count = 4,
    .cpu_hwid = {0, 1, 2, 3},
    /* GICv3 front-end tests use GICD/GICR, GICv2 ones GICD/GICC/GICV (QEMU virt's). */
    .irqchip = {.kind = IRQCHIP_GICV3, .gicd = 0x08000000, .gicr = 0x080A0000,
                .gicc = 0x08010000, .gich = 0x08030000, .gicv = 0x08040000, .irq_count = 288},
};

void fake_vgic_reset(void)
{
    memset(fake_lr_file, 0, sizeof(fake_lr_file));
    memset(fake_maintenance, 0, sizeof(fake_maintenance));
    fake_lr_count = FAKE_LR_MAX;
    fake_lr_accesses = 0;
    fake_current_cpu = 0;
    fake_msg_count = 0;
    memset(fake_msg_pending, 0, sizeof(fake_msg_pending));
    fake_deactivated_count = 0;
    fake_enable_calls = 0;
    fake_route_calls = 0;
    fake_edge_calls = 0;
}

static bool lr_valid(const struct vgic_lr *lr)
{
    return lr->pending || lr->active;
}

int fake_lr_find(irqid_t intid)
{
    for (uint32_t i = 0; i < fake_lr_count; i++)
        if (lr_valid(&fake_lrs[i]) && fake_lrs[i].intid == intid)
            return (int)i;
    return -1;
}

unsigned fake_lr_used(void)
{
    unsigned n = 0;
    for (uint32_t i = 0; i < fake_lr_count; i++)
        n += lr_valid(&fake_lrs[i]);
    return n;
}

void fake_guest_ack(int i)
{
    fake_lrs[i].pending = false;
    fake_lrs[i].active = true;
}

/* With HW=1 the guest's deactivation deactivates the physical interrupt too:
 * that is the hardware's doing, not a gic_deactivate call. */
void fake_guest_eoi(int i)
{
    fake_lrs[i].active = false;
}

/* vgic_lr.h */
uint32_t vgic_lr_count(void) { return fake_lr_count; }
void vgic_lr_write(uint32_t idx, const struct vgic_lr *lr)
{
    fake_lr_accesses++;
    fake_lrs[idx] = *lr;
    if (lr->hw)
        fake_lrs[idx].eoi = false; /* the EOI bit exists with HW=0 only */
}
void vgic_lr_read(uint32_t idx, struct vgic_lr *lr)
{
    fake_lr_accesses++;
    *lr = fake_lrs[idx];
}
void vgic_lr_write_hw_pending(uint32_t idx, irqid_t intid, uint8_t priority, bool group1)
{
    struct vgic_lr lr = {.intid = intid, .hw_intid = intid, .priority = priority,
                         .pending = true, .hw = true, .group1 = group1};
    vgic_lr_write(idx, &lr);
}
void vgic_lr_write_sgi(uint32_t idx, irqid_t intid, uint8_t priority, bool group1, uint8_t source,
                       bool eoi)
{
    struct vgic_lr lr = {.intid = intid, .priority = priority, .pending = true, .group1 = group1,
                         .source = source, .eoi = eoi};
    vgic_lr_write(idx, &lr);
}
void vgic_lr_clear(uint32_t idx)
{
    fake_lr_accesses++;
    memset(&fake_lrs[idx], 0, sizeof(fake_lrs[idx]));
}
/* ELRSR | EISR: an invalid LR is empty, or EOI-signalled if it had EOI set. */
uint32_t vgic_lr_done(void)
{
    uint32_t m = 0;
    for (uint32_t i = 0; i < fake_lr_count; i++)
        if (!lr_valid(&fake_lrs[i]))
            m |= 1u << i;
    return m;
}
void vgic_set_maintenance(uint32_t flags) { fake_maintenance[fake_current_cpu] = flags; }
void vgic_lr_reset_cpu(void)
{
    memset(fake_lrs, 0, sizeof(fake_lrs));
    fake_maintenance[fake_current_cpu] = 0;
}

/* cpu.h */

/* Safe from several threads: the log slot is claimed atomically. */
bool cpu_msg_send(cpuid_t target, enum cpu_msg_kind kind)
{
    unsigned n = __atomic_fetch_add(&fake_msg_count, 1, __ATOMIC_RELAXED);
    if (n < FAKE_LOG_LEN)
        fake_msgs[n] = (struct fake_msg){target, kind};
    uint32_t old = __atomic_fetch_or(&fake_msg_pending[target], 1u << kind, __ATOMIC_ACQ_REL);
    return !(old & (1u << kind));
}

uint32_t fake_msg_take(cpuid_t cpu)
{
    return __atomic_exchange_n(&fake_msg_pending[cpu], 0, __ATOMIC_ACQ_REL);
}

/* spinlock.h */
void arch_cpu_relax(void) {}

/* gic.h */
void gic_deactivate(irqid_t intid)
{
    if (fake_deactivated_count < FAKE_LOG_LEN) {
        fake_deactivated[fake_deactivated_count] = intid;
        fake_deactivated_on[fake_deactivated_count] = fake_current_cpu;
    }
    fake_deactivated_count++;
}

void gic_irq_enable(irqid_t intid, bool enable)
{
    fake_enabled_irq = intid;
    fake_enabled_on = enable;
    fake_enable_calls++;
}

void gic_spi_route(irqid_t spi, cpuid_t cpu)
{
    fake_routed_irq = spi;
    fake_routed_cpu = cpu;
    fake_route_calls++;
}

void gic_irq_set_edge(irqid_t spi, bool edge)
{
    fake_edge_irq = spi;
    fake_edge_on = edge;
    fake_edge_calls++;
}

void gic_irq_set_pending(irqid_t intid, bool pending)
{
    (void)intid;
    (void)pending;
}

bool gic_irq_is_active(irqid_t intid)
{
    (void)intid;
    return false;
}

/* arch.h */
cpuid_t arch_cpu_id(void) { return fake_current_cpu; }
struct cpu *arch_cpu_current(void)
{
    cpu_table[fake_current_cpu].id = fake_current_cpu;
    return &cpu_table[fake_current_cpu];
}
