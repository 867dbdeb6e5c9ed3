/* Host tests of the RISC-V load/store decoder for emulated-device traps (mmio_decode.c). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>
#include <cmocka.h>

#include "mmio_decode.h"

/* Guest code: halfwords at GUEST_PC; reads outside [code_lo, code_hi) fault. */
#define GUEST_PC 0x80001000ull
static uint16_t code[4];
static uint64_t code_lo, code_hi;
static unsigned code_reads;

int guest_code_read(uint64_t gva, uint16_t *out);
int guest_code_read(uint64_t gva, uint16_t *out)
{
    code_reads++;
    if (gva < code_lo || gva + 2 > code_hi || (gva & 1))
        return -1;
    *out = code[(gva - GUEST_PC) / 2];
    return 0;
}

static void code_set32(uint32_t insn)
{
    code[0] = (uint16_t)insn;
    code[1] = (uint16_t)(insn >> 16);
    code_lo = GUEST_PC;
    code_hi = GUEST_PC + 4;
}

static void code_set16(uint16_t insn)
{
    code[0] = insn;
    code[1] = 0xffff; /* never to be read */
    code_lo = GUEST_PC;
    code_hi = GUEST_PC + 2;
}

static struct trap_frame frame;

static int setup(void **state)
{
    (void)state;
    memset(&frame, 0, sizeof(frame));
    memset(code, 0, sizeof(code));
    frame.sepc = GUEST_PC;
    code_lo = code_hi = 0;
    code_reads = 0;
    return 0;
}

/* I-type load and S-type store encodings (ISA §2.6). */
static uint32_t load(unsigned funct3, unsigned rd, unsigned rs1, int imm)
{
    return ((uint32_t)(imm & 0xfff) << 20) | (rs1 << 15) | (funct3 << 12) | (rd << 7) | 0x03;
}

static uint32_t store(unsigned funct3, unsigned rs2, unsigned rs1, int imm)
{
    uint32_t i = (uint32_t)imm & 0xfff;
    return ((i >> 5) << 25) | (rs2 << 20) | (rs1 << 15) | (funct3 << 12) | ((i & 31) << 7) | 0x23;
}

/* Quadrant-0 compressed load/store: funct3, rd'/rs2' (x8-x15) and rs1'. */
static uint16_t cls(unsigned funct3, unsigned reg, unsigned rs1)
{
    return (uint16_t)((funct3 << 13) | (1u << 10) | ((rs1 - 8) << 7) | (1u << 5) | ((reg - 8) << 2));
}

static void test_loads_every_width(void **state)
{
    (void)state;
    static const struct { unsigned size; bool is_signed; } want[7] = {
        {1, true}, {2, true}, {4, true}, {8, false}, {1, false}, {2, false}, {4, false},
    };
    for (unsigned f3 = 0; f3 < 7; f3++) {
        for (unsigned rd = 0; rd < 32; rd += 7) {
            struct mmio_insn m;
            memset(&m, 0xa5, sizeof(m));
            code_set32(load(f3, rd, 5, -4));
            assert_true(mmio_decode(&frame, 0, &m));
            assert_false(m.write);
            assert_int_equal(m.size, want[f3].size);
            if (want[f3].size < 8)
                assert_int_equal(m.is_signed, want[f3].is_signed);
            assert_int_equal(m.reg, rd);
            assert_int_equal(m.len, 4);
        }
    }
}

static void test_stores_every_width(void **state)
{
    (void)state;
    for (unsigned f3 = 0; f3 < 4; f3++) {
        for (unsigned rs2 = 1; rs2 < 32; rs2 += 5) {
            struct mmio_insn m;
            memset(&m, 0xa5, sizeof(m));
            /* rd's bit positions hold imm[4:0]: make them differ from rs2. */
            code_set32(store(f3, rs2, 10, 0x7e5));
            assert_true(mmio_decode(&frame, 0, &m));
            assert_true(m.write);
            assert_int_equal(m.size, 1u << f3);
            assert_int_equal(m.reg, rs2);
            assert_int_equal(m.len, 4);
        }
    }
}

