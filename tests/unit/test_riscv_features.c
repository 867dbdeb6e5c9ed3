/* Unit tests of RISC-V feature logic: ISA strings and the device-tree walk (isa.c), SBI return codes (sbi_rules.c), the counters rule. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "config_check.h"
#include "isa.h"
#include "sbi.h"
#include "sbi_rules.h"

#define S(x) (x), sizeof(x)
#define FD (ISA_EXT_F | ISA_EXT_D)

static void isa_qemu_strings(void **state)
{
    (void)state;
    /* QEMU 7.2 -cpu rv64 / rv64,v=true / rv64,sstc=false. */
    assert_int_equal(isa_parse(S("rv64imafdch_zicsr_zifencei_zihintpause_zba_zbb_zbc_zbs_sstc")),
                     FD | ISA_EXT_H | ISA_EXT_SSTC);
    assert_int_equal(isa_parse(S("rv64imafdcvh_zicsr_zifencei_zihintpause_zba_zbb_zbc_zbs")),
                     FD | ISA_EXT_V | ISA_EXT_H);
    assert_int_equal(isa_parse(S("rv64imafdch_zicsr_zifencei")), FD | ISA_EXT_H);
    /* FP letters on their own: F without D, and G for IMAFD. */
    assert_int_equal(isa_parse(S("rv64imafc")), ISA_EXT_F);
    assert_int_equal(isa_parse(S("rv64gc")), FD);
}

static void isa_every_extension(void **state)
{
    (void)state;
    assert_int_equal(isa_parse(S("rv64gcv_zicbom_zicboz_svpbmt_smstateen_sstc")),
                     FD | ISA_EXT_V | ISA_EXT_ZICBOM | ISA_EXT_ZICBOZ | ISA_EXT_SVPBMT |
                         ISA_EXT_SMSTATEEN | ISA_EXT_SSTC);
    /* Case-insensitive, several '_' in a row, a multi-letter one glued on. */
    assert_int_equal(isa_parse(S("RV64IMACVH__SSTC_Zicboz")),
                     ISA_EXT_V | ISA_EXT_H | ISA_EXT_SSTC | ISA_EXT_ZICBOZ);
    assert_int_equal(isa_parse(S("rv64imacsstc")), ISA_EXT_SSTC);
}

static void isa_no_false_matches(void **state)
{
    (void)state;
    /* A 'v' or 'h' inside a multi-letter name is not the single letter;
     * prefixes and longer names are other extensions. */
    assert_int_equal(isa_parse(S("rv64imac_svinval_zvfh_xvendorv")), 0);
    assert_int_equal(isa_parse(S("rv64imac_sstcx_zicbo_zicbomx_ssvpbmt")), 0);
    /* Not an ISA string. */
    assert_int_equal(isa_parse(S("")), 0);
    assert_int_equal(isa_parse(S("x64imacvh_sstc")), 0);
    /* The length bounds the parse: no NUL needed, nothing read past it. */
    static const char cut[] = {'r', 'v', '6', '4', 'i', 'v', '_', 's', 's', 't', 'c'};
    assert_int_equal(isa_parse(cut, 6), ISA_EXT_V);
    assert_int_equal(isa_parse(cut, sizeof cut), ISA_EXT_V | ISA_EXT_SSTC);
    assert_int_equal(isa_parse(cut, 10), ISA_EXT_V); /* "sst" */
}

/* ---- a flattened device tree built by hand (DT spec v0.4 §5) */

static uint8_t blob[2048];
static size_t blob_struct, blob_len;
static char strtab[256];
static size_t strtab_len;

static void be32(uint32_t v)
{
    blob[blob_len++] = (uint8_t)(v >> 24);
    blob[blob_len++] = (uint8_t)(v >> 16);
    blob[blob_len++] = (uint8_t)(v >> 8);
    blob[blob_len++] = (uint8_t)v;
}

static void pad(void)
{
    while (blob_len & 3)
        blob[blob_len++] = 0;
}

static void begin_node(const char *name)
{
    be32(1);
    memcpy(blob + blob_len, name, strlen(name) + 1);
    blob_len += strlen(name) + 1;
    pad();
}

static void end_node(void)
{
    be32(2);
}

static void prop(const char *name, const void *val, size_t len)
{
    size_t off = 0;
    while (off < strtab_len && strcmp(strtab + off, name) != 0)
        off += strlen(strtab + off) + 1;
    if (off >= strtab_len) {
        memcpy(strtab + strtab_len, name, strlen(name) + 1);
        strtab_len += strlen(name) + 1;
    }
    be32(3);
    be32((uint32_t)len);
    be32((uint32_t)off);
    memcpy(blob + blob_len, val, len);
    blob_len += len;
    pad();
}

static void prop_u32(const char *name, uint32_t v)
{
    uint8_t b[4] = {(uint8_t)(v >> 24), (uint8_t)(v >> 16), (uint8_t)(v >> 8), (uint8_t)v};
    prop(name, b, 4);
}

static void prop_str(const char *name, const char *s)
{
    prop(name, s, strlen(s) + 1);
}

