# The workload guest (guests/workload), also run bare by scripts/bench.sh.
include guests/workload/variants.mk
