/* config-check: validates the linked-in VM configuration against the linked-in platform. */
#include <stdio.h>
#include <stdlib.h>

#include "config_check.h"

int main(void)
{
    struct config_issue stack_issues[64];
    struct config_issue *issues = stack_issues;
    size_t count = config_check(&platform, &baohu_config, issues, CONFIG_ARRAY_SIZE(stack_issues));
    size_t errors = 0;

    /* More issues than fit: run again with room for all of them, so none
     * goes unreported. */
    if (count > CONFIG_ARRAY_SIZE(stack_issues)) {
        issues = calloc(count, sizeof *issues);
        if (!issues) {
            fprintf(stderr, "config-check: error: out of memory for %zu issues\n", count);
            return 1;
        }
        count = config_check(&platform, &baohu_config, issues, count);
    }
    for (size_t n = 0; n < count; n++) {
        fprintf(stderr, "config-check: %s: %s\n", issues[n].error ? "error" : "warning", issues[n].msg);
        errors += issues[n].error;
    }
    if (issues != stack_issues)
        free(issues);
    if (errors != 0) {
        fprintf(stderr, "config-check: %s: %zu error(s)\n", platform.name, errors);
        return 1;
    }
    printf("config-check: %s: %zu VMs OK\n", platform.name, baohu_config.vms_count);
    return 0;
}
