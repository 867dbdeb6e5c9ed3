/* Console forgery, shared by the Arm platforms: see configs/common/aarch64/console-forge.c. */
#include "../common/aarch64/console-forge.c"
