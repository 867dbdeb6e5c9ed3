/* Load/store decoding for trapped device accesses: 32-bit and compressed forms (RISC-V ISA §2.6, §16.3). */
#include "mmio_decode.h"

#define OP_LOAD 0x03
#define OP_STORE 0x23

/* trap.S: a halfword of guest code, or -1 if reading it faults. */
int guest_code_read(uint64_t gva, uint16_t *out);

static bool decode32(uint32_t insn, struct mmio_insn *out)
{
    unsigned opcode = insn & 0x7f;
    unsigned funct3 = (insn >> 12) & 7;

    out->len = 4;
    if (opcode == OP_LOAD && funct3 != 7) {
        out->write = false;
        out->size = 1u << (funct3 & 3);
        out->is_signed = funct3 < 4 && funct3 != 3;
        out->reg = (insn >> 7) & 31;
        return true;
    }
    if (opcode == OP_STORE && funct3 < 4) {
        out->write = true;
        out->size = 1u << funct3;
        out->is_signed = false;
        out->reg = (insn >> 20) & 31;
        return true;
    }
    return false;
}

/* C.LW / C.LD / C.SW / C.SD (quadrant 0, RV64): registers x8-x15 in bits 4:2. */
static bool decode16(uint16_t insn, struct mmio_insn *out)
{
    unsigned funct3 = (insn >> 13) & 7;

    if ((insn & 3) != 0)
        return false;
    out->len = 2;
    out->reg = 8 + ((insn >> 2) & 7);
    out->is_signed = true;
    switch (funct3) {
    case 2: out->write = false; out->size = 4; return true;
    case 3: out->write = false; out->size = 8; return true;
    case 6: out->write = true; out->size = 4; return true;
    case 7: out->write = true; out->size = 8; return true;
    default: return false;
    }
}

#ifdef BAOHU_TEST_HLVX_FAULT
/* Test-only (BAOHU_TEST_CFLAGS=-DBAOHU_TEST_HLVX_FAULT=<gva>, tests/integration/
 * test_claims_riscv64.py): a trap taken with t6 = "HLVX" has its instruction read at <gva>,
 * which the guest's stages do not map, as if another of its harts had unmapped the code page
 * after the trap; the transformed instruction is ignored so that the read happens. */
static uint64_t test_code_address(const struct trap_frame *f, uint64_t *htinst)
{
    if (f->x[31] != 0x58564c48u)
        return f->sepc;
    *htinst = 0;
    return BAOHU_TEST_HLVX_FAULT;
}
#endif

bool mmio_decode(const struct trap_frame *f, uint64_t htinst, struct mmio_insn *out)
{
    uint64_t pc = f->sepc;
#ifdef BAOHU_TEST_HLVX_FAULT
    pc = test_code_address(f, &htinst);
#endif
    /* A transformed instruction has bit 0 set; bit 1 clear means the
     * original was compressed (priv. §9.6.3). */
    if (htinst & 1) {
        if (!decode32((uint32_t)htinst | 3, out))
            return false;
        out->len = (htinst & 2) ? 4 : 2;
        return true;
    }
    uint16_t lo, hi;
    if (guest_code_read(pc, &lo) != 0)
        return false;
    if ((lo & 3) != 3)
        return decode16(lo, out);
    if (guest_code_read(pc + 2, &hi) != 0)
        return false;
    return decode32(lo | ((uint32_t)hi << 16), out);
}

void mmio_decode_complete(struct trap_frame *f, const struct mmio_insn *insn, uint64_t value)
{
    if (insn->size < 8) {
        unsigned bits = 8 * insn->size;
        value &= (1ull << bits) - 1;
        if (insn->is_signed && (value >> (bits - 1)))
            value |= ~0ull << bits;
    }
    if (insn->reg != 0)
        f->x[insn->reg] = value;
}
