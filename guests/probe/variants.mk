# The probe guest's variants, for configs that embed it (included from configs/<platform>/bench-*.mk).
GUEST_VARIANTS += probe
GUEST_SRC_DIR_probe := guests/probe
# The boot probe (make bench): no latency probe, ~100 KiB of image, counters at
# the first instruction and the first output.
GUEST_VARIANTS += probe-boot
GUEST_SRC_DIR_probe-boot := guests/probe
GUEST_DEFS_probe-boot := -DPROBE_WHAT=0 -DPROBE_PAD_KIB=96
