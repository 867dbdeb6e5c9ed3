/* Benchmark (make bench): scale, 1 VM(s) (bench-scale.h). */
#define BENCH_VMS 1
#include "bench-scale.h"
