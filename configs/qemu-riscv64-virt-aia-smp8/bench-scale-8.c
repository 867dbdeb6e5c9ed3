/* Benchmark (make bench): scale, 8 VM(s) (bench-scale.h). */
#define BENCH_VMS 8
#include "bench-scale.h"
