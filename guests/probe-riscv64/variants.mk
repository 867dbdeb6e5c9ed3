# The RV64 probe guest's variant, for configs that embed it (included from configs/<platform>/bench-*.mk).
GUEST_VARIANTS += probe
GUEST_SRC_DIR_probe := guests/probe-riscv64
