/* lifecycle-reset with VM 'life' coloured (16 of 32 LLC colours) in 3 MiB: every reset reloads
 * it through the VM window, two windows (2 MiB and 1 MiB) a run. */
#define LIFE_COLOURS 0xffff0000
#define LIFE_MEM_SIZE (3 << 20)
#include "../common/riscv64/lifecycle-reset.c"
