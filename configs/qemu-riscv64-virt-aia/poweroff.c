/* Every VM stops, then Baohu powers off: see configs/common/riscv64/poweroff.c. */
#include "../common/riscv64/poweroff.c"
