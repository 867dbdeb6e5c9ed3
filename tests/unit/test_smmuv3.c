/* Unit tests of the SMMUv3 encodings (src/drivers/smmuv3.h): stream table entries, context descriptors, commands, queues, events. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "smmuv3.h"

static uint64_t bits(uint64_t v, unsigned hi, unsigned lo)
{
    return (v >> lo) & ((hi - lo == 63) ? ~0ull : ((1ull << (hi - lo + 1)) - 1));
}

/* An unowned stream: valid, Config abort (0b000), nothing else (IHI 0070 §5.2). */
static void test_ste_abort(void **state)
{
    (void)state;
    uint64_t ste[STE_DWORDS];
    for (unsigned i = 0; i < STE_DWORDS; i++)
        ste[i] = ~0ull;
    smmu_ste_abort(ste);
    assert_int_equal(bits(ste[0], 0, 0), 1);
    assert_int_equal(bits(ste[0], 3, 1), 0);
    for (unsigned i = 1; i < STE_DWORDS; i++)
        assert_int_equal(ste[i], 0);
}

/* Stage 1 only: Config 0b101, S1Fmt 0, S1CDMax 0, S1ContextPtr [51:6]; CD
 * fetch attributes WB/WB/ISH; STRW NS-EL1; never bypass. */
static void test_ste_s1(void **state)
{
    (void)state;
    uint64_t ste[STE_DWORDS];
    smmu_ste_s1(ste, 0x40abc0c0ull);
    assert_int_equal(bits(ste[0], 0, 0), 1);
    assert_int_equal(bits(ste[0], 3, 1), 5);
    assert_int_equal(bits(ste[0], 5, 4), 0);
    assert_int_equal(bits(ste[0], 51, 6) << 6, 0x40abc0c0ull);
    assert_int_equal(bits(ste[0], 63, 59), 0);
    assert_int_equal(bits(ste[1], 3, 2), 1);  /* S1CIR WB */
    assert_int_equal(bits(ste[1], 5, 4), 1);  /* S1COR WB */
    assert_int_equal(bits(ste[1], 7, 6), 3);  /* S1CSH ISH */
    assert_int_equal(bits(ste[1], 31, 30), 0); /* STRW NS-EL1 */
    assert_int_equal(ste[2], 0);
    assert_int_equal(ste[3], 0);
    assert_int_not_equal(ste[0] & STE_CONFIG_MASK, STE_CONFIG_BYPASS);
}

/* Stage 2 through the VM's tables: VMID, T0SZ, SL0, WB/ISH walks, 4 KiB,
 * PS, AA64, S2R; S2TTB. */
static void test_ste_s2(void **state)
{
    (void)state;
    uint64_t ste[STE_DWORDS];
    smmu_ste_s2(ste, 3, 0x4123f000ull, 25, 1, 2);
    assert_int_equal(bits(ste[0], 3, 1), 6);
    assert_int_equal(bits(ste[2], 15, 0), 3);
    assert_int_equal(bits(ste[2], 37, 32), 25);
    assert_int_equal(bits(ste[2], 39, 38), 1);
    assert_int_equal(bits(ste[2], 41, 40), 1);
    assert_int_equal(bits(ste[2], 43, 42), 1);
    assert_int_equal(bits(ste[2], 45, 44), 3);
    assert_int_equal(bits(ste[2], 47, 46), 0);
    assert_int_equal(bits(ste[2], 50, 48), 2);
    assert_int_equal(bits(ste[2], 51, 51), 1);
    assert_int_equal(bits(ste[2], 58, 58), 1);
    assert_int_equal(ste[3], 0x4123f000ull);
}

/* The Baohu-built stage-1 context: 39-bit input over TTB0 only, 4 KiB
 * granule, WB ISH walks, 40-bit IPS, AArch64, faults recorded and aborted,
 * private ASID; MAIR attr0 Normal WB. */
static void test_cd_s1(void **state)
{
    (void)state;
    uint64_t cd[CD_DWORDS];
    smmu_cd_s1(cd, 2, 0x40321000ull, 25, 2, SMMU_S1_MAIR);
    assert_int_equal(bits(cd[0], 5, 0), 25);
    assert_int_equal(bits(cd[0], 7, 6), 0);
    assert_int_equal(bits(cd[0], 9, 8), 1);
    assert_int_equal(bits(cd[0], 11, 10), 1);
    assert_int_equal(bits(cd[0], 13, 12), 3);
    assert_int_equal(bits(cd[0], 14, 14), 0); /* EPD0: TTB0 walked */
    assert_int_equal(bits(cd[0], 30, 30), 1); /* EPD1: no TTB1 */
    assert_int_equal(bits(cd[0], 31, 31), 1); /* V */
    assert_int_equal(bits(cd[0], 34, 32), 2);
    assert_int_equal(bits(cd[0], 41, 41), 1);
    assert_int_equal(bits(cd[0], 44, 44), 0); /* no stall */
    assert_int_equal(bits(cd[0], 45, 45), 1);
    assert_int_equal(bits(cd[0], 46, 46), 1);
    assert_int_equal(bits(cd[0], 47, 47), 1);
    assert_int_equal(bits(cd[0], 63, 48), 2);
    assert_int_equal(cd[1], 0x40321000ull);
    assert_int_equal(cd[2], 0);
    assert_int_equal(cd[3], 0xff);
}

