/* Hart extensions from the device tree: a bounds-checked walk of the flattened tree and the ISA string parser. */
#include "isa.h"

static char isa_lower(char c)
{
    return (c >= 'A' && c <= 'Z') ? (char)(c - 'A' + 'a') : c;
}

/* Does s[0..n) equal the lower-case name (case-insensitively)? */
static bool isa_name_is(const char *s, size_t n, const char *name)
{
    size_t i = 0;
    for (; i < n && name[i]; i++)
        if (isa_lower(s[i]) != name[i])
            return false;
    return i == n && name[i] == '\0';
}

static uint32_t isa_multi_letter(const char *s, size_t n)
{
    static const struct {
        const char *name;
        uint32_t bit;
    } known[] = {
        {"sstc", ISA_EXT_SSTC},       {"svpbmt", ISA_EXT_SVPBMT},
        {"zicbom", ISA_EXT_ZICBOM},   {"zicboz", ISA_EXT_ZICBOZ},
        {"smstateen", ISA_EXT_SMSTATEEN},
    };
    for (size_t i = 0; i < sizeof(known) / sizeof(known[0]); i++)
        if (isa_name_is(s, n, known[i].name))
            return known[i].bit;
    return 0;
}

uint32_t isa_parse(const char *s, size_t len)
{
    size_t n = 0;
    while (n < len && s[n] != '\0')
        n++;
    if (n < 4 || isa_lower(s[0]) != 'r' || isa_lower(s[1]) != 'v')
        return 0;
    size_t i = 2;
    while (i < n && s[i] >= '0' && s[i] <= '9') /* XLEN: 32, 64, 128 */
        i++;
    uint32_t ext = 0;
    /* Single letters up to the first '_' (ISA manual §27.2-27.6). A
     * multi-letter name glued to the letters without '_' ("...ch_zicsr" is
     * the usual form, but "rv64imaczicsr" is legal too) starts at z, s or x:
     * none of those is a single-letter extension Baohu looks for. */
    for (; i < n && s[i] != '_'; i++) {
        char c = isa_lower(s[i]);
        if (c == 'z' || c == 's' || c == 'x')
            break;
        if (c == 'v')
            ext |= ISA_EXT_V;
        else if (c == 'h')
            ext |= ISA_EXT_H;
        else if (c == 'f')
            ext |= ISA_EXT_F;
        else if (c == 'd')
            ext |= ISA_EXT_D;
        else if (c == 'g') /* imafd plus Zicsr, Zifencei (§27.6) */
            ext |= ISA_EXT_F | ISA_EXT_D;
    }
    /* Multi-letter extensions, separated by '_' (or the first one glued on). */
    while (i < n) {
        while (i < n && s[i] == '_')
            i++;
        size_t start = i;
        while (i < n && s[i] != '_')
            i++;
        /* A version suffix ("zicbom1p0") is not stripped: QEMU and Linux
         * write none, and a name with one is simply not recognised (the
         * feature then stays off, which is safe). */
        ext |= isa_multi_letter(s + start, i - start);
    }
    return ext;
}

/* Flattened device tree structure tokens and header (DT spec v0.4 §5.2, §5.4). */
#define FDT_MAGIC 0xd00dfeedu
#define FDT_BEGIN_NODE 1u
#define FDT_END_NODE 2u
#define FDT_PROP 3u
#define FDT_NOP 4u
#define FDT_END 9u
#define FDT_MAX_TOTALSIZE (1u << 24) /* a QEMU tree is a few KiB; refuse anything absurd */

static uint32_t fdt_be32(const uint8_t *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static size_t fdt_strnlen(const uint8_t *p, size_t max)
{
    size_t n = 0;
    while (n < max && p[n] != 0)
        n++;
    return n;
}

uint32_t isa_of_hart(const void *fdt, uint64_t hartid)
{
    const uint8_t *b = fdt;
    if (!b || fdt_be32(b) != FDT_MAGIC)
        return 0;
    uint32_t total = fdt_be32(b + 4), off_struct = fdt_be32(b + 8);
    uint32_t off_strings = fdt_be32(b + 12), size_struct = fdt_be32(b + 36);
    if (total > FDT_MAX_TOTALSIZE || total < 40 || off_struct > total ||
        size_struct > total - off_struct || off_strings > total)
        return 0;
    const uint8_t *strings = b + off_strings;
    size_t strings_size = total - off_strings;

    size_t pos = off_struct, end = (size_t)off_struct + size_struct;
    unsigned depth = 0;
    bool in_cpus = false, in_cpu = false;
    unsigned cpus_depth = 0;
    /* The current cpu node's properties. */
    bool have_reg = false;
    uint64_t reg = 0;
    const char *isa = NULL;
    size_t isa_len = 0;

    while (pos + 4 <= end) {
        uint32_t tok = fdt_be32(b + pos);
        pos += 4;
        switch (tok) {
        case FDT_BEGIN_NODE: {
            size_t n = fdt_strnlen(b + pos, end - pos);
            if (pos + n >= end)
                return 0;
            const char *name = (const char *)(b + pos);
            depth++;
            if (depth == 2 && isa_name_is(name, n, "cpus")) {
                in_cpus = true;
                cpus_depth = depth;
            } else if (in_cpus && depth == cpus_depth + 1 && n >= 3 &&
                       isa_name_is(name, 3, "cpu") && (n == 3 || name[3] == '@')) {
                in_cpu = true;
                have_reg = false;
                isa = NULL;
            }
            pos += (n + 1 + 3) & ~(size_t)3;
            break;
        }
        case FDT_END_NODE:
            if (depth == 0)
                return 0;
            if (in_cpu && depth == cpus_depth + 1) {
                in_cpu = false;
                if (have_reg && reg == hartid && isa)
                    return isa_parse(isa, isa_len) | ISA_EXT_FOUND;
            } else if (in_cpus && depth == cpus_depth) {
                in_cpus = false;
            }
            depth--;
            break;
        case FDT_PROP: {
            if (pos + 8 > end)
                return 0;
            uint32_t len = fdt_be32(b + pos), nameoff = fdt_be32(b + pos + 4);
            pos += 8;
            if (len > end - pos || nameoff >= strings_size)
                return 0;
            const uint8_t *val = b + pos;
            size_t nlen = fdt_strnlen(strings + nameoff, strings_size - nameoff);
            const char *pname = (const char *)(strings + nameoff);
            /* Only properties of a cpu node itself, not of its children
             * (its interrupt-controller node). */
            if (in_cpu && depth == cpus_depth + 1) {
                if (isa_name_is(pname, nlen, "reg") && (len == 4 || len == 8)) {
                    reg = len == 4 ? fdt_be32(val)
                                   : (uint64_t)fdt_be32(val) << 32 | fdt_be32(val + 4);
                    have_reg = true;
                } else if (isa_name_is(pname, nlen, "riscv,isa")) {
                    isa = (const char *)val;
                    isa_len = len;
                }
            }
            pos += ((size_t)len + 3) & ~(size_t)3;
            break;
        }
        case FDT_NOP:
            break;
        case FDT_END:
        default:
            return 0;
        }
    }
    return 0;
}
