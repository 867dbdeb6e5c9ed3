/* configs/common/aarch64/colour.c (Baohu in 4 of 16 colours) with 24 MiB more image: its copies
 * would end past Baohu's reserved range, so the build must refuse it (tests/integration/test_hyp_space.py). */
#include <baohu/config.h>

__attribute__((used)) static char colour_padding[24 << 20];

#include "../../../configs/common/aarch64/colour.c"