static void put_be32_at(size_t at, uint32_t v)
{
    blob[at] = (uint8_t)(v >> 24);
    blob[at + 1] = (uint8_t)(v >> 16);
    blob[at + 2] = (uint8_t)(v >> 8);
    blob[at + 3] = (uint8_t)v;
}

/* / { cpus { cpu@0 (hart 0, Sstc; its interrupt controller has a decoy
 * riscv,isa), cpu@1 (hart 1: V and the rest) }; cpu@7 outside /cpus }. */
static void build_tree(void)
{
    memset(blob, 0, sizeof blob);
    strtab_len = 0;
    blob_len = 40; /* header */
    blob_struct = blob_len;
    begin_node("");
    prop_u32("#address-cells", 2);
    begin_node("cpus");
    prop_u32("#address-cells", 1);
    begin_node("cpu@0");
    prop_str("device_type", "cpu");
    prop_u32("reg", 0);
    prop_str("riscv,isa", "rv64imafdch_zicsr_sstc");
    begin_node("interrupt-controller");
    prop_u32("reg", 1);
    prop_str("riscv,isa", "rv64imafdcvh_zicboz");
    end_node();
    end_node();
    begin_node("cpu-map");
    end_node();
    begin_node("cpu@1");
    be32(4); /* a NOP */
    prop_str("riscv,isa", "rv64imafdcvh_zicbom_zicboz_svpbmt_smstateen");
    prop_u32("reg", 1);
    end_node();
    end_node();
    begin_node("cpu@7");
    prop_u32("reg", 7);
    prop_str("riscv,isa", "rv64imafdcvh");
    end_node();
    end_node();
    be32(9);
    size_t struct_size = blob_len - blob_struct;
    size_t strings = blob_len;
    memcpy(blob + blob_len, strtab, strtab_len);
    blob_len += strtab_len;
    put_be32_at(0, 0xd00dfeed);
    put_be32_at(4, (uint32_t)blob_len);
    put_be32_at(8, (uint32_t)blob_struct);
    put_be32_at(12, (uint32_t)strings);
    put_be32_at(36, (uint32_t)struct_size);
}

static void fdt_harts(void **state)
{
    (void)state;
    build_tree();
    assert_int_equal(isa_of_hart(blob, 0), ISA_EXT_FOUND | FD | ISA_EXT_H | ISA_EXT_SSTC);
    assert_int_equal(isa_of_hart(blob, 1), ISA_EXT_FOUND | FD | ISA_EXT_V | ISA_EXT_H | ISA_EXT_ZICBOM |
                                               ISA_EXT_ZICBOZ | ISA_EXT_SVPBMT | ISA_EXT_SMSTATEEN);
    /* Not under /cpus, or no such hart. */
    assert_int_equal(isa_of_hart(blob, 7), 0);
    assert_int_equal(isa_of_hart(blob, 2), 0);
    assert_int_equal(isa_of_hart(NULL, 0), 0);
}

static void fdt_malformed(void **state)
{
    (void)state;
    build_tree();
    blob[0] ^= 1; /* magic */
    assert_int_equal(isa_of_hart(blob, 0), 0);
    build_tree();
    put_be32_at(36, 0x100000); /* struct block beyond totalsize */
    assert_int_equal(isa_of_hart(blob, 0), 0);
    build_tree();
    put_be32_at(4, 0x7fffffff); /* absurd totalsize */
    assert_int_equal(isa_of_hart(blob, 0), 0);
    /* A property length running past the struct block: the walk stops
     * (hart 1's properties come after it, so hart 1 is not found). */
    build_tree();
    for (size_t at = blob_struct; at + 12 <= blob_len; at += 4) {
        if (memcmp(blob + at + 12, "rv64imafdch_zicsr_sstc", 22) == 0) {
            put_be32_at(at + 4, 0x10000);
            break;
        }
    }
    assert_int_equal(isa_of_hart(blob, 1), 0);
    /* Every truncation of the struct block is refused or parsed safely
     * (ASan checks the reads). */
    build_tree();
    uint32_t full = (uint32_t)(blob_len - blob_struct - strtab_len);
    for (uint32_t n = 0; n < full; n++) {
        build_tree();
        put_be32_at(36, n);
        (void)isa_of_hart(blob, 1);
    }
}

/* ---- SBI return codes */

static void suspend_types(void **state)
{
    (void)state;
    assert_int_equal(sbi_rules_suspend(0), SBI_SUSPEND_RETENTIVE);
    assert_int_equal(sbi_rules_suspend(0x80000000u), SBI_SUSPEND_UNSUPPORTED);
    static const uint64_t invalid[] = {1, 0x0fffffff, 0x10000000, 0x7fffffff, 0x80000001,
                                       0x8fffffff, 0x90000000, 0xffffffff, 0x100000000ull,
                                       0x100000000ull | 0x80000000u, ~0ull};
    for (size_t i = 0; i < sizeof invalid / sizeof invalid[0]; i++)
        assert_int_equal(sbi_rules_suspend(invalid[i]), SBI_SUSPEND_INVALID);
}