static void test_invalid_32bit(void **state)
{
    (void)state;
    struct mmio_insn m;
    const uint32_t bad[] = {
        load(7, 1, 2, 0),               /* funct3 7: no such load */
        store(4, 1, 2, 0), store(5, 1, 2, 0), store(6, 1, 2, 0), store(7, 1, 2, 0),
        0x0005202fu,                    /* amoadd.w */
        (load(2, 1, 2, 0) & ~0x7fu) | 0x07, /* flw */
        (store(2, 1, 2, 0) & ~0x7fu) | 0x27, /* fsw */
        0x00000013u,                    /* addi x0, x0, 0 */
        0x00000073u,                    /* ecall */
    };
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        code_set32(bad[i]);
        assert_false(mmio_decode(&frame, 0, &m));
        /* The same through htinst (a transformed instruction, bit 0 set). */
        assert_false(mmio_decode(&frame, (bad[i] & ~0x3u) | 0x3, &m));
    }
}

static void test_compressed(void **state)
{
    (void)state;
    static const struct { unsigned f3; bool write; unsigned size; } ok[] = {
        {2, false, 4}, {3, false, 8}, {6, true, 4}, {7, true, 8},
    };
    for (size_t i = 0; i < 4; i++) {
        for (unsigned reg = 8; reg < 16; reg++) {
            struct mmio_insn m;
            code_set16(cls(ok[i].f3, reg, 8 + (reg + 3) % 8));
            assert_true(mmio_decode(&frame, 0, &m));
            assert_int_equal(m.write, ok[i].write);
            assert_int_equal(m.size, ok[i].size);
            assert_int_equal(m.reg, reg);
            assert_int_equal(m.len, 2);
            if (!ok[i].write && ok[i].size == 4)
                assert_true(m.is_signed); /* C.LW sign-extends */
        }
    }
    /* Only the first halfword is read for a compressed instruction. */
    code_reads = 0;
    struct mmio_insn m;
    code_set16(cls(2, 9, 10));
    assert_true(mmio_decode(&frame, 0, &m));
    assert_int_equal(code_reads, 1);
}

static void test_compressed_invalid(void **state)
{
    (void)state;
    struct mmio_insn m;
    /* C.ADDI4SPN, C.FLD, reserved, C.FSD in quadrant 0. */
    const unsigned bad_f3[] = {0, 1, 4, 5};
    for (size_t i = 0; i < 4; i++) {
        code_set16(cls(bad_f3[i], 9, 10));
        assert_false(mmio_decode(&frame, 0, &m));
    }
    /* C.LWSP / C.SWSP (quadrant 2) and quadrant 1: sp-relative forms are not decoded. */
    code_set16((uint16_t)((2u << 13) | (9u << 7) | (1u << 4) | 2u)); /* c.lwsp x9, 16(sp) */
    assert_false(mmio_decode(&frame, 0, &m));
    code_set16((uint16_t)((6u << 13) | (9u << 2) | 2u)); /* c.swsp x9, 0(sp) */
    assert_false(mmio_decode(&frame, 0, &m));
    code_set16((uint16_t)((2u << 13) | (9u << 7) | 1u)); /* c.li */
    assert_false(mmio_decode(&frame, 0, &m));
}

static void test_htinst(void **state)
{
    (void)state;
    struct mmio_insn m;
    /* Transformed 32-bit load (bit 1 set): the guest's code is not read. */
    assert_true(mmio_decode(&frame, load(1, 11, 0, 0), &m));
    assert_int_equal(code_reads, 0);
    assert_false(m.write);
    assert_int_equal(m.size, 2);
    assert_int_equal(m.reg, 11);
    assert_int_equal(m.len, 4);
    /* The same with bit 1 clear: the original was compressed (2 bytes). */
    assert_true(mmio_decode(&frame, load(2, 12, 0, 0) & ~0x2u, &m));
    assert_int_equal(m.size, 4);
    assert_int_equal(m.reg, 12);
    assert_int_equal(m.len, 2);
    assert_true(mmio_decode(&frame, store(3, 13, 0, 0) & ~0x2u, &m));
    assert_true(m.write);
    assert_int_equal(m.size, 8);
    assert_int_equal(m.reg, 13);
    assert_int_equal(m.len, 2);
    assert_int_equal(code_reads, 0);
}