/* DMA leaves: AttrIndx 0, AP[2:1] = 0b01 (read/write at any privilege), ISH, AF, UXN+PXN. */
static void test_leaf_attrs(void **state)
{
    (void)state;
    assert_int_equal(bits(SMMU_S1_LEAF_RW, 4, 2), 0);
    assert_int_equal(bits(SMMU_S1_LEAF_RW, 7, 6), 1);
    assert_int_equal(bits(SMMU_S1_LEAF_RW, 9, 8), 3);
    assert_int_equal(bits(SMMU_S1_LEAF_RW, 10, 10), 1);
    assert_int_equal(bits(SMMU_S1_LEAF_RW, 54, 53), 3);
}

static void test_commands(void **state)
{
    (void)state;
    uint64_t c[2];
    smmu_cmd_cfgi_ste(c, 0x1234);
    assert_int_equal(bits(c[0], 7, 0), 0x03);
    assert_int_equal(bits(c[0], 63, 32), 0x1234);
    assert_int_equal(c[1], 1); /* Leaf */
    smmu_cmd_cfgi_all(c);
    assert_int_equal(bits(c[0], 7, 0), 0x04);
    assert_int_equal(bits(c[1], 4, 0), 31);
    smmu_cmd_tlbi_asid(c, 7);
    assert_int_equal(bits(c[0], 7, 0), 0x11);
    assert_int_equal(bits(c[0], 63, 48), 7);
    assert_int_equal(bits(c[0], 47, 32), 0);
    smmu_cmd_sync(c);
    assert_int_equal(bits(c[0], 7, 0), 0x46);
    assert_int_equal(bits(c[0], 13, 12), 0); /* CS = SIG_NONE */
}

/* PROD/CONS: index in [log2-1:0], wrap bit [log2]. */
static void test_queue_indexes(void **state)
{
    (void)state;
    assert_true(smmu_queue_empty(0, 0, 5));
    assert_false(smmu_queue_full(0, 0, 5));
    assert_true(smmu_queue_full(32, 0, 5));   /* same slot, wrap differs */
    assert_false(smmu_queue_empty(32, 0, 5));
    assert_int_equal(smmu_queue_next(31, 5), 32);
    assert_int_equal(smmu_queue_next(63, 5), 0);
    assert_true(smmu_queue_empty(33, 33, 5));
    assert_false(smmu_queue_full(33, 2, 5));
}

/* PROD.OVFLG toggled against CONS.OVACKFLG: events were lost; the ack copies
 * the flag and keeps the index, and the flag never makes a queue non-empty. */
static void test_queue_overflow_ack(void **state)
{
    (void)state;
    uint32_t prod = SMMU_Q_OVFLG | 33u, cons = 2u;
    assert_true(smmu_queue_overflowed(prod, cons));
    uint32_t acked = smmu_queue_ack(prod, cons, 5);
    assert_int_equal(acked, SMMU_Q_OVFLG | 2u);
    assert_false(smmu_queue_overflowed(prod, acked));
    assert_true(smmu_queue_empty(SMMU_Q_OVFLG | 7u, 7u, 5));
    /* The next overflow toggles the flag back: reported again, acked to 0. */
    assert_true(smmu_queue_overflowed(33u, acked));
    assert_int_equal(smmu_queue_ack(33u, acked, 5), 2u);
}

static void test_event_decode(void **state)
{
    (void)state;
    /* F_TRANSLATION, StreamID 8, RnW = 0 (write), InputAddr 0x48100004. */
    uint64_t e[EVT_DWORDS] = {0x10 | (8ull << 32), 0, 0x48100004ull, 0};
    struct smmu_event ev = smmu_event_decode(e);
    assert_int_equal(ev.type, EVT_F_TRANSLATION);
    assert_int_equal(ev.sid, 8);
    assert_true(ev.write);
    assert_int_equal(ev.addr, 0x48100004ull);
    e[1] = 1ull << 35; /* RnW = 1: a read */
    assert_false(smmu_event_decode(e).write);
}

static void test_cr1(void **state)
{
    (void)state;
    uint32_t c = smmu_cr1(true);
    assert_int_equal(bits(c, 1, 0), 1);
    assert_int_equal(bits(c, 5, 4), 3);
    assert_int_equal(bits(c, 11, 10), 3);
    assert_int_equal(bits(smmu_cr1(false), 1, 0), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_ste_abort),
        cmocka_unit_test(test_ste_s1),
        cmocka_unit_test(test_ste_s2),
        cmocka_unit_test(test_cd_s1),
        cmocka_unit_test(test_leaf_attrs),
        cmocka_unit_test(test_commands),
        cmocka_unit_test(test_queue_indexes),
        cmocka_unit_test(test_queue_overflow_ack),
        cmocka_unit_test(test_event_decode),
        cmocka_unit_test(test_cr1),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
