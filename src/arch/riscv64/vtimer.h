/* The guest's supervisor timer: vstimecmp with Sstc, else SBI set_timer through Baohu's own timer. */
#ifndef BAOHU_RISCV64_VTIMER_H
#define BAOHU_RISCV64_VTIMER_H

#include <stdint.h>

struct vcpu;

/* Does this hart give guests vstimecmp (henvcfg.STCE stuck)? */
bool vcpu_sstc(void);
/* SBI set_timer from the guest (SBI §6.1): next VS timer interrupt at `deadline`. */
void vtimer_set(struct vcpu *v, uint64_t deadline);
/* Baohu's own supervisor timer fired (no Sstc): the guest's deadline passed. */
void vtimer_expired(struct vcpu *v);
/* Timer off, nothing pending. */
void vtimer_reset(struct vcpu *v);

#endif
