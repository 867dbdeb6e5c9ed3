/* The physical GIC as Baohu drives it (GICv3 here; a GICv2 driver provides the same calls). */
#ifndef BAOHU_AARCH64_GIC_H
#define BAOHU_AARCH64_GIC_H

#include "sysreg_trap.h"
#include "types.h"

#define GIC_SGI_IPI 0        /* Baohu's cross-CPU message doorbell */
#define GIC_PPI_PMU 23 /* the PMU overflow interrupt, forwarded like the timers */
#define GIC_PPI_MAINTENANCE 25
#define GIC_PPI_HYPTIMER 26  /* the EL2 physical timer CNTHP: Baohu's own (watchdogs) */
#define GIC_PPI_VTIMER 27
#define GIC_PPI_PTIMER 30
#define GIC_SPURIOUS 1023

/* The SGI/PPIs each CPU enables: Baohu's IPI, maintenance interrupt and timer, and
 * the timers and the PMU (where there is one) it forwards to the vCPU. */
static inline uint32_t gic_private_irqs_enabled(void)
{
    return (1u << GIC_SGI_IPI) | (1u << GIC_PPI_MAINTENANCE) | (1u << GIC_PPI_HYPTIMER) |
           (1u << GIC_PPI_VTIMER) |
           (1u << GIC_PPI_PTIMER) | (pmu_present() ? 1u << GIC_PPI_PMU : 0);
}

/* Boot CPU, once: distributor, every SPI disabled, Group 1. */
void gic_init(void);
/* Every CPU: its redistributor, the CPU interface (EOImode 1: EOI only drops
 * priority, so a forwarded interrupt stays active until the guest deactivates
 * it through a hardware list register), ICH_HCR_EL2.En. */
void gic_cpu_init(cpuid_t cpu);
irqid_t gic_ack(void);                 /* ICC_IAR1_EL1 */
void gic_eoi(irqid_t intid);           /* priority drop only */
void gic_deactivate(irqid_t intid);    /* ICC_DIR_EL1 */
void gic_send_sgi(cpuid_t target, irqid_t sgi);
void gic_irq_enable(irqid_t intid, bool enable); /* SPI at GICD; SGI/PPI of the calling CPU at GICR */
void gic_irq_set_priority(irqid_t intid, uint8_t prio);
void gic_spi_route(irqid_t spi, cpuid_t cpu);    /* GICD_IROUTER */
void gic_irq_set_edge(irqid_t spi, bool edge);  /* GICD_ICFGR: edge- or level-triggered */
void gic_irq_set_pending(irqid_t intid, bool pending);
bool gic_irq_is_active(irqid_t intid);

#endif
