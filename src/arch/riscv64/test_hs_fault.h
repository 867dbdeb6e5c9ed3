/* Test-only HS-mode faults: see test_hs_fault.c. */
#ifndef BAOHU_TEST_HS_FAULT_H
#define BAOHU_TEST_HS_FAULT_H

#ifdef BAOHU_TEST_HS_FAULT
void test_hs_fault(void);
#endif

#endif
