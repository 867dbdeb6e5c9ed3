/* SBI return codes by the spec's tables (SBI v2.0 §9.4 Table 42, §10.1 Tables 44-46, §12). */
#include "sbi_rules.h"
#include "sbi.h"

/*
 * hart_suspend's suspend_type is 32 bits (SBI v2.0 §9.4, Table 41):
 * 0x00000000 default retentive; 0x00000001-0x0FFFFFFF reserved;
 * 0x10000000-0x7FFFFFFF platform-specific retentive; 0x80000000 default
 * non-retentive; 0x80000001-0x8FFFFFFF reserved; 0x90000000-0xFFFFFFFF
 * platform-specific non-retentive; anything above 32 bits reserved.
 * Table 42: a reserved type, or a platform-specific one that is not
 * implemented (Baohu implements none), is SBI_ERR_INVALID_PARAM; a defined
 * type the platform cannot offer is SBI_ERR_NOT_SUPPORTED.
 */
enum sbi_suspend_kind sbi_rules_suspend(uint64_t type)
{
    if (type == 0)
        return SBI_SUSPEND_RETENTIVE;
    if (type == 0x80000000u)
        return SBI_SUSPEND_UNSUPPORTED;
    return SBI_SUSPEND_INVALID;
}

/*
 * system_reset (SBI v2.0 §10.1): reset_type 0 shutdown, 1 cold reboot, 2
 * warm reboot, 0x3-0xEFFFFFFF reserved, 0xF0000000-0xFFFFFFFF vendor or
 * platform specific; reset_reason 0 no reason, 1 system failure,
 * 0x2-0xDFFFFFFF reserved, 0xE0000000-0xEFFFFFFF SBI implementation
 * specific, 0xF0000000-0xFFFFFFFF vendor or platform specific. Table 46:
 * either one reserved, or platform-specific and not implemented (Baohu
 * implements no vendor type and no implementation-specific reason), is
 * SBI_ERR_INVALID_PARAM. Both are 32-bit parameters: higher values are
 * reserved too.
 */
int64_t sbi_rules_srst(uint64_t type, uint64_t reason)
{
    if (type > SBI_SRST_WARM_REBOOT || reason > 1)
        return SBI_ERR_INVALID_PARAM;
    return SBI_SUCCESS;
}

/*
 * DBCN (SBI v2.0 §12.1): base_addr_lo / base_addr_hi are the lower and upper
 * XLEN bits of the physical address; on RV64 an address needs no upper half,
 * so a non-zero base_addr_hi names memory beyond any physical address space:
 * SBI_ERR_INVALID_PARAM ("the memory parameters do not satisfy the
 * requirements").
 */
int64_t sbi_rules_dbcn_addr(uint64_t lo, uint64_t hi, uint64_t *addr)
{
    if (hi != 0)
        return SBI_ERR_INVALID_PARAM;
    *addr = lo;
    return SBI_SUCCESS;
}
