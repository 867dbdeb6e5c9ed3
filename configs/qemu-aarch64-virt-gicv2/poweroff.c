/* Every VM stops, then Baohu powers off: see configs/common/aarch64/poweroff.c. */
#include "../common/aarch64/poweroff.c"
