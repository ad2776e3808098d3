/*
 * BLAKE3 back end for SSE4.1: four inputs at once, one per 32-bit lane.
 * Fewer than four remaining inputs go to the portable code.  Single blocks
 * (chunk tails, parents, root output) use a row-wise compression.
 */
#include <immintrin.h>

#include "crypto/internal/blake3_impl.h"
#include "crypto/internal/blake3_rows.h"
#include "base/string.h"

typedef __m128i b3v;

static inline __m128i rot16_128(__m128i x)
{
    return _mm_shuffle_epi8(x, _mm_set_epi8(13, 12, 15, 14, 9, 8, 11, 10, 5, 4, 7, 6, 1, 0, 3, 2));
}

static inline __m128i rot8_128(__m128i x)
{
    return _mm_shuffle_epi8(x, _mm_set_epi8(12, 15, 14, 13, 8, 11, 10, 9, 4, 7, 6, 5, 0, 3, 2, 1));
}

#define B3V_ADD(a, b) _mm_add_epi32((a), (b))
#define B3V_XOR(a, b) _mm_xor_si128((a), (b))
#define B3V_ROT16(x) rot16_128(x)
#define B3V_ROT12(x) _mm_or_si128(_mm_srli_epi32((x), 12), _mm_slli_epi32((x), 20))
#define B3V_ROT8(x) rot8_128(x)
#define B3V_ROT7(x) _mm_or_si128(_mm_srli_epi32((x), 7), _mm_slli_epi32((x), 25))
#define B3V_SET1(x) _mm_set1_epi32((int)(x))
#include "crypto/internal/blake3_simd_rounds.h"

/* Transposes 4 rows of 4 words: out[w] lane j is word w of row j. */
static inline void transpose4(__m128i out[4], __m128i r0, __m128i r1, __m128i r2, __m128i r3)
{
    __m128i t0 = _mm_unpacklo_epi32(r0, r1);
    __m128i t1 = _mm_unpackhi_epi32(r0, r1);
    __m128i t2 = _mm_unpacklo_epi32(r2, r3);
    __m128i t3 = _mm_unpackhi_epi32(r2, r3);
    out[0] = _mm_unpacklo_epi64(t0, t2);
    out[1] = _mm_unpackhi_epi64(t0, t2);
    out[2] = _mm_unpacklo_epi64(t1, t3);
    out[3] = _mm_unpackhi_epi64(t1, t3);
}

static inline __m128i load128(const uint8_t *p)
{
    return _mm_loadu_si128((const __m128i *)(const void *)p);
}

/* Loads and transposes one block of 4 inputs, requesting the same block
 * of the next 4 inputs (ahead bytes on). */
static inline void load_msg4(b3v m[16], const uint8_t *const *inputs, size_t off, size_t ahead)
{
    for (int j = 0; j < 4; j++) {
        _mm_prefetch((const char *)(inputs[j] + off + ahead), _MM_HINT_T0);
    }
    for (int q = 0; q < 4; q++) {
        size_t o = off + 16 * (size_t)q;
        transpose4(m + 4 * q, load128(inputs[0] + o), load128(inputs[1] + o),
                   load128(inputs[2] + o), load128(inputs[3] + o));
    }
}

/* Hashes exactly 4 inputs of blocks blocks each into 4 CVs at out (the
 * hash_many contract of blake3_impl.h for one full group). */
static void hash4(const uint8_t *const *inputs, size_t blocks, const uint32_t key[8],
                  uint64_t counter, bool increment_counter, uint8_t flags, uint8_t flags_start,
                  uint8_t flags_end, uint8_t *out)
{
    uint32_t lo[4], hi[4];
    b3v_counters(lo, hi, 4, counter, increment_counter);
    b3v counter_lo = _mm_loadu_si128((const __m128i *)(const void *)lo);
    b3v counter_hi = _mm_loadu_si128((const __m128i *)(const void *)hi);
    b3v h[8];
    for (int i = 0; i < 8; i++) {
        h[i] = B3V_SET1(key[i]);
    }
    b3v block_len = B3V_SET1(BLAKE3_BLOCK_LEN);
    uint8_t block_flags = flags | flags_start;
    for (size_t b = 0; b < blocks; b++) {
        if (b + 1 == blocks) {
            block_flags |= flags_end;
        }
        b3v m[16];
        load_msg4(m, inputs, b * BLAKE3_BLOCK_LEN, 4 * blocks * BLAKE3_BLOCK_LEN);
        b3v_compress(h, m, counter_lo, counter_hi, block_len, B3V_SET1(block_flags));
        block_flags = flags;
    }
    __m128i cv[8];
    transpose4(cv, h[0], h[1], h[2], h[3]);
    transpose4(cv + 4, h[4], h[5], h[6], h[7]);
    for (int j = 0; j < 4; j++) {
        _mm_storeu_si128((__m128i *)(void *)(out + 32 * j), cv[j]);
        _mm_storeu_si128((__m128i *)(void *)(out + 32 * j + 16), cv[4 + j]);
    }
}

