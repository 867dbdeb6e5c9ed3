/* Forced-included into RISC-V sources built for the host: csr.h's CSR writes become calls the fuzzer records. */
#ifndef BAOHU_FUZZ_HOST_CSR_H
#define BAOHU_FUZZ_HOST_CSR_H

#include "csr.h"

/* csr.h's inline assembly cannot run on the host: the accesses a fuzzed
 * source makes go to these (fuzz_<target>.c defines them). */
void fuzz_csr_set(const char *csr, uint64_t bits);
void fuzz_csr_clear(const char *csr, uint64_t bits);
#undef csr_set_
#undef csr_clear_
#define csr_set_(c, v) fuzz_csr_set(#c, (uint64_t)(v))
#define csr_clear_(c, v) fuzz_csr_clear(#c, (uint64_t)(v))

#endif
