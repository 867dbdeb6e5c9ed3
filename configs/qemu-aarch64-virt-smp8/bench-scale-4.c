/* Benchmark (make bench): scale, 4 VM(s) of the boot probe (bench-scale.h). */
#define BENCH_VMS 4
#include "bench-scale.h"
