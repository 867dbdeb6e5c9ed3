/* Host fakes for the vGIC tests: four list registers in an array, plus cpu and GIC stand-ins. */
#include <string.h>
#include "fake_vgic_lr.h"
#include "gic.h"
#include "platform.h"

struct vgic_lr fake_lrs[FAKE_LR_COUNT];
bool fake_underflow;
cpuid_t fake_current_cpu;
struct fake_msg fake_msgs[FAKE_LOG_LEN];
unsigned fake_msg_count;
irqid_t fake_deactivated[FAKE_LOG_LEN];
unsigned fake_deactivated_count;
irqid_t fake_enabled_irq;
bool fake_enabled_on;
unsigned fake_enable_calls;
irqid_t fake_routed_irq;
cpuid_t fake_routed_cpu;
unsigned fake_route_calls;

static struct cpu fake_cpus[PLATFORM_MAX_CPUS];

const struct platform platform = {
    .name = "fake",
    .cpu_count = 4,
    .cpu_affinity = {0, 1, 2, 3},
    /* GICv3 front-end tests use GICD/GICR, GICv2 ones GICD/GICC/GICV (QEMU virt's). */
    .irqchip = {.kind = IRQCHIP_GICV3, .gicd = 0x08000000, .gicr = 0x080A0000,
                .gicc = 0x08010000, .gich = 0x08030000, .gicv = 0x08040000, .irq_count = 288},
};

void fake_vgic_reset(void)
{
    memset(fake_lrs, 0, sizeof(fake_lrs));
    fake_underflow = false;
    fake_current_cpu = 0;
    fake_msg_count = 0;
    fake_deactivated_count = 0;
    fake_enable_calls = 0;
    fake_route_calls = 0;
}

int fake_lr_find(irqid_t intid)
{
    for (int i = 0; i < FAKE_LR_COUNT; i++)
        if ((fake_lrs[i].pending || fake_lrs[i].active) && fake_lrs[i].intid == intid)
            return i;
    return -1;
}

unsigned fake_lr_used(void)
{
    unsigned n = 0;
    for (int i = 0; i < FAKE_LR_COUNT; i++)
        n += fake_lrs[i].pending || fake_lrs[i].active;
    return n;
}

/* vgic_lr.h */
uint32_t vgic_lr_count(void) { return FAKE_LR_COUNT; }
void vgic_lr_write(uint32_t idx, const struct vgic_lr *lr) { fake_lrs[idx] = *lr; }
void vgic_lr_read(uint32_t idx, struct vgic_lr *lr) { *lr = fake_lrs[idx]; }
void vgic_lr_clear(uint32_t idx) { memset(&fake_lrs[idx], 0, sizeof(fake_lrs[idx])); }
void vgic_set_underflow(bool on) { fake_underflow = on; }
void vgic_lr_reset_cpu(void)
{
    memset(fake_lrs, 0, sizeof(fake_lrs));
    fake_underflow = false;
}

/* cpu.h */
struct cpu *cpu_current(void)
{
    fake_cpus[fake_current_cpu].id = fake_current_cpu;
    return &fake_cpus[fake_current_cpu];
}

void cpu_msg_send(cpuid_t target, enum cpu_msg_kind kind, uint64_t arg)
{
    if (fake_msg_count < FAKE_LOG_LEN)
        fake_msgs[fake_msg_count++] = (struct fake_msg){target, kind, arg};
}

/* spinlock.h */
void arch_cpu_relax(void) {}

/* gic.h */
void gic_deactivate(irqid_t intid)
{
    if (fake_deactivated_count < FAKE_LOG_LEN)
        fake_deactivated[fake_deactivated_count++] = intid;
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