void b3_hash_many_sse41(const uint8_t *const *inputs, size_t num_inputs, size_t blocks,
                        const uint32_t key[8], uint64_t counter, bool increment_counter,
                        uint8_t flags, uint8_t flags_start, uint8_t flags_end, uint8_t *out)
{
    while (num_inputs >= 4) {
        hash4(inputs, blocks, key, counter, increment_counter, flags, flags_start, flags_end, out);
        if (increment_counter) {
            counter += 4;
        }
        inputs += 4;
        num_inputs -= 4;
        out += 4 * BLAKE3_OUT_LEN;
    }
    b3_hash_many_portable(inputs, num_inputs, blocks, key, counter, increment_counter, flags,
                          flags_start, flags_end, out);
}

/* ---- one block at a time: the state as four rows of four words ---- */

const uint32_t b3_row_schedule[7][16] = {
    {0, 2, 4, 6, 1, 3, 5, 7, 8, 10, 12, 14, 9, 11, 13, 15},
    {2, 3, 7, 4, 6, 10, 0, 13, 1, 12, 9, 15, 11, 5, 14, 8},
    {3, 10, 13, 7, 4, 12, 2, 14, 6, 9, 11, 8, 5, 0, 15, 1},
    {10, 12, 14, 13, 7, 9, 3, 15, 4, 11, 5, 1, 0, 2, 8, 6},
    {12, 9, 15, 14, 13, 11, 10, 8, 7, 5, 0, 6, 2, 3, 1, 4},
    {9, 11, 8, 15, 14, 5, 12, 1, 13, 0, 2, 4, 3, 10, 6, 7},
    {11, 5, 1, 8, 15, 0, 9, 6, 14, 2, 3, 7, 10, 12, 4, 13},
};

static inline __attribute__((always_inline)) void row_g(__m128i *a, __m128i *b, __m128i *c,
                                                        __m128i *d, __m128i x, __m128i y)
{
    *a = B3V_ADD(B3V_ADD(*a, *b), x);
    *d = B3V_ROT16(B3V_XOR(*d, *a));
    *c = B3V_ADD(*c, *d);
    *b = B3V_ROT12(B3V_XOR(*b, *c));
    *a = B3V_ADD(B3V_ADD(*a, *b), y);
    *d = B3V_ROT8(B3V_XOR(*d, *a));
    *c = B3V_ADD(*c, *d);
    *b = B3V_ROT7(B3V_XOR(*b, *c));
}

/* Four message words of round r, slot q of b3_row_schedule. */
static inline __m128i row_msg(const uint32_t m[16], int r, int q)
{
    const uint32_t *s = &b3_row_schedule[r][4 * q];
    return _mm_set_epi32((int)m[s[3]], (int)m[s[2]], (int)m[s[1]], (int)m[s[0]]);
}

/* Runs the seven rounds on rows a..d (v0-3, v4-7, v8-11, v12-15), the
 * message words gathered per round from the schedule. */
static inline void rows_compress(__m128i r[4], const uint32_t cv[8], const uint8_t *block,
                                 uint8_t block_len, uint64_t counter, uint8_t flags)
{
    uint32_t m[16];
    memcpy(m, block, sizeof(m)); /* x86 is little-endian */
    r[0] = _mm_loadu_si128((const __m128i *)(const void *)cv);
    r[1] = _mm_loadu_si128((const __m128i *)(const void *)(cv + 4));
    r[2] = _mm_set_epi32((int)b3_iv[3], (int)b3_iv[2], (int)b3_iv[1], (int)b3_iv[0]);
    r[3] = _mm_set_epi32((int)flags, (int)block_len, (int)(uint32_t)(counter >> 32),
                         (int)(uint32_t)counter);
    /* Unrolled, the schedule's indices are constants: each message vector
     * is then one load and three inserts from m (gcc would otherwise keep
     * the loop and load the indices too, half again as many instructions). */
#pragma GCC unroll 7
    for (int round = 0; round < 7; round++) {
        row_g(&r[0], &r[1], &r[2], &r[3], row_msg(m, round, 0), row_msg(m, round, 1));
        r[1] = _mm_shuffle_epi32(r[1], _MM_SHUFFLE(0, 3, 2, 1));
        r[2] = _mm_shuffle_epi32(r[2], _MM_SHUFFLE(1, 0, 3, 2));
        r[3] = _mm_shuffle_epi32(r[3], _MM_SHUFFLE(2, 1, 0, 3));
        row_g(&r[0], &r[1], &r[2], &r[3], row_msg(m, round, 2), row_msg(m, round, 3));
        r[1] = _mm_shuffle_epi32(r[1], _MM_SHUFFLE(2, 1, 0, 3));
        r[2] = _mm_shuffle_epi32(r[2], _MM_SHUFFLE(1, 0, 3, 2));
        r[3] = _mm_shuffle_epi32(r[3], _MM_SHUFFLE(0, 3, 2, 1));
    }
}

void b3_compress_in_place_sse41(uint32_t cv[8], const uint8_t block[BLAKE3_BLOCK_LEN],
                                uint8_t block_len, uint64_t counter, uint8_t flags)
{
    __m128i r[4];
    rows_compress(r, cv, block, block_len, counter, flags);
    b3_rows_out_cv(r, cv);
}

void b3_compress_xof_sse41(const uint32_t cv[8], const uint8_t block[BLAKE3_BLOCK_LEN],
                           uint8_t block_len, uint64_t counter, uint8_t flags, uint8_t out[64])
{
    __m128i r[4];
    rows_compress(r, cv, block, block_len, counter, flags);
    b3_rows_out_xof(r, cv, out);
}
