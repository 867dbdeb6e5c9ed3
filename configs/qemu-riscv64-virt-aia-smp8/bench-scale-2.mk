# The small guest of the scale bench (guests/workload, variant workload-boot).
include guests/workload/variants.mk
