/* Benchmark (make bench): boot of a small VM, coloured: bench-boot.c with half of the 16 LLC
 * colours (every other run of 8 pages). */
#define BENCH_COLOURS 0x00ff
#include "bench-boot.c"
