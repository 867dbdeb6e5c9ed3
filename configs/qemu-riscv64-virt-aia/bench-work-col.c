/* Benchmark (make bench): the workload guest, solo-col (configs/common/riscv64/bench-work.c). */
#define BENCH_INTERF 0
#define BENCH_COLOURED 1
#include "../common/riscv64/bench-work.c"
