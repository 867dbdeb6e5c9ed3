/* Benchmark (make bench): scale, 1 VM(s) of the boot probe (bench-scale.h). */
#define BENCH_VMS 1
#include "bench-scale.h"
