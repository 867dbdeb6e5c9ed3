/* Fuzzing the device-tree generator (tools/config_dts.c) on every config the validator accepts. */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <string.h>

#include "config_check.h"
#include "config_gen.h"
#include "fuzz_input.h"

/*
 * config-dts runs only on configs that config-check accepted (the build
 * makes it from such a config): a generated config with no error is
 * turned into a device tree for one of its VMs, on any of the five
 * boards. tools/config_dts.c is linked with its `main`, `platform` and
 * `baohu_config` renamed (Makefile), so this fuzzer gives it the board
 * and config of each input and reads its output from memory. The output
 * must be well-formed device-tree source as far as cheap checks go:
 * braces balance, the root's child nodes have unique names, one memory
 * node per RAM region not dt_hidden and one cpu node per vCPU, every GIC SPI specifier
 * names an SPI of the board (no INTID below 32 wrapped around).
 */

struct platform dts_platform;
struct baohu_config dts_config;
int config_dts_main(int argc, char **argv);

static char *out;
static size_t out_len;

static int run(const char *vm, char **errtext, size_t *errlen)
{
    char *argv[] = {"config-dts", (char *)vm, "--bootargs", "console=ttyAMA0", "--initrd",
                    "0x48000000", "0x48100000", NULL};
    FILE *saved_out = stdout, *saved_err = stderr;
    FILE *o = open_memstream(&out, &out_len), *e = open_memstream(errtext, errlen);
    FUZZ_ASSERT(o && e, "open_memstream");
    stdout = o;
    stderr = e;
    int rc = config_dts_main(7, argv);
    fclose(o);
    fclose(e);
    stdout = saved_out;
    stderr = saved_err;
    return rc;
}

static size_t count(const char *s, const char *what)
{
    size_t n = 0;
    for (const char *p = s; (p = strstr(p, what)); p += strlen(what))
        n++;
    return n;
}

static void check_dts(const struct platform *p, const struct vm_config *vm)
{
    int depth = 0;
    char names[64][64];
    size_t nnames = 0;
    for (const char *line = out; *line;) {
        const char *end = strchr(line, '\n');
        size_t len = end ? (size_t)(end - line) : strlen(line);
        for (size_t i = 0; i < len; i++) {
            depth += line[i] == '{';
            depth -= line[i] == '}';
            FUZZ_ASSERT(depth >= 0, "'}' without '{'");
        }
        /* A node at the root: "\tname@unit {" */
        if (len > 3 && line[0] == '\t' && line[1] != '\t' && line[len - 1] == '{' && depth == 2) {
            size_t n = len - 3 < 63 ? len - 3 : 63;
            FUZZ_ASSERT(nnames < 64, "too many nodes");
            memcpy(names[nnames], line + 1, n);
            names[nnames][n] = 0;
            for (size_t k = 0; k < nnames; k++)
                FUZZ_ASSERT(strcmp(names[k], names[nnames]), "node '%s' twice", names[k]);
            nnames++;
        }
        line += len + (end != NULL);
    }
    FUZZ_ASSERT(depth == 0, "braces do not balance (%d)", depth);
    FUZZ_ASSERT(!strstr(out, "(null)"), "(null) in the output");
    size_t shown = 0; /* a dt_hidden region is no memory node */
    for (size_t i = 0; i < vm->mem_count; i++)
        shown += !vm->mem[i].dt_hidden;
    FUZZ_ASSERT(count(out, "device_type = \"memory\"") == shown, "memory nodes");
    FUZZ_ASSERT(count(out, "device_type = \"cpu\"") == (size_t)__builtin_popcountll(vm->cpus),
                "cpu nodes");
    for (const char *s = out; (s = strstr(s, "interrupts = <0 ")); s++) {
        unsigned spi;
        FUZZ_ASSERT(sscanf(s, "interrupts = <0 %u", &spi) == 1, "SPI specifier");
        FUZZ_ASSERT(spi + 32 < p->irqchip.irq_count, "SPI %u (INTID %u) on a board of %u INTIDs",
                    spi, spi + 32, p->irqchip.irq_count);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct fuzz_in in = {data, size};
    const struct platform *p = gen_boards[fuzz_u8(&in) % GEN_BOARDS];
    static struct gen g;
    uint8_t which = fuzz_u8(&in);
    gen_config(&in, p, &g);

    static struct config_issue issues[512];
    size_t n = config_check(p, &g.cfg, issues, 512);
    if (n > 512)
        return 0;
    for (size_t i = 0; i < n; i++)
        if (issues[i].error)
            return 0; /* config-dts is never run on it */

    dts_platform = *p;
    dts_config = g.cfg;
    const struct vm_config *vm = &g.cfg.vms[which % g.cfg.vms_count];
    char *err = NULL;
    size_t errlen = 0;
    int rc = run(vm->name, &err, &errlen);
    bool supported = p->irqchip.kind != IRQCHIP_AIA;
    FUZZ_ASSERT((rc == 0) == supported, "config-dts exit %d on %s: %s", rc, p->name, err);
    if (rc == 0)
        check_dts(p, vm);
    free(out);
    free(err);
    out = NULL;
    return 0;
}
