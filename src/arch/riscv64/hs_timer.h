/* Baohu's one supervisor timer per hart, shared by its users (guest set_timer without Sstc, IPI stall poll, watchdog). */
#ifndef BAOHU_RISCV_HS_TIMER_H
#define BAOHU_RISCV_HS_TIMER_H

#include "types.h"

enum hs_timer_user {
    HS_TIMER_GUEST,    /* the guest's SBI set_timer, on a hart without Sstc (vtimer.c) */
    HS_TIMER_IPI_POLL, /* the IPI stall poll, on a hart with Sstc (vcpu.c) */
    HS_TIMER_WATCHDOG, /* the VM's watchdog (core watchdog.c, arch_hyp_timer_arm) */
    HS_TIMER_USERS,
};

#define HS_TIMER_OFF (~0ull)

/* This hart's `user` wants an interrupt at `deadline` (time CSR ticks;
 * HS_TIMER_OFF: none). The hart's timer is programmed for the earliest. */
void hs_timer_set(enum hs_timer_user user, uint64_t deadline);
/* From the timer interrupt: the users whose deadline has passed (bit per
 * user), each switched off; the timer is programmed for the rest. */
uint32_t hs_timer_take_expired(void);

#endif
