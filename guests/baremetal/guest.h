/* Test-variant options (-D defaults), shared per-vCPU state and prototypes of the Arm guest (with guests/common/guest_common.h). */
#ifndef GUEST_H
#define GUEST_H

#include <stdarg.h>
#include <stdint.h>
#include "arch.h"
#include "config.h"
#include "guest_common.h"

#ifndef GUEST_BURST
#define GUEST_BURST 0
#endif
#ifndef GUEST_BADMMIO_AFTER
#define GUEST_BADMMIO_AFTER 0
#endif
/* DMA isolation (dma.c): 1 = drive virtio-blk-pci behind the SMMU, 2 = victim. */
#ifndef GUEST_DMA_ROLE
#define GUEST_DMA_ROLE 0
#endif
#ifndef GUEST_DMA_VICTIM
#define GUEST_DMA_VICTIM 0x48100000UL /* the victim's RAM, physical */
#endif
#ifndef GUEST_DMA_BUF
#define GUEST_DMA_BUF 0x40800000UL /* the probe's own RAM for rings and buffers */
#endif
#ifndef GUEST_DMA_VICTIM_IPA
#define GUEST_DMA_VICTIM_IPA 0x40100000UL
#endif
void dma_main(void);
void dma_victim_init(void);
void dma_victim_tick(void);
/* IPC (guests/common/ipc.c): the object, the doorbell SPI and page. */
#ifndef GUEST_IPC_SHM
#define GUEST_IPC_SHM 0x50000000UL
#endif
#ifndef GUEST_IPC_IRQ
#define GUEST_IPC_IRQ 52
#endif
#ifndef GUEST_IPC_DOORBELL
#define GUEST_IPC_DOORBELL 0x50100000UL
#endif
/* Timer interrupt latency probe: vCPU 0 busy-polls (no WFI, whose wake-up
 * QEMU's icount mode delays artificially) and reports after N ticks. */
#ifndef GUEST_LATENCY
#define GUEST_LATENCY 0
#endif
#ifndef GUEST_LATENCY_SAMPLES
#define GUEST_LATENCY_SAMPLES 20
#endif
struct latency {
	uint64_t sum, min, max;
	uint32_t samples;
};
extern struct latency latency;
#ifndef GUEST_UART_RX
#define GUEST_UART_RX 0
#endif
/*
 * Interrupt isolation (flood.c): a 2-vCPU VM flooding Baohu with IPC
 * notifications, SGIs and distributor writes, and the 1-vCPU peer sharing an
 * object with it whose timer ticks must not suffer.
 */
#define FLOOD_ROLE_FLOOD 1
#define FLOOD_ROLE_PEER 2
#ifndef GUEST_FLOOD_ROLE
#define GUEST_FLOOD_ROLE 0
#endif
#ifndef GUEST_FLOOD_PHASE_MS
#define GUEST_FLOOD_PHASE_MS 1000 /* virtual time each flood phase lasts */
#endif
#ifndef GUEST_FLOOD_SHM
#define GUEST_FLOOD_SHM 0x50000000UL
#endif
#ifndef GUEST_FLOOD_IRQ
#define GUEST_FLOOD_IRQ 52 /* this VM's doorbell */
#endif
/*
 * A passed-through device with a programmable delayed interrupt (alarm.c):
 * the PL031 RTC (GUEST_ALARM_PL031) or the Cadence TTC (GUEST_ALARM_TTC), the
 * platform's choice (guests/variants.mk). Roles: an SPI armed while vCPU 0 is
 * off, and a VM reset from inside the device's interrupt handler.
 */
#define ALARM_ROLE_SPI_OFF 1
#define ALARM_ROLE_RESET 2
#ifndef GUEST_ALARM_ROLE
#define GUEST_ALARM_ROLE 0
#endif
/* SPI_OFF: 0 route+enable, then arm; 1 arm, fire, route, enable; 2 arm, fire, enable, route.
 * RESET: 0 reset with the device not acknowledged; 1 acknowledged at the device (no EOI either way). */
#ifndef GUEST_ALARM_MODE
#define GUEST_ALARM_MODE 0
#endif
#ifndef GUEST_ALARM_VCPU
#define GUEST_ALARM_VCPU 0 /* RESET: the vCPU the interrupt is routed to */
#endif
#ifndef GUEST_BOOTLOG_SHM
#define GUEST_BOOTLOG_SHM 0x50000000UL /* RESET: a shared-memory word outliving VM resets */
#endif

