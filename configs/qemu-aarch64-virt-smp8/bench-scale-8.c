/* Benchmark (make bench): scale, 8 VM(s) of the boot probe (bench-scale.h). */
#define BENCH_VMS 8
#include "bench-scale.h"
