# The latency probe guest (guests/probe-riscv64), also run bare by scripts/bench.sh.
include guests/probe-riscv64/variants.mk
# The interrupt files are mapped into the VM: also measure an MSI straight into the peer's file.
GUEST_DEFS_probe := -DPROBE_AIA=1
