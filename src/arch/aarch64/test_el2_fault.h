/* Test-only EL2 faults: see test_el2_fault.c. */
#ifndef BAOHU_TEST_EL2_FAULT_H
#define BAOHU_TEST_EL2_FAULT_H

#ifdef BAOHU_TEST_EL2_FAULT
void test_el2_fault(void);
#endif

#endif
