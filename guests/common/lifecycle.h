/*
 * What lifecycle.c (the lifecycle races, both bare-metal guests) needs of its guest's
 * lifecycle_arch.c: code a reset must reload, the state a reset must clear, and the
 * architecture's calls to start, stop and reset vCPUs. The words the races print in the
 * architecture's own terms (CPU_START, LC_FP, ...) are in each guest's guest.h.
 */
#ifndef LIFECYCLE_H
#define LIFECYCLE_H

#include <stdint.h>

/* lc_code returns LC_FRESH as the image has it; lc_code_patch rewrites it to
 * return LC_PATCHED and makes this vCPU fetch the new instruction. */
#define LC_FRESH 0x11u
#define LC_PATCHED 0x22u
uint32_t lc_code(void);
void lc_code_patch(void);
/* A second start entry point: sets lc_entry_b_seen, then goes on as
 * secondary_entry, so a started vCPU can tell which racing call won. */
extern char lc_entry_b[];
extern volatile uint32_t lc_entry_b_seen;

/* Non-zero if this vCPU's FP (and SIMD) state holds anything; lc_fp_dirty
 * sets all of it to a pattern of vCPU k's. */
uint64_t lc_fp_state(void);
/* op(n, a) for each of the 32 FP registers n (both architectures have 32),
 * the register number a literal, as an instruction encoding needs it. */
#define LC_FP_EACH(op, a) op(0, a); op(1, a); op(2, a); op(3, a); op(4, a); op(5, a);     \
	op(6, a); op(7, a); op(8, a); op(9, a); op(10, a); op(11, a); op(12, a); op(13, a); \
	op(14, a); op(15, a); op(16, a); op(17, a); op(18, a); op(19, a); op(20, a);        \
	op(21, a); op(22, a); op(23, a); op(24, a); op(25, a); op(26, a); op(27, a);        \
	op(28, a); op(29, a); op(30, a); op(31, a)

void lc_fp_dirty(unsigned k);
/* Other per-vCPU state a reset must clear (the RV64 AIA guest's interrupt
 * file), with the words it adds to the run line ("" if none). */
uint64_t lc_other_state(void);
void lc_other_dirty(void);
const char *lc_other_word(int bad);

/* Is `r` what the loser of two racing starts of one vCPU must get? */
int lc_start_lost(int64_t r);
/* Is vCPU k off (powered off / stopped)? */
int lc_cpu_is_off(unsigned k);
/* This vCPU powers itself off; returns only if the call failed. */
void lc_cpu_off(void);
/* Reset the VM; prints what the call returned if it does. */
void lc_system_reset(void);

#endif
