/* The ipc demo shared by the Arm platforms: see configs/common/aarch64/ipc.c. */
#include "../common/aarch64/ipc.c"
