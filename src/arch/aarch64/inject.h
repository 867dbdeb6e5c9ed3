/* Exceptions Baohu gives the guest at EL1, as the hardware would raise them (inject.c). */
#ifndef BAOHU_AARCH64_INJECT_H
#define BAOHU_AARCH64_INJECT_H

#include <stdbool.h>
#include <stdint.h>
#include "arch_regs.h"

/* Was the guest at EL0 (AArch64 or AArch32) when it trapped? From SPSR_EL2.M. */
bool inject_from_el0(const struct trap_frame *f);
/* Is `pc` (an EL1 address) inside the guest's vector table (VBAR_EL1, 2 KiB)? */
bool inject_pc_in_vector(const struct trap_frame *f);

/*
 * A synchronous external abort for the access that took stage-2 abort
 * `esr_el2`: a data abort (EC 0x24 from EL0 / 0x25 from EL1) or an
 * instruction abort (EC 0x20 / 0x21), FSC 0b010000, WnR and CM as the
 * access had them, FAR_EL1 = `far` (unless the syndrome says FnV).
 */
void inject_external_abort(struct trap_frame *f, bool insn, uint64_t esr_el2, uint64_t far);
/* UNDEFINED at the trapped instruction: EC 0x00, IL = 1. */
void inject_undef(struct trap_frame *f);
/* A virtual SError (HCR_EL2.VSE), taken when the guest unmasks PSTATE.A. */
void inject_serror(void);

#endif
