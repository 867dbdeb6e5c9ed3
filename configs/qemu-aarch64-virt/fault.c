/* The fault demo shared by the Arm platforms: see configs/common/aarch64/fault.c. */
#include "../common/aarch64/fault.c"
