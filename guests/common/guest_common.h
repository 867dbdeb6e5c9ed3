/*
 * What both bare-metal test guests (guests/baremetal on Arm, guests/baremetal-riscv64) share:
 * the test-variant options they both have (-D defaults), the code in guests/common, and the
 * hooks that code calls, which each guest's own files provide. Included by each guest's
 * guest.h, after its config.h (MAX_VCPUS) and before its own options.
 */
#ifndef GUEST_COMMON_H
#define GUEST_COMMON_H

#include <stdarg.h>
#include <stdint.h>

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

/* Victim mode (checksum.c): ticks carry a checksum of the guest's own memory. */
#ifndef GUEST_CHECKSUM
#define GUEST_CHECKSUM 0
#endif
void checksum_init(void);
void checksum_tick(unsigned k, uint32_t n);

/* IPC (ipc.c, configs/<platform>/ipc.c): 1 = ping, 2 = pong, 3 = intruder (has no
 * object). The doorbell (GUEST_IPC_IRQ) is an interrupt of the VM's controller:
 * an SPI of its GIC, a source of its PLIC or APLIC. */
#ifndef GUEST_IPC_ROLE
#define GUEST_IPC_ROLE 0
#endif
#ifndef GUEST_IPC_ROUNDS
#define GUEST_IPC_ROUNDS 100
#endif
void ipc_irq(void);
/* vCPU 0 before its tick loop: the role's work, with interrupts unmasked
 * (ping waits for its doorbell). */
void ipc_run(void);

/*
 * Fault probes (faults.c, configs/<platform>/guest-faults.c): 1 = for each
 * fault class, check the exception the guest receives, then 1000 faults in a
 * row; 2 = fault with the guest's vector (VBAR_EL1, stvec) outside the
 * partition (the VM must be stopped).
 */
#define FAULT_ROLE_PROBE 1
#define FAULT_ROLE_VECTOR 2
#ifndef GUEST_FAULT_ROLE
#define GUEST_FAULT_ROLE 0
#endif
void fault_main(void);

/*
 * Lifecycle races (lifecycle.c, configs/<platform>/lifecycle-*.c): 1 = every
 * vCPU resets the VM at once, each run checking FP and code state; 2 = a CPU
 * start (PSCI CPU_ON, SBI HSM hart_start) racing another, then racing a reset
 * (vCPUs 0-2).
 */
#define LC_MODE_RESET_RACE 1
#define LC_MODE_CPU_ON_RACE 2
#ifndef GUEST_LIFECYCLE
#define GUEST_LIFECYCLE 0
#endif
#ifndef GUEST_LC_VCPUS
#define GUEST_LC_VCPUS 3 /* mode 1: vCPUs that reset at once */
#endif
void lifecycle_main(void) __attribute__((noreturn));
void lifecycle_secondary(unsigned k, uint64_t ctx) __attribute__((noreturn));

/* fmt.c */
unsigned vfmt(char *buf, unsigned size, const char *fmt, va_list ap);
unsigned sfmt(char *buf, unsigned size, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* console.c: one whole line per call, under the console lock. */
void print(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* timer.c */
uint64_t timer_now(void);
uint64_t timer_ms(unsigned ms);
void timer_start(unsigned k);
void timer_irq(unsigned k);

/* smp.c (each guest's): vCPU 0 starts the others and checks them. It
 * starts them with smp_start.c's smp_start_all: vCPUs 1, 2, ... below
 * `limit` until a start fails, then waits (bounded) until each started vCPU
 * this image has a stack for is online; returns how many those are. */
void smp_boot(void);
unsigned smp_start_all(unsigned limit);

/* start.S and the C functions it calls: vCPU 0's entry, and a secondary's
 * (k = its vCPU number, ctx = the start request's context id / opaque). */
extern char secondary_entry[];
void boot_main(void) __attribute__((noreturn));
void secondary_main(unsigned k, uint64_t ctx) __attribute__((noreturn));

/*
 * The hooks: each guest's own files define them.
 *  - struct guest_lock, lock_take, lock_give (lock.c): mutual exclusion
 *    between the VM's vCPUs; `me` is the caller's vCPU number.
 *  - console_putc (console_out.c): one character to the guest's console
 *    device, '\n' as that device wants it.
 *  - baohu_hc: a Baohu hypercall (include/baohu/hypercall.h) with two
 *    arguments; a negative error, else its value.
 *  - ipc_doorbell_enable: the VM's doorbell interrupt `irq` enabled at its
 *    controller, towards vCPU 0.
 *  - cpu_start (psci.c, sbi.c): start vCPU k at `entry` with context `ctx`;
 *    0 or the call's error. Its names in guest.h: CPU_START ("cpu_on",
 *    "hart_start") and CPU_START_CALL ("psci cpu_on", "hsm hart_start").
 *  - mb (the guest's arch header): a full barrier between the VM's vCPUs
 *    and Baohu, for shared memory and the MMIO it signals with.
 *  - cpu_id, cpu_relax, irq_unmask, mmio_r32, mmio_w32 (the same).
 */
int64_t cpu_start(unsigned k, const void *entry, uint64_t ctx);
struct guest_lock;
void lock_take(struct guest_lock *l, unsigned me);
void lock_give(struct guest_lock *l, unsigned me);
void console_putc(char c);
int64_t baohu_hc(uint64_t id, uint64_t a0, uint64_t a1);
void ipc_doorbell_enable(unsigned irq);

#endif
