/* colour-check: whether a coloured Baohu's linked image fits the plan it makes at boot (hyp_colour_plan_boot). */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>

#include "baohu/config.h"
#include "hyp_colour.h"
#include "platform.h"

/*
 * Run by the Makefile on the linked ELF with its __image_start and
 * __image_end. Baohu would boot uncoloured from a plan that does not fit
 * (reported on its console): a build asking for colours is refused
 * instead, with the numbers to fix it by.
 */
int main(int argc, char **argv)
{
    uint64_t colours = baohu_config.hyp_colours;
    const struct platform_range *r = &platform.hyp_reserved;

    if (argc != 3) {
        fprintf(stderr, "usage: colour-check <image start> <image end>\n");
        return 2;
    }
    if (colours == 0)
        return 0;
    uint64_t start = strtoull(argv[1], NULL, 0), end = strtoull(argv[2], NULL, 0);
    /* config-check has already required a geometry and colours within it. */
    unsigned n = platform.llc.size / (platform.llc.ways * (uint32_t)PAGE_SIZE);
    struct hyp_colour_plan plan = {0};
    bool fits = hyp_colour_plan_boot(&plan, start, end, r->base, r->size, colours, n);
    uint64_t pages = (ALIGN_UP(end, PAGE_SIZE) - start) >> PAGE_SHIFT;
    uint64_t pool_end = hyp_table_pool_end(r->base, r->size);
    if (fits) {
        printf("colour-check: %s: Baohu's image (%" PRIu64 " pages) in colours 0x%" PRIx64 " of %u: "
               "its copies end at 0x%" PRIx64 ", its table pool at 0x%" PRIx64 "\n",
               platform.name, pages, colours, n, hyp_colour_plan_end(&plan), pool_end);
        return 0;
    }
    fprintf(stderr, "colour-check: error: %s: Baohu's image (%" PRIu64 " pages, 0x%" PRIx64 "-0x%" PRIx64
            ") does not fit in colours 0x%" PRIx64 " of %u in its reserved range up to 0x%" PRIx64,
            platform.name, pages, start, end, colours, n, pool_end);
    if (plan.per_period)
        fprintf(stderr, " (its copies would end at 0x%" PRIx64 ")", hyp_colour_plan_end(&plan));
    fprintf(stderr, ": give Baohu more colours (hyp_colours) or the platform a larger hyp_reserved\n");
    return 1;
}
