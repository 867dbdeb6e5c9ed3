/* Workload benchmark guest: the interface between the kernels, main.c and each arch's part. */
#ifndef WORKLOAD_H
#define WORKLOAD_H

#include <stdint.h>
#include "probe_out.h"

/* Largest inputs (static arrays in .bss). */
#define BITCOUNT_MAX 20000u
#define QSORT_MAX 20000u
#define IMAGE_MAX 96u

/* kernels.c: each returns a checksum of its result (0: the kernel found its result wrong). */
uint64_t kernel_basicmath(uint32_t n);
uint64_t kernel_bitcount(uint32_t n);
uint64_t kernel_qsort(uint32_t n);
uint64_t kernel_image(uint32_t w);

/* aarch64/arch.c, riscv64/arch.c */
void arch_init(void);             /* console, interrupt controller, FP */
int arch_hypervisor(void);        /* 1: running as a VM under Baohu */
uint64_t arch_counter(void);      /* the virtual counter / time CSR */
uint64_t arch_counter_hz(void);
void arch_tick_start(uint32_t hz); /* a periodic timer interrupt (tick_count counts them) */
void arch_tick_stop(void);
uint64_t arch_exits(void);        /* Baohu's exit count of this vCPU (0 bare) */
void arch_relax(void);            /* hand QEMU's thread to the next CPU (yield / wfi) */
void arch_off(void);              /* power off (bare) / stop the VM */
/* say (guests/common/probe_out.c, the probes' formatter; arch.c gives say_putc) */
extern volatile uint64_t tick_count;

/* main.c: entered from start.S on the first CPU only. */
void workload_main(void);
/* arch.c: from the interrupt / bad-exception entries of start.S. */
void workload_irq(void);
void workload_fatal(uint64_t vec, uint64_t cause, uint64_t pc);

#endif
