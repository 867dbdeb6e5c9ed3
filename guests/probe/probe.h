/* Probe guest: interfaces between its parts. */
#ifndef PROBE_H
#define PROBE_H

#include <stdint.h>
#include "probe_out.h"

#define INTID_SGI_PROBE 1u
#define INTID_VTIMER 27u
#define GIC_SPURIOUS_FIRST 1020u

/* gic_v3.c / gic_v2.c */
void gic_dist_init(void);
void gic_cpu_init(unsigned cpu);
void gic_enable(unsigned cpu, unsigned intid);
uint32_t gic_ack(void);            /* raw IAR value */
uint32_t gic_intid(uint32_t iar);  /* its interrupt id */
void gic_eoi(uint32_t iar);
/* Reads the counter, then sends SGI `intid` to `cpu` with the very next
 * instruction; returns the counter value. */
uint64_t gic_sgi_timed(unsigned cpu, unsigned intid);
const char *gic_name(void);

/* console.c */
void console_init(void);
int console_hypervisor(void); /* 1: EL2 is implemented (we run under a hypervisor) */

/* psci.c */
int64_t hvc(uint64_t x0, uint64_t x1, uint64_t x2, uint64_t x3);

#endif
