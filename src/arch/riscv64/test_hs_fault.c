/* Test-only HS-mode faults (BAOHU_TEST_CFLAGS=-DBAOHU_TEST_HS_FAULT=n): evidence that Baohu's own tables refuse. */
#include "test_hs_fault.h"

#ifdef BAOHU_TEST_HS_FAULT
#include <stdint.h>

#include "console.h"

extern char __stacks_start[];

/* Writable, so never executable (mmu.c): one RET (c.jr ra) to jump to. */
static volatile uint32_t test_data_code[4] = {0x00008082u};

/*
 * CPU 0, console up, before any VM: one access its Sv39 tables must refuse, said first, so the
 * trap report that follows (traps.c, hyp_trap_unexpected) can be checked against it by
 * tests/integration/test_claims_el2.py. 1: a store into the top of CPU 0's stack guard page,
 * where an overflow lands first; 2: a store into Baohu's text; 3: a call into its data.
 */
void test_hs_fault(void)
{
    if (BAOHU_TEST_HS_FAULT == 1) {
        volatile uint64_t *guard = (volatile uint64_t *)(uintptr_t)(__stacks_start + 0xff8);
        console_log("test: store to the stack guard page at 0x%lx", (unsigned long)(uintptr_t)guard);
        *guard = 0;
    } else if (BAOHU_TEST_HS_FAULT == 2) {
        volatile uint32_t *text = (volatile uint32_t *)(uintptr_t)&test_hs_fault;
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
