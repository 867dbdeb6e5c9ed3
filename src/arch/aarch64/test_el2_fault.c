/* Test-only EL2 faults (BAOHU_TEST_CFLAGS=-DBAOHU_TEST_EL2_FAULT=n): evidence that Baohu's own tables refuse. */
#include "test_el2_fault.h"

#ifdef BAOHU_TEST_EL2_FAULT
#include <stdint.h>

#include "console.h"
#include "sysreg.h"

extern char __stacks_start[];

/* Writable, so never executable (SCTLR_EL2.WXN, mmu.c): one RET to jump to. */
static volatile uint32_t test_data_code[4] = {0xd65f03c0u};

/*
 * CPU 0, console up, before any VM: one access its EL2 tables must refuse, said first, so the
 * exception report that follows (traps.c, hyp_trap_unexpected) can be checked against it by
 * tests/integration/test_claims_el2.py. 1: a store into the top of CPU 0's stack guard page,
 * where an overflow lands first; 2: a store into Baohu's text; 3: a call into its data.
 */
void test_el2_fault(void)
{
    uint64_t sctlr = sysreg_read(sctlr_el2);

    console_log("test: sctlr_el2 wxn %lu m %lu", (unsigned long)(sctlr >> 19 & 1),
                (unsigned long)(sctlr & 1));
    if (BAOHU_TEST_EL2_FAULT == 1) {
        volatile uint64_t *guard = (volatile uint64_t *)(uintptr_t)(__stacks_start + 0xff8);
        console_log("test: store to the stack guard page at 0x%lx", (unsigned long)(uintptr_t)guard);
        *guard = 0;
    } else if (BAOHU_TEST_EL2_FAULT == 2) {
        volatile uint32_t *text = (volatile uint32_t *)(uintptr_t)&test_el2_fault;
        console_log("test: store to text at 0x%lx", (unsigned long)(uintptr_t)text);
        *text = 0;
    } else {
        void (*code)(void) = (void (*)(void))(uintptr_t)test_data_code;
        console_log("test: call into data at 0x%lx", (unsigned long)(uintptr_t)test_data_code);
        code();
    }
    console_log("test: the access was allowed");
}
#endif
