/* Test-variant options (-D defaults), shared per-vCPU state and prototypes of the RV64 guest. */
#ifndef GUEST_H
#define GUEST_H

#include <stdarg.h>
#include <stdint.h>
#include "config.h"

#ifndef GUEST_NAME
#define GUEST_NAME "baremetal"
#endif
#ifndef TICK_MS
#define TICK_MS 200
#endif
#ifndef GUEST_SMP
#define GUEST_SMP 0
#endif
#ifndef GUEST_HOSTILE_AFTER
#define GUEST_HOSTILE_AFTER 0
#endif
#ifndef GUEST_HOSTILE_ADDR
#define GUEST_HOSTILE_ADDR 0x7f000000UL
#endif
#ifndef GUEST_SYSOFF_AFTER
#define GUEST_SYSOFF_AFTER 0
#endif
#ifndef GUEST_RESET_AFTER
#define GUEST_RESET_AFTER 0
#endif
#ifndef GUEST_BADCALL
#define GUEST_BADCALL 0
#endif
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

/* Victim mode (guests/common/checksum.c): ticks carry a checksum of the guest's own memory. */
#ifndef GUEST_CHECKSUM
#define GUEST_CHECKSUM 0
#endif
void checksum_init(void);
void checksum_tick(unsigned k, uint32_t n);

/* Use the AIA (interrupt files, APLIC) instead of SBI IPIs and the PLIC. */
#ifndef GUEST_AIA
#define GUEST_AIA 0
#endif
/* IPC (configs/<platform>/ipc.c): 1 = ping, 2 = pong, 3 = intruder (has no object).
 * The doorbell is an interrupt source of the VM's (virtual) PLIC or APLIC. */
#ifndef GUEST_IPC_ROLE
#define GUEST_IPC_ROLE 0
#endif
#ifndef GUEST_IPC_ROUNDS
#define GUEST_IPC_ROUNDS 100
#endif
#ifndef GUEST_IPC_SHM
#define GUEST_IPC_SHM 0x90000000UL
#endif
#ifndef GUEST_IPC_IRQ
#define GUEST_IPC_IRQ 52u
#endif
#ifndef GUEST_IPC_DOORBELL
#define GUEST_IPC_DOORBELL 0x90100000UL
#endif

/*
 * Fault probes (faults.c, configs/<platform>/guest-faults.c): 1 = for each
 * fault class, check the exception the guest receives, then 1000 faults in a
 * row; 2 = fault with stvec outside the partition (the VM must be stopped).
 */
#define FAULT_ROLE_PROBE 1
#define FAULT_ROLE_VECTOR 2
#ifndef GUEST_FAULT_ROLE
#define GUEST_FAULT_ROLE 0
#endif
#ifndef GUEST_FAULT_IRQC
#define GUEST_FAULT_IRQC 0xc000000UL /* the emulated interrupt controller: PLIC (or APLIC) */
#endif

/*
 * Lifecycle races (lifecycle.c, configs/<platform>/lifecycle-*.c): 1 = every
 * hart resets the VM at once, each run checking FP and code state; 2 =
 * hart_start racing hart_start, then hart_start racing a reboot (harts 0-2).
 */
#define LC_MODE_RESET_RACE 1
#define LC_MODE_CPU_ON_RACE 2
#ifndef GUEST_LIFECYCLE
#define GUEST_LIFECYCLE 0
#endif
#ifndef GUEST_LC_VCPUS
#define GUEST_LC_VCPUS 3 /* mode 1: harts that reboot at once */
#endif
void lifecycle_main(void) __attribute__((noreturn));
void lifecycle_secondary(unsigned k, uint64_t ctx) __attribute__((noreturn));

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

/* fmt.c */
unsigned vfmt(char *buf, unsigned size, const char *fmt, va_list ap);
unsigned sfmt(char *buf, unsigned size, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* lock.c */
struct ticket_lock {
	volatile uint32_t next, owner;
};
void lock_take(struct ticket_lock *l);
void lock_give(struct ticket_lock *l);

/* console.c */
void print(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* timer.c */
extern volatile uint32_t sstc_missing;
uint64_t timer_now(void);
uint64_t timer_ms(unsigned ms);
void timer_start(unsigned k);
void timer_irq(unsigned k);

/* smp.c, rtc.c, imsic.c, irqc.c */
void smp_boot(void);
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
void fault_main(void);
int fault_probe_trap(uint64_t *frame, uint64_t cause);

/* features.c: the probes, and the trap hook (1: taken; frame[0] is where to return). */
void features_main(void);
int feature_probe_trap(uint64_t *frame, uint64_t cause);

/* ipc.c */
void ipc_init(void);
void ipc_irq(void);
void ipc_ping(void);
void ipc_intrude(void);

/* start.S, vectors.S and the C functions they call */
extern char secondary_entry[];
void boot_main(void) __attribute__((noreturn));
void secondary_main(unsigned k, uint64_t opaque) __attribute__((noreturn));
void trap_handler(uint64_t *frame);

#endif
