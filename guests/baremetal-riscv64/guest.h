/* Test-variant options (-D defaults), shared per-vCPU state and prototypes of the RV64 guest (with guests/common/guest_common.h). */
#ifndef GUEST_H
#define GUEST_H

#include <stdarg.h>
#include <stdint.h>
#include "config.h"
#include "guest_common.h"
#include "riscv.h"

/* Take the goldfish RTC's alarm (PLIC source 11) through the interrupt controller. */
#ifndef GUEST_RTC_IRQ
#define GUEST_RTC_IRQ 0
#endif
/* Interrupt-delivery tests (irqtest.c): the RTC armed while vCPU 0 is off
 * (HSM hart_stop) goes to vCPU 1, then to the stopped vCPU 0 once it is
 * started again; an SBI SRST reboot from inside the RTC handler; a 2-vCPU
 * VM flooding a peer with IPC notifies and itself with SBI IPIs; the peer
 * measuring its largest gap between ticks. */
#ifndef GUEST_IRQ_HSM
#define GUEST_IRQ_HSM 0
#endif
#ifndef GUEST_IRQ_RESET
#define GUEST_IRQ_RESET 0
#endif
#ifndef GUEST_FLOOD
#define GUEST_FLOOD 0
#endif
#ifndef GUEST_FLOOD_MS
#define GUEST_FLOOD_MS 3000
#endif
#ifndef GUEST_TICK_GAP
#define GUEST_TICK_GAP 0
#endif

/* Feature probes (features.c): counters, vector, SBI v2.0 DBCN and return codes. */
#ifndef GUEST_FEATURES
#define GUEST_FEATURES 0
#endif
/* ... then an SBI SRST reboot, every run (the next run checks what it finds). */
#ifndef GUEST_FEATURES_RESET
#define GUEST_FEATURES_RESET 0
#endif

/* The console is an NS16550A at 0x10000000 (a virtual UART, config vuart)
 * instead of SBI putchar; its receive interrupt (PLIC source 10) collects
 * typed lines, which the tick loop echoes as "uart rx: <line>". */
#ifndef GUEST_UART16550
#define GUEST_UART16550 0
#endif

/* Use the AIA (interrupt files, APLIC) instead of SBI IPIs and the PLIC. */
#ifndef GUEST_AIA
#define GUEST_AIA 0
#endif
/* IPC (guests/common/ipc.c): the object, the doorbell source and page. */
#ifndef GUEST_IPC_SHM
#define GUEST_IPC_SHM 0x90000000UL
#endif
#ifndef GUEST_IPC_IRQ
#define GUEST_IPC_IRQ 52u
#endif
#ifndef GUEST_IPC_DOORBELL
#define GUEST_IPC_DOORBELL 0x90100000UL
#endif

/* Fault probes (faults.c): the controller they must not reach. */
#ifndef GUEST_FAULT_IRQC
#define GUEST_FAULT_IRQC 0xc000000UL /* the emulated interrupt controller: PLIC (or APLIC) */
#endif

/* The lifecycle races' words (guests/common/lifecycle.c), SBI HSM's. */
#define CPU_START "hart_start"
#define CPU_START_CALL "hsm hart_start"
#define LC_OFF "hart_stop"
#define LC_CTX "opaque"
#define LC_FP "fp"

/* Interrupt identities in the AIA variant: MSI IPI, and wired or virtual
 * sources under their source id (RTC, IPC doorbell; both below 64). */
#define EIID_IPI 1u
#define EIID_RTC 11u
#define EIID_IPC GUEST_IPC_IRQ

/* State each vCPU's trap handler updates and its thread context consumes. */
struct vcpu {
	volatile uint32_t online;
	volatile uint32_t ticks; /* supervisor timer interrupts taken */
	volatile uint32_t pings; /* IPIs taken */
	volatile uint32_t rtc;   /* RTC alarm interrupts claimed */
	volatile uint32_t rx;    /* lines received on the NS16550 (vCPU 0) */
	uint64_t deadline;       /* current timer deadline */
};
extern struct vcpu vcpus[MAX_VCPUS];

/* tp holds the hart id (= vCPU number), set by start.S. */
static inline unsigned cpu_id(void)
{
	unsigned long id;

	__asm__ __volatile__("mv %0, tp" : "=r"(id));
	return (unsigned)id;
}

/* lock.c: the guest lock is a ticket lock (RAM takes AMOs with translation off). */
struct guest_lock {
	volatile uint32_t next, owner;
};

/* timer.c */
extern volatile uint32_t sstc_missing;

/* rtc.c, imsic.c, irqc.c */
void rtc_test(void);
void rtc_event(unsigned k);
uint64_t rtc_time(void);
void rtc_alarm(uint64_t at_ns);
void rtc_irq_on(void);
void rtc_ack(void);
void imsic_init(void);
void imsic_enable(unsigned eiid, int on);
void imsic_send(unsigned k, unsigned eiid);
void imsic_irq(unsigned k);
void plic_irq(unsigned k);
void aplic_source_enable(unsigned src, unsigned sm);
void aplic_source_target(unsigned src, unsigned k);
void plic_source_enable(unsigned src);
void plic_source_priority(unsigned src, unsigned prio);
void plic_source_route(unsigned src, unsigned k, int on);
void plic_complete(unsigned k, unsigned src);

/* trap.c: an external interrupt source (PLIC source or its AIA EIID);
 * 0 if it stays claimed. */
int source_irq(unsigned k, unsigned src);

/* irqtest.c */
void irq_hsm_boot(void) __attribute__((noreturn));
void irq_hsm_secondary(unsigned k) __attribute__((noreturn));
void irq_reset_boot(void);
void irqtest_rtc(unsigned k);
/* uart16550.c (GUEST_UART16550) */
void uart16550_putc(char c);
void uart16550_rx_init(void);
void uart16550_irq(void);
extern char uart16550_line[64];
void flood_boot(void) __attribute__((noreturn));
void flood_secondary(unsigned k) __attribute__((noreturn));
void ticker_init(void);
int ticker_doorbell(unsigned k, unsigned src);
void ticker_tick(uint32_t n);
void tick_loop(unsigned k) __attribute__((noreturn));

/* faults.c: the probe's trap hook (1: taken; frame[0] is where to return). */
int fault_probe_trap(uint64_t *frame, uint64_t cause);

/* features.c: the probes, and the trap hook (1: taken; frame[0] is where to return). */
void features_main(void);
int feature_probe_trap(uint64_t *frame, uint64_t cause);

/* vectors.S and the C function it calls */
void trap_handler(uint64_t *frame);

#endif
