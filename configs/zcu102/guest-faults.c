/* The guest-faults demo shared by the Arm platforms: see configs/common/aarch64/guest-faults.c. */
#include "../common/aarch64/guest-faults.c"
