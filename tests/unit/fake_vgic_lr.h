/* Host fakes for the vGIC tests: recorded list registers, messages and physical GIC calls. */
#ifndef BAOHU_TEST_FAKE_VGIC_LR_H
#define BAOHU_TEST_FAKE_VGIC_LR_H

#include <stdbool.h>
#include <stdint.h>
#include "cpu.h"
#include "vgic_lr.h"

#define FAKE_LR_COUNT 4
#define FAKE_LOG_LEN 64

extern struct vgic_lr fake_lrs[FAKE_LR_COUNT];
extern bool fake_underflow;

/* cpu_current()->id */
extern cpuid_t fake_current_cpu;

struct fake_msg {
    cpuid_t target;
    enum cpu_msg_kind kind;
    uint64_t arg;
};
extern struct fake_msg fake_msgs[FAKE_LOG_LEN];
extern unsigned fake_msg_count;

/* Physical GIC calls made by the code under test. */
extern irqid_t fake_deactivated[FAKE_LOG_LEN];
extern unsigned fake_deactivated_count;
extern irqid_t fake_enabled_irq;   /* last gic_irq_enable */
extern bool fake_enabled_on;
extern unsigned fake_enable_calls;
extern irqid_t fake_routed_irq;    /* last gic_spi_route */
extern cpuid_t fake_routed_cpu;
extern unsigned fake_route_calls;

void fake_vgic_reset(void);
/* The LR holding `intid`, or -1. */
int fake_lr_find(irqid_t intid);
unsigned fake_lr_used(void);

#endif
