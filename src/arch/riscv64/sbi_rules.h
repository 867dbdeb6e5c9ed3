/* Which SBI return code a guest's parameters call for (SBI v2.0 §9.4, §10.1, §12): pure decisions, host-testable. */
#ifndef BAOHU_RISCV64_SBI_RULES_H
#define BAOHU_RISCV64_SBI_RULES_H

#include <stdint.h>

/* What HSM hart_suspend (SBI v2.0 §9.4) is to do with `type`. */
enum sbi_suspend_kind {
    SBI_SUSPEND_RETENTIVE,   /* default retentive suspend (0): carry it out */
    SBI_SUSPEND_UNSUPPORTED, /* default non-retentive (0x80000000): not offered */
    SBI_SUSPEND_INVALID,     /* reserved, or platform-specific (none implemented) */
};
enum sbi_suspend_kind sbi_rules_suspend(uint64_t type);

/* SRST system_reset (SBI v2.0 §10.1): 0 (the reset is to be carried out)
 * or the error to return. */
int64_t sbi_rules_srst(uint64_t type, uint64_t reason);

/* DBCN console_write / console_read (SBI v2.0 §12.1, §12.2): the
 * physical address the guest names, from its two halves. On RV64 the upper
 * half must be 0 (the address is 64-bit in the lower half already). Returns
 * 0 and sets *addr, or SBI_ERR_INVALID_PARAM. */
int64_t sbi_rules_dbcn_addr(uint64_t lo, uint64_t hi, uint64_t *addr);

#endif
