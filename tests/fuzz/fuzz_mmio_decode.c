/* Fuzzing the RISC-V trapped load/store decoder (src/arch/riscv64/mmio_decode.c) against the ISA's encoding tables. */
#include <string.h>

#include "fuzz_input.h"
#include "mmio_decode.h"

/*
 * Each operation is one trapped access: a mode byte (transformed
 * instruction in htinst, or the guest's code read at sepc, possibly
 * faulting half way), the instruction bits, and a loaded value to
 * complete. The decoder must agree with the spec's tables (ISA §2.6
 * loads/stores, §16.3 compressed C.LW/C.LD/C.SW/C.SD; priv. §9.6.3 for
 * htinst) and never accept anything else; completing a load must change
 * only rd, with the right extension, and never x0.
 */

/* The guest's code at sepc: `code_readable` halfwords from there are
 * mapped, the rest faults. */
#define CODE_VA 0x80200000u
static uint16_t code[2];
static unsigned code_readable;

int guest_code_read(uint64_t gva, uint16_t *out);
int guest_code_read(uint64_t gva, uint16_t *out)
{
    if (gva < CODE_VA || gva & 1 || (gva - CODE_VA) / 2 >= code_readable)
        return -1;
    *out = code[(gva - CODE_VA) / 2];
    return 0;
}

/* The reference: what the spec says a 32-bit encoding is, or false. */
static bool ref32(uint32_t insn, struct mmio_insn *r)
{
    unsigned opcode = insn & 0x7f, f3 = (insn >> 12) & 7;
    if (opcode == 0x03 && f3 != 7) { /* LB LH LW LD LBU LHU LWU */
        static const unsigned size[7] = {1, 2, 4, 8, 1, 2, 4};
        *r = (struct mmio_insn){.write = false, .size = size[f3], .is_signed = f3 <= 2,
                                .reg = (insn >> 7) & 31, .len = 4};
        return true;
    }
    if (opcode == 0x23 && f3 <= 3) { /* SB SH SW SD */
        *r = (struct mmio_insn){.write = true, .size = 1u << f3, .reg = (insn >> 20) & 31,
                                .len = 4};
        return true;
    }
    return false;
}

static bool ref16(uint16_t insn, struct mmio_insn *r)
{
    unsigned f3 = insn >> 13;
    if ((insn & 3) != 0 || (f3 != 2 && f3 != 3 && f3 != 6 && f3 != 7))
        return false;
    *r = (struct mmio_insn){.write = f3 >= 6, .size = (f3 & 1) ? 8 : 4, .is_signed = true,
                            .reg = 8 + ((insn >> 2) & 7), .len = 2};
    return true;
}

static void same(const struct mmio_insn *got, const struct mmio_insn *want, uint64_t bits)
{
    FUZZ_ASSERT(got->write == want->write && got->size == want->size && got->reg == want->reg &&
                    got->len == want->len,
                "insn %#llx: write %d size %u reg %u len %u, spec says %d %u %u %u",
                (unsigned long long)bits, got->write, got->size, got->reg, got->len,
                want->write, want->size, want->reg, want->len);
    /* Signedness matters for loads narrower than a register only. */
    if (!want->write && want->size < 8)
        FUZZ_ASSERT(got->is_signed == want->is_signed, "insn %#llx: signedness",
                    (unsigned long long)bits);
}

static void complete(struct fuzz_in *in, const struct mmio_insn *insn)
{
    struct trap_frame f, before;
    for (unsigned i = 0; i < 32; i++)
        f.x[i] = 0x1111111111111111ull * (i & 0xf);
    f.x[0] = 0;
    f.sepc = 0x80200000u;
    before = f;
    uint64_t value = fuzz_u64(in);
    mmio_decode_complete(&f, insn, value);
    for (unsigned i = 0; i < 32; i++)
        if (i != insn->reg || i == 0)
            FUZZ_ASSERT(f.x[i] == before.x[i], "x%u changed by a load into x%u", i, insn->reg);
    if (insn->reg == 0)
        return;
    uint64_t got = f.x[insn->reg];
    if (insn->size == 8) {
        FUZZ_ASSERT(got == value, "64-bit load altered");
        return;
    }
    unsigned bits = 8 * insn->size;
    uint64_t low = value & ((1ull << bits) - 1);
    bool neg = insn->is_signed && (low >> (bits - 1));
    uint64_t want = neg ? low | (~0ull << bits) : low;
    FUZZ_ASSERT(got == want, "size %u signed %d: %#llx -> %#llx, want %#llx", insn->size,
                insn->is_signed, (unsigned long long)value, (unsigned long long)got,
                (unsigned long long)want);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct fuzz_in in = {data, size};
    while (fuzz_more(&in)) {
        uint8_t mode = fuzz_u8(&in);
        uint32_t bits = fuzz_u32(&in);
        struct trap_frame f;
        memset(&f, 0, sizeof f);
        f.sepc = CODE_VA;
        code_readable = (mode >> 1) % 3; /* 0, 1 or 2 halfwords mapped */
        code[0] = (uint16_t)bits;
        code[1] = (uint16_t)(bits >> 16);
        struct mmio_insn got, want;
        memset(&got, 0xa5, sizeof got);
        bool ok, ref;
        if (mode & 1) {
            /* htinst holds a transformed instruction: bit 0 set, bit 1
             * clear when the original was compressed (priv. §9.6.3). */
            uint64_t htinst = bits | 1;
            ok = mmio_decode(&f, htinst, &got);
            ref = ref32((uint32_t)htinst | 3, &want);
            want.len = (htinst & 2) ? 4 : 2;
        } else {
            /* htinst 0 or a pseudoinstruction (bit 0 clear): the decoder
             * reads the code, which may fault at either halfword. */
            uint64_t htinst = (mode & 0x80) ? 0x3000 : 0;
            if (code_readable == 0)
                ref = false;
            else if ((bits & 3) != 3)
                ref = ref16((uint16_t)bits, &want);
            else
                ref = code_readable == 2 && ref32(bits, &want);
            ok = mmio_decode(&f, htinst, &got);
        }
        FUZZ_ASSERT(ok == ref, "mode %#x insn %#x: decoder says %d, spec %d", mode, bits, ok, ref);
        if (!ok)
            continue;
        same(&got, &want, bits);
        if (!got.write)
            complete(&in, &got);
    }
    return 0;
}
