# The boot probe guest (guests/probe, variant probe-boot), also run bare by scripts/bench.sh.
include guests/probe/variants.mk
