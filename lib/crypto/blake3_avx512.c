/*
 * BLAKE3 back end for AVX-512 (F and VL): sixteen inputs at once, one per
 * 32-bit lane.  Fewer than sixteen remaining inputs go to the AVX2 code.
 */
#include <immintrin.h>

#include "crypto/internal/blake3_impl.h"
#include "crypto/internal/blake3_rows.h"

typedef __m512i b3v;
#define B3V_ADD(a, b) _mm512_add_epi32((a), (b))
#define B3V_XOR(a, b) _mm512_xor_si512((a), (b))
#define B3V_ROT16(x) _mm512_ror_epi32((x), 16)
#define B3V_ROT12(x) _mm512_ror_epi32((x), 12)
#define B3V_ROT8(x) _mm512_ror_epi32((x), 8)
#define B3V_ROT7(x) _mm512_ror_epi32((x), 7)
#define B3V_SET1(x) _mm512_set1_epi32((int)(x))
#include "crypto/internal/blake3_simd_rounds.h"

/* Transposes four rows (inputs) in place so that each 128-bit lane k of
 * out[c] holds word 4k + c of the four rows. */
static inline void transpose4_lanes(__m512i out[4], __m512i r0, __m512i r1, __m512i r2, __m512i r3)
{
    __m512i t0 = _mm512_unpacklo_epi32(r0, r1);
    __m512i t1 = _mm512_unpackhi_epi32(r0, r1);
    __m512i t2 = _mm512_unpacklo_epi32(r2, r3);
    __m512i t3 = _mm512_unpackhi_epi32(r2, r3);
    out[0] = _mm512_unpacklo_epi64(t0, t2);
    out[1] = _mm512_unpackhi_epi64(t0, t2);
    out[2] = _mm512_unpacklo_epi64(t1, t3);
    out[3] = _mm512_unpackhi_epi64(t1, t3);
}

/* Loads one 64-byte block from each of 16 inputs and transposes it: m[w]
 * lane j is word w of input j.  Sixteen interleaved streams defeat the
 * hardware prefetcher, so the same block of the next 16 inputs is
 * requested now: inputs are consecutive chunks (or parent blocks), so it
 * lies ahead bytes further on. */
static inline void load_msg16(b3v m[16], const uint8_t *const *inputs, size_t off, size_t ahead)
{
    __m512i u[4][4];
    for (int j = 0; j < 16; j++) {
        _mm_prefetch((const char *)(inputs[j] + off + ahead), _MM_HINT_T0);
    }
    for (int g = 0; g < 4; g++) {
        transpose4_lanes(u[g], _mm512_loadu_si512((const void *)(inputs[4 * g] + off)),
                         _mm512_loadu_si512((const void *)(inputs[4 * g + 1] + off)),
                         _mm512_loadu_si512((const void *)(inputs[4 * g + 2] + off)),
                         _mm512_loadu_si512((const void *)(inputs[4 * g + 3] + off)));
    }
    for (int c = 0; c < 4; c++) {
        __m512i p0 = _mm512_shuffle_i32x4(u[0][c], u[1][c], 0x44);
        __m512i p1 = _mm512_shuffle_i32x4(u[0][c], u[1][c], 0xee);
        __m512i p2 = _mm512_shuffle_i32x4(u[2][c], u[3][c], 0x44);
        __m512i p3 = _mm512_shuffle_i32x4(u[2][c], u[3][c], 0xee);
        m[c] = _mm512_shuffle_i32x4(p0, p2, 0x88);
        m[4 + c] = _mm512_shuffle_i32x4(p0, p2, 0xdd);
        m[8 + c] = _mm512_shuffle_i32x4(p1, p3, 0x88);
        m[12 + c] = _mm512_shuffle_i32x4(p1, p3, 0xdd);
    }
}

/* Hashes exactly 16 inputs of blocks blocks each into 16 CVs at out (the
 * hash_many contract of blake3_impl.h for one full group). */
static void hash16(const uint8_t *const *inputs, size_t blocks, const uint32_t key[8],
                   uint64_t counter, bool increment_counter, uint8_t flags, uint8_t flags_start,
                   uint8_t flags_end, uint8_t *out)
{
    uint32_t lo[16], hi[16];
    b3v_counters(lo, hi, 16, counter, increment_counter);
    b3v counter_lo = _mm512_loadu_si512((const void *)lo);
    b3v counter_hi = _mm512_loadu_si512((const void *)hi);
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
        load_msg16(m, inputs, b * BLAKE3_BLOCK_LEN, 16 * blocks * BLAKE3_BLOCK_LEN);
        b3v_compress(h, m, counter_lo, counter_hi, block_len, B3V_SET1(block_flags));
        block_flags = flags;
    }
    uint32_t words[8][16];
    for (int i = 0; i < 8; i++) {
        _mm512_storeu_si512((void *)words[i], h[i]);
    }
    for (int j = 0; j < 16; j++) {
        for (int i = 0; i < 8; i++) {
            b3_store32(out + 32 * j + 4 * i, words[i][j]);
        }
    }
}

