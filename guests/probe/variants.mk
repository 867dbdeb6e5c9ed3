# The probe guest's variants, for configs that embed it (included from configs/<platform>/bench-*.mk).
GUEST_VARIANTS += probe
GUEST_SRC_DIR_probe := guests/probe