static void srst_types_and_reasons(void **state)
{
    (void)state;
    for (uint64_t type = 0; type <= 2; type++)
        for (uint64_t reason = 0; reason <= 1; reason++)
            assert_int_equal(sbi_rules_srst(type, reason), SBI_SUCCESS);
    static const uint64_t bad_types[] = {3, 0xefffffff, 0xf0000000, 0xffffffff, 0x100000000ull};
    for (size_t i = 0; i < sizeof bad_types / sizeof bad_types[0]; i++)
        assert_int_equal(sbi_rules_srst(bad_types[i], 0), SBI_ERR_INVALID_PARAM);
    static const uint64_t bad_reasons[] = {2, 0xdfffffff, 0xe0000000, 0xefffffff, 0xf0000000,
                                           0xffffffff, 0x100000000ull};
    for (size_t i = 0; i < sizeof bad_reasons / sizeof bad_reasons[0]; i++)
        assert_int_equal(sbi_rules_srst(0, bad_reasons[i]), SBI_ERR_INVALID_PARAM);
}

static void dbcn_address(void **state)
{
    (void)state;
    uint64_t addr = 0;
    assert_int_equal(sbi_rules_dbcn_addr(0x80001000, 0, &addr), SBI_SUCCESS);
    assert_int_equal(addr, 0x80001000);
    addr = 5;
    assert_int_equal(sbi_rules_dbcn_addr(0x80001000, 1, &addr), SBI_ERR_INVALID_PARAM);
    assert_int_equal(addr, 5);
}

/* ---- the counters rule (config_check.c) */

static uint8_t image[0x1000];
static const struct vm_mem_region vm_mem[] = {{.ipa = 0x80000000, .size = 0x01000000}};
static struct vm_config vm;
static struct baohu_config cfg = {.vms = &vm, .vms_count = 1};
static struct config_issue issues[4];

static int vm_setup(void **state)
{
    (void)state;
    vm = (struct vm_config){
        .name = "guest", .cpus = 1, .mem = vm_mem, .mem_count = 1,
        .image = {.kind = VM_IMAGE_EMBEDDED, .start = image, .end = image + sizeof image,
                  .ipa = 0x80000000},
        .entry = 0x80000000,
    };
    return 0;
}

static void counters_valid(void **state)
{
    (void)state;
    assert_int_equal(config_check(&platform, &cfg, issues, 4), 0);
    vm.counters = VM_COUNTER_CYCLE;
    assert_int_equal(config_check(&platform, &cfg, issues, 4), 0);
    vm.counters = VM_COUNTER_CYCLE | VM_COUNTER_INSTRET;
    assert_int_equal(config_check(&platform, &cfg, issues, 4), 0);
}

static void counters_unknown_bits(void **state)
{
    (void)state;
    vm.counters = VM_COUNTER_INSTRET | 0x8;
    assert_int_equal(config_check(&platform, &cfg, issues, 4), 1);
    assert_true(issues[0].error);
    assert_non_null(strstr(issues[0].msg, "VM 'guest' (#0) counters: 0xa has bits 0x8"));
}

static void counters_not_on_arm(void **state)
{
    (void)state;
    struct platform arm = platform;
    arm.irqchip.kind = IRQCHIP_GICV3;
    arm.name = "arm";
    vm.counters = VM_COUNTER_CYCLE;
    size_t n = config_check(&arm, &cfg, issues, 4);
    int found = 0;
    for (size_t i = 0; i < n && i < 4; i++)
        found |= strstr(issues[i].msg, "counters: 0x1 given, but platform 'arm' is not RISC-V") != NULL;
    assert_true(found);
}

/* ---- colouring Baohu (config_check.c): a G-stage root is a 16 KiB aligned block */

static void hyp_colours_need_an_aligned_quad_for_gstage_roots(void **state)
{
    (void)state;
    struct baohu_config coloured = cfg;
    vm.colours = 0xffffff00;
    coloured.hyp_colours = 0x3c; /* colours 2-5 of 32 */
    assert_int_equal(config_check(&platform, &coloured, issues, 4), 1);
    assert_true(issues[0].error);
    assert_non_null(strstr(issues[0].msg, "config hyp_colours: 0x3c has no 4 adjacent colours 4k..4k+3, "
                                          "which a G-stage root needs"));
    coloured.hyp_colours = 0xf0;
    assert_int_equal(config_check(&platform, &coloured, issues, 4), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(isa_qemu_strings),
        cmocka_unit_test(isa_every_extension),
        cmocka_unit_test(isa_no_false_matches),
        cmocka_unit_test(fdt_harts),
        cmocka_unit_test(fdt_malformed),
        cmocka_unit_test(suspend_types),
        cmocka_unit_test(srst_types_and_reasons),
        cmocka_unit_test(dbcn_address),
        cmocka_unit_test_setup(counters_valid, vm_setup),
        cmocka_unit_test_setup(counters_unknown_bits, vm_setup),
        cmocka_unit_test_setup(counters_not_on_arm, vm_setup),
        cmocka_unit_test_setup(hyp_colours_need_an_aligned_quad_for_gstage_roots, vm_setup),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
