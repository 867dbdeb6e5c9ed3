/* Benchmark (make bench): Debian's arm64 Linux alone in a 512 MiB VM, coloured: bench-linux.c
 * with 12 of the 16 LLC colours. */
#define BENCH_COLOURS 0x0fff
#include "bench-linux.c"
