/*
 * BLAKE3 back end for SSE4.1: four inputs at once, one per 32-bit lane.
 * Fewer than four remaining inputs go to the portable code.
 */
#include <immintrin.h>

#include "crypto/internal/blake3_impl.h"

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
