/* Host fakes for the vGIC tests: per-pCPU list registers, posted requests and physical GIC calls. */
#ifndef BAOHU_TEST_FAKE_VGIC_LR_H
#define BAOHU_TEST_FAKE_VGIC_LR_H

#include <stdbool.h>
#include <stdint.h>
#include "cpu.h"
#include "platform.h"
#include "vgic_lr.h"

#define FAKE_LR_MAX 4
#define FAKE_LOG_LEN 64

/* Each simulated pCPU has its own list registers; fake_lrs are the current one's. */
extern struct vgic_lr fake_lr_file[PLATFORM_MAX_CPUS][FAKE_LR_MAX];
#define fake_lrs (fake_lr_file[fake_current_cpu])
extern uint32_t fake_maintenance[PLATFORM_MAX_CPUS]; /* VGIC_MAINT_* armed per pCPU */
#define fake_underflow ((fake_maintenance[fake_current_cpu] & VGIC_MAINT_UNDERFLOW) != 0)
extern uint32_t fake_lr_count;  /* implemented LRs, FAKE_LR_MAX unless a test lowers it */
extern unsigned fake_lr_accesses; /* LR reads and writes (not the status register) */

/* cpu_current()->id: per thread, so that threads can act as different
 * pCPUs at once (test_vgic_cross's race test); a test sets it to act as
 * another pCPU. */
extern _Thread_local cpuid_t fake_current_cpu;

struct fake_msg {
    cpuid_t target;
    enum cpu_msg_kind kind;
};
extern struct fake_msg fake_msgs[FAKE_LOG_LEN];
extern unsigned fake_msg_count;
/* Per pCPU: the kinds posted to it and not yet taken (as cpu.c's
 * msg_pending), for tests whose pCPUs act only when told. */
extern uint32_t fake_msg_pending[PLATFORM_MAX_CPUS];
uint32_t fake_msg_take(cpuid_t cpu);

/* Physical GIC calls made by the code under test. */
extern irqid_t fake_deactivated[FAKE_LOG_LEN];
extern cpuid_t fake_deactivated_on[FAKE_LOG_LEN]; /* the pCPU that made the call */
extern unsigned fake_deactivated_count;
extern irqid_t fake_enabled_irq;   /* last gic_irq_enable */
extern bool fake_enabled_on;
extern unsigned fake_enable_calls;
extern irqid_t fake_routed_irq;    /* last gic_spi_route */
extern cpuid_t fake_routed_cpu;
extern unsigned fake_route_calls;
extern irqid_t fake_edge_irq;      /* last gic_irq_set_edge */
extern bool fake_edge_on;
extern unsigned fake_edge_calls;

void fake_vgic_reset(void);
/* The LR of the current pCPU holding `intid`, or -1. */
int fake_lr_find(irqid_t intid);
unsigned fake_lr_used(void);
/* The guest acknowledges / deactivates the interrupt in LR `i` of the current pCPU. */
void fake_guest_ack(int i);
void fake_guest_eoi(int i);

#endif
