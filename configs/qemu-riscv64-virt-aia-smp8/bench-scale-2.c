/* Benchmark (make bench): scale, 2 VM(s) (bench-scale.h). */
#define BENCH_VMS 2
#include "bench-scale.h"
