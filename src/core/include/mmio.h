/* A trapped guest load or store to an emulated device. */
#ifndef BAOHU_MMIO_H
#define BAOHU_MMIO_H

#include "types.h"

struct mmio_access {
    ipa_t addr;
    unsigned size; /* bytes: 1, 2, 4 or 8 */
    bool write;
    uint64_t value; /* written value, or where a read's result goes */
};

#endif
