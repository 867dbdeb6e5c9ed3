/* The lifecycle race shared by the Arm platforms: see configs/common/aarch64/lifecycle-cpuon.c. */
#include "../common/aarch64/lifecycle-cpuon.c"
