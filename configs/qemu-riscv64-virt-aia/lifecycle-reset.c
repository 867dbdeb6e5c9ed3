/* See configs/common/riscv64/lifecycle-reset.c; the guest also checks and fills its interrupt files. */
#define LC_GUEST_SUFFIX "-aia"
#include "../common/riscv64/lifecycle-reset.c"