/* Fault probes (faults.c): the UART they must not reach. */
#ifndef GUEST_FAULT_UART
#define GUEST_FAULT_UART 0x09000000UL /* the console UART: Baohu's, never the VM's */
#endif

/* The lifecycle races' words (guests/common/lifecycle.c), PSCI's. */
#define CPU_START "cpu_on"
#define CPU_START_CALL "psci cpu_on"
#define LC_OFF "cpu_off"
#define LC_CTX "ctx"
#define LC_FP "fpsimd"

/* Interrupt IDs used by the guest. */
#define INTID_SGI_PING 3      /* vCPU 0 -> secondaries, once they are online */
#define INTID_BURST_FIRST 8   /* SGIs 8..15: the priority-order burst */
#define INTID_PMU 23          /* PMU overflow PPI (SBSA/virt board) */
#define INTID_VTIMER 27       /* EL1 virtual timer PPI (SBSA/virt board) */
#define INTID_UART 33         /* PL011 on QEMU virt: SPI 1 */
#define INTID_SGI_FLOOD 4     /* flood.c: the SGI storm towards a stalled vCPU */

/* uart_rx.c (GUEST_UART_RX: a passthrough PL011 with its interrupt) */
extern volatile uint32_t uart_rx_lines;
extern char uart_rx_line[64];
void uart_rx_init(void);
void uart_rx_irq(void);
/* gic.c: enable an SPI, delivered to this VM's vCPU 0 (the reset routing). */
void gic_spi_enable(unsigned intid, uint8_t prio);
/* gic.c: deliver an SPI to vCPU `vcpu` (GICD_IROUTER / GICD_ITARGETSR). */
void gic_spi_route(unsigned intid, unsigned vcpu);
/* gic.c: a 32-bit write to a distributor register (offsets common to GICv2 and GICv3). */
void gic_dist_w32(unsigned off, uint32_t value);
/* flood.c */
void flood_main(void) __attribute__((noreturn));
void flood_secondary(unsigned k) __attribute__((noreturn));
void flood_sgi(unsigned k);
void flood_peer_init(void);
void flood_peer_timer(uint64_t now);
void flood_peer_tick(uint32_t n);
void flood_peer_doorbell(void);
/* faults.c: the probe's exception hook (1: taken, return to *elr with *spsr). */
void fault_pmu_irq(void);
int fault_probe_exception(uint64_t *elr, uint64_t *spsr, unsigned vec, uint64_t esr);
/* alarm.c */
void alarm_main(void); /* returns where vCPU 0 should just tick */
void alarm_secondary(unsigned k) __attribute__((noreturn));
void alarm_irq(unsigned k);
unsigned alarm_intid(void);

/* State each vCPU's IRQ handler updates and its thread context consumes. */
struct vcpu {
	volatile uint32_t online;
	volatile uint32_t ticks; /* virtual timer interrupts taken */
	volatile uint32_t pings; /* SGI 3 taken */
	uintptr_t rd;            /* this vCPU's GICR RD_base */
};
extern struct vcpu vcpus[MAX_VCPUS];

static inline unsigned cpu_id(void)
{
	uint64_t mpidr;

	__asm__ __volatile__("mrs %0, mpidr_el1" : "=r"(mpidr));
	return (unsigned)(mpidr & 0xff); /* MPIDR_EL1.Aff0 = vCPU number */
}

/* lock.c: the guest lock is a bakery lock (plain loads and stores). */
struct guest_lock {
	volatile uint32_t choosing[MAX_VCPUS];
	volatile uint32_t number[MAX_VCPUS];
};

/* psci.c */
extern volatile uint32_t smc_undefined;
int64_t hvc_call(uint64_t x0, uint64_t x1, uint64_t x2, uint64_t x3);
int64_t smc_call(uint64_t x0, uint64_t x1, uint64_t x2, uint64_t x3);
int32_t psci(uint32_t fid, uint64_t a1, uint64_t a2, uint64_t a3);

/* gic.c */
void gic_dist_init(void);
void gic_cpu_init(unsigned k);
void gic_set_priority(unsigned k, unsigned intid, uint8_t prio);
void gic_enable(unsigned k, unsigned intid);
uint32_t gic_pending(unsigned k);
void gic_send_sgi(unsigned target, unsigned intid);
uint32_t gic_ack(void);
void gic_eoi(uint32_t intid);

/* burst.c */
void burst_run(void);
void burst_record(unsigned intid);

/* vectors.S and the C function it calls */
extern char vectors[];
struct frame;
void exc_handler(struct frame *f, uint64_t vec);

#endif
