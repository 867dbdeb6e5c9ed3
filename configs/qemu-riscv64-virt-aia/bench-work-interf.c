/* Benchmark (make bench): the workload guest, interf (configs/common/riscv64/bench-work.c). */
#define BENCH_INTERF 1
#define BENCH_COLOURED 0
#include "../common/riscv64/bench-work.c"
