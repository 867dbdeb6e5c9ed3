/* Reading a fuzzer's input bytes as a stream of operation fields, and the invariant check every target uses. */
#ifndef BAOHU_FUZZ_INPUT_H
#define BAOHU_FUZZ_INPUT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

/*
 * The input is consumed front to back, little-endian; a field that runs
 * past the end reads as zero bytes. Every target stops its operation loop
 * when fuzz_more() turns false, so each input is a finite sequence of
 * operations and a short input is still a valid (short) one.
 */
struct fuzz_in {
    const uint8_t *p;
    size_t n;
};

static inline bool fuzz_more(const struct fuzz_in *in)
{
    return in->n > 0;
}

static inline uint64_t fuzz_bytes(struct fuzz_in *in, unsigned count)
{
    uint64_t v = 0;
    for (unsigned i = 0; i < count; i++) {
        if (in->n) {
            v |= (uint64_t)in->p[0] << (8 * i);
            in->p++;
            in->n--;
        }
    }
    return v;
}

static inline uint8_t fuzz_u8(struct fuzz_in *in) { return (uint8_t)fuzz_bytes(in, 1); }
static inline uint16_t fuzz_u16(struct fuzz_in *in) { return (uint16_t)fuzz_bytes(in, 2); }
static inline uint32_t fuzz_u32(struct fuzz_in *in) { return (uint32_t)fuzz_bytes(in, 4); }
static inline uint64_t fuzz_u64(struct fuzz_in *in) { return fuzz_bytes(in, 8); }

/* A value the fuzzer tends to pick at the edges: small, all ones, a
 * power of two, or anything. Boundaries find more bugs than uniform noise. */
static inline uint64_t fuzz_edgy64(struct fuzz_in *in)
{
    uint8_t kind = fuzz_u8(in);
    switch (kind & 3) {
    case 0: return kind >> 2;                       /* 0..63 */
    case 1: return ~0ull - (kind >> 2);             /* near the top */
    case 2: return 1ull << (kind >> 2);             /* a single bit */
    default: return fuzz_u64(in);
    }
}

/* An invariant of the code under test: abort with a message (libFuzzer
 * keeps the input as a crash). Never used on things the input may
 * legitimately make false. */
#define FUZZ_ASSERT(cond, ...)                                                  \
    do {                                                                        \
        if (!(cond)) {                                                          \
            fprintf(stderr, "%s:%d: invariant broken: %s: ", __FILE__, __LINE__, \
                    #cond);                                                     \
            fprintf(stderr, __VA_ARGS__);                                       \
            fputc('\n', stderr);                                                \
            abort();                                                            \
        }                                                                       \
    } while (0)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#endif