static void test_code_read_faults(void **state)
{
    (void)state;
    struct mmio_insn m;
    /* No code readable at sepc. */
    assert_false(mmio_decode(&frame, 0, &m));
    /* A 32-bit instruction whose second halfword faults. */
    code_set32(load(2, 5, 6, 0));
    code_hi = GUEST_PC + 2;
    assert_false(mmio_decode(&frame, 0, &m));
    /* A 32-bit instruction at a 2-byte aligned pc spanning both halves. */
    code_set32(load(0, 7, 6, 0));
    assert_true(mmio_decode(&frame, 0, &m));
    assert_int_equal(m.reg, 7);
}

static void test_complete_extension(void **state)
{
    (void)state;
    struct mmio_insn m = {.write = false, .size = 1, .is_signed = true, .reg = 5, .len = 4};
    mmio_decode_complete(&frame, &m, 0xffffff80);
    assert_int_equal(frame.x[5], 0xffffffffffffff80ull);
    mmio_decode_complete(&frame, &m, 0x17f);
    assert_int_equal(frame.x[5], 0x7f);
    m.is_signed = false;
    mmio_decode_complete(&frame, &m, 0x1234567890abcd80ull);
    assert_int_equal(frame.x[5], 0x80);
    m.size = 2;
    m.is_signed = true;
    mmio_decode_complete(&frame, &m, 0x8001);
    assert_int_equal(frame.x[5], 0xffffffffffff8001ull);
    m.is_signed = false;
    mmio_decode_complete(&frame, &m, 0xfff8001);
    assert_int_equal(frame.x[5], 0x8001);
    m.size = 4;
    m.is_signed = true;
    mmio_decode_complete(&frame, &m, 0x80000000);
    assert_int_equal(frame.x[5], 0xffffffff80000000ull);
    m.is_signed = false;
    mmio_decode_complete(&frame, &m, 0xaa80000000ull);
    assert_int_equal(frame.x[5], 0x80000000ull);
    m.size = 8;
    mmio_decode_complete(&frame, &m, 0x8123456789abcdefull);
    assert_int_equal(frame.x[5], 0x8123456789abcdefull);
}

/* A decoded load, completed: LBU/LHU/LWU zero-extend, LB/LH/LW sign-extend. */
static void test_decode_then_complete(void **state)
{
    (void)state;
    static const uint64_t want[7] = {
        0xfffffffffffffff0ull, 0xfffffffffffffff0ull, 0xfffffffffffffff0ull, 0xfffffffffffffff0ull,
        0xf0, 0xfff0, 0xfffffff0,
    };
    for (unsigned f3 = 0; f3 < 7; f3++) {
        struct mmio_insn m;
        code_set32(load(f3, 9, 2, 0));
        assert_true(mmio_decode(&frame, 0, &m));
        mmio_decode_complete(&frame, &m, 0xfffffffffffffff0ull);
        assert_int_equal(frame.x[9], want[f3]);
    }
}

static void test_complete_x0(void **state)
{
    (void)state;
    struct mmio_insn m;
    code_set32(load(3, 0, 2, 0)); /* ld x0, 0(x2) */
    assert_true(mmio_decode(&frame, 0, &m));
    assert_int_equal(m.reg, 0);
    frame.x[0] = 0;
    mmio_decode_complete(&frame, &m, 0x55);
    assert_int_equal(frame.x[0], 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(test_loads_every_width, setup),
        cmocka_unit_test_setup(test_stores_every_width, setup),
        cmocka_unit_test_setup(test_invalid_32bit, setup),
        cmocka_unit_test_setup(test_compressed, setup),
        cmocka_unit_test_setup(test_compressed_invalid, setup),
        cmocka_unit_test_setup(test_htinst, setup),
        cmocka_unit_test_setup(test_code_read_faults, setup),
        cmocka_unit_test_setup(test_complete_extension, setup),
        cmocka_unit_test_setup(test_decode_then_complete, setup),
        cmocka_unit_test_setup(test_complete_x0, setup),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
