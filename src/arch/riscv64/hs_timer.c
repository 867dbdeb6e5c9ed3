/* Baohu's supervisor timer multiplexed per hart: stimecmp with Sstc, else the firmware's SBI set_timer (SBI §6.1). */
#include "arch.h"
#include "csr.h"
#include "hs_timer.h"
#include "platform.h"
#include "sbi.h"
#include "vtimer.h"

/*
 * One hart has one supervisor timer and up to three users of it. Each
 * hart's deadlines are its own (only that hart reads or writes them, from
 * the trap and idle paths with interrupts off), so no lock is needed. With
 * Sstc (priv. spec, Sstc §1) stimecmp is written directly and STIP follows
 * time >= stimecmp; without it SBI set_timer programs the firmware's timer
 * and clears a pending STIP (SBI §6.1). sie.STIE is on only while some
 * deadline is set, so an idle hart with none is never woken.
 */
static uint64_t hs_deadline[PLATFORM_MAX_CPUS][HS_TIMER_USERS];
static bool hs_ready[PLATFORM_MAX_CPUS];

static void hs_timer_program(uint64_t *d)
{
    uint64_t next = HS_TIMER_OFF;
    for (unsigned u = 0; u < HS_TIMER_USERS; u++)
        if (d[u] < next)
            next = d[u];
    if (next == HS_TIMER_OFF) {
        csr_clear(sie, 1u << IRQ_STI);
        if (vcpu_sstc())
            csr_write(CSR_STIMECMP, HS_TIMER_OFF);
        return;
    }
    if (vcpu_sstc())
        csr_write(CSR_STIMECMP, next);
    else
        sbi_call(SBI_EXT_TIME, 0, next, 0, 0, 0, 0);
    csr_set(sie, 1u << IRQ_STI);
}

static uint64_t *hs_timer_mine(void)
{
    cpuid_t id = arch_cpu_id();
    uint64_t *d = hs_deadline[id];
    if (!hs_ready[id]) {
        for (unsigned u = 0; u < HS_TIMER_USERS; u++)
            d[u] = HS_TIMER_OFF;
        hs_ready[id] = true;
    }
    return d;
}

void hs_timer_set(enum hs_timer_user user, uint64_t deadline)
{
    uint64_t *d = hs_timer_mine();
    d[user] = deadline;
    hs_timer_program(d);
}

uint32_t hs_timer_take_expired(void)
{
    uint64_t *d = hs_timer_mine();
    uint64_t now = csr_read(time);
    uint32_t expired = 0;
    for (unsigned u = 0; u < HS_TIMER_USERS; u++) {
        if (d[u] <= now) {
            expired |= 1u << u;
            d[u] = HS_TIMER_OFF;
        }
    }
    hs_timer_program(d);
    return expired;
}
