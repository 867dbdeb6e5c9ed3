/* Host fakes for the vPLIC / vAPLIC tests: the physical PLIC, APLIC and IMSIC, hvip.VSEIP and the CPU requests, recorded. */
#ifndef FAKE_RISCV_IRQ_H
#define FAKE_RISCV_IRQ_H

#include "cpu.h"
#include "platform.h"
#include "types.h"

#define FAKE_LOG_LEN 64
#define FAKE_IRQS 128
#define FAKE_UNROUTED 0xffu

/* The CPU the code under test runs on (cpu_current); per thread, so that
 * threads can act as different harts at once. */
extern _Thread_local cpuid_t fake_cpu;

/* cpu_msg_send: every request posted, in order (thread-safe). */
extern cpuid_t fake_msgs[FAKE_LOG_LEN];
extern unsigned fake_msg_count;
unsigned fake_msgs_to(cpuid_t cpu);
/* Per CPU: the kinds posted and not yet taken (as cpu.c's msg_pending). */
extern uint32_t fake_msg_pending[PLATFORM_MAX_CPUS];
uint32_t fake_msg_take(cpuid_t cpu);

/* hvip.VSEIP per CPU and how often it was written. */
extern bool fake_line[PLATFORM_MAX_CPUS];
extern unsigned fake_line_writes;

/* PLIC: where each source is enabled (FAKE_UNROUTED: nowhere), completions. */
extern uint8_t fake_plic_route[FAKE_IRQS];
extern unsigned fake_route_calls;
extern irqid_t fake_completed[FAKE_LOG_LEN];
extern unsigned fake_complete_count;

/* APLIC: per source enable, pending, source mode, target CPU and EIID. */
extern bool fake_aplic_on[FAKE_IRQS];
extern bool fake_aplic_pending[FAKE_IRQS];
extern uint32_t fake_aplic_mode[FAKE_IRQS];
extern cpuid_t fake_aplic_cpu[FAKE_IRQS];
extern uint32_t fake_aplic_eiid[FAKE_IRQS];
/* IMSIC guest files: pending identities per CPU (bit = EIID < 64), MSIs sent,
 * and of those the ones a CPU wrote into another CPU's file. */
extern uint64_t fake_file_eip[PLATFORM_MAX_CPUS];
extern unsigned fake_msi_count;
extern unsigned fake_msi_remote;

void fake_irq_reset(void);

#endif
