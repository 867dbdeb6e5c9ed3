/* Build-time validation of a VM configuration against its platform (host only). */
#ifndef BAOHU_CONFIG_CHECK_H
#define BAOHU_CONFIG_CHECK_H

#include <stdbool.h>
#include <stddef.h>

#include "baohu/config.h"
#include "platform.h"

struct config_issue {
    bool error; /* false: warning */
    char msg[200]; /* "VM '<name>' (#<index>) <field>: <what, with the values>" */
};

/*
 * Check `cfg` against `plat`. Returns how many issues were found, which may
 * be more than `max`: only the first `max` are stored in `out` (out may be
 * NULL when max is 0).
 */
size_t config_check(const struct platform *plat, const struct baohu_config *cfg,
                    struct config_issue *out, size_t max);

#endif
