# The hostile guest and its victim (guests/hostile).
include guests/hostile/variants.mk
