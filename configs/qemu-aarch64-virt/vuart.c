/* The virtual PL011 demo, shared by the Arm platforms: see configs/common/aarch64/vuart.c. */
#include "../common/aarch64/vuart.c"
