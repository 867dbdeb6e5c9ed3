# The latency probe guest (guests/probe), also run bare by scripts/bench.sh.
include guests/probe/variants.mk
