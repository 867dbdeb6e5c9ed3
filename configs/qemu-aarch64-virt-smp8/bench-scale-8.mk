# The boot probe guest (guests/probe, variant probe-boot).
include guests/probe/variants.mk
