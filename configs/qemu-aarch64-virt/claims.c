/* Claims probes shared by the Arm platforms: see configs/common/aarch64/claims.c. */
#include "../common/aarch64/claims.c"