void b3_hash_many_avx512(const uint8_t *const *inputs, size_t num_inputs, size_t blocks,
                         const uint32_t key[8], uint64_t counter, bool increment_counter,
                         uint8_t flags, uint8_t flags_start, uint8_t flags_end, uint8_t *out)
{
    while (num_inputs >= 16) {
        hash16(inputs, blocks, key, counter, increment_counter, flags, flags_start, flags_end, out);
        if (increment_counter) {
            counter += 16;
        }
        inputs += 16;
        num_inputs -= 16;
        out += 16 * BLAKE3_OUT_LEN;
    }
    b3_hash_many_avx2(inputs, num_inputs, blocks, key, counter, increment_counter, flags,
                      flags_start, flags_end, out);
}

/* ---- one block at a time: the state as four rows of four words ---- */

static inline __attribute__((always_inline)) void row_g(__m128i *a, __m128i *b, __m128i *c,
                                                        __m128i *d, __m128i x, __m128i y)
{
    *a = _mm_add_epi32(_mm_add_epi32(*a, *b), x);
    *d = _mm_ror_epi32(_mm_xor_si128(*d, *a), 16);
    *c = _mm_add_epi32(*c, *d);
    *b = _mm_ror_epi32(_mm_xor_si128(*b, *c), 12);
    *a = _mm_add_epi32(_mm_add_epi32(*a, *b), y);
    *d = _mm_ror_epi32(_mm_xor_si128(*d, *a), 8);
    *c = _mm_add_epi32(*c, *d);
    *b = _mm_ror_epi32(_mm_xor_si128(*b, *c), 7);
}

/* Runs the seven rounds on rows a..d (v0-3, v4-7, v8-11, v12-15).  The
 * whole block sits in one register; each round permutes it once. */
static inline void rows_compress(__m128i r[4], const uint32_t cv[8], const uint8_t *block,
                                 uint8_t block_len, uint64_t counter, uint8_t flags)
{
    __m512i msg = _mm512_loadu_si512((const void *)block);
    r[0] = _mm_loadu_si128((const __m128i *)(const void *)cv);
    r[1] = _mm_loadu_si128((const __m128i *)(const void *)(cv + 4));
    r[2] =
        _mm_set_epi32((int)0xA54FF53AUL, (int)0x3C6EF372UL, (int)0xBB67AE85UL, (int)0x6A09E667UL);
    r[3] = _mm_set_epi32((int)flags, (int)block_len, (int)(uint32_t)(counter >> 32),
                         (int)(uint32_t)counter);
    for (int round = 0; round < 7; round++) {
        __m512i idx = _mm512_loadu_si512((const void *)b3_row_schedule[round]);
        __m512i m = _mm512_permutexvar_epi32(idx, msg);
        row_g(&r[0], &r[1], &r[2], &r[3], _mm512_castsi512_si128(m),
              _mm512_extracti32x4_epi32(m, 1));
        r[1] = _mm_shuffle_epi32(r[1], _MM_SHUFFLE(0, 3, 2, 1));
        r[2] = _mm_shuffle_epi32(r[2], _MM_SHUFFLE(1, 0, 3, 2));
        r[3] = _mm_shuffle_epi32(r[3], _MM_SHUFFLE(2, 1, 0, 3));
        row_g(&r[0], &r[1], &r[2], &r[3], _mm512_extracti32x4_epi32(m, 2),
              _mm512_extracti32x4_epi32(m, 3));
        r[1] = _mm_shuffle_epi32(r[1], _MM_SHUFFLE(2, 1, 0, 3));
        r[2] = _mm_shuffle_epi32(r[2], _MM_SHUFFLE(1, 0, 3, 2));
        r[3] = _mm_shuffle_epi32(r[3], _MM_SHUFFLE(0, 3, 2, 1));
    }
}

void b3_compress_in_place_avx512(uint32_t cv[8], const uint8_t block[BLAKE3_BLOCK_LEN],
                                 uint8_t block_len, uint64_t counter, uint8_t flags)
{
    __m128i r[4];
    rows_compress(r, cv, block, block_len, counter, flags);
    b3_rows_out_cv(r, cv);
}

void b3_compress_xof_avx512(const uint32_t cv[8], const uint8_t block[BLAKE3_BLOCK_LEN],
                            uint8_t block_len, uint64_t counter, uint8_t flags, uint8_t out[64])
{
    __m128i r[4];
    rows_compress(r, cv, block, block_len, counter, flags);
    b3_rows_out_xof(r, cv, out);
}
