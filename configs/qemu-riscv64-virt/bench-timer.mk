# The latency probe guest (guests/probe-riscv64), also run bare by scripts/bench.sh.
include guests/probe-riscv64/variants.mk
