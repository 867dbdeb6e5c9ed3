/* lifecycle-reset with VM 'life' coloured (8 of 16 LLC colours) in 3 MiB: every reset reloads
 * it through the VM window, two windows (2 MiB and 1 MiB) a run. */
#define LIFE_COLOURS 0xff00
#define LIFE_MEM_SIZE (3 << 20)
#include "../common/aarch64/lifecycle-reset.c"
