/*
 * BLAKE3 back end for AVX2: eight inputs at once, one per 32-bit lane.
 * Fewer than eight remaining inputs go to the SSE4.1 code.
 */
#include <immintrin.h>

#include "crypto/internal/blake3_impl.h"

typedef __m256i b3v;

/* One VPSHUFB with its mask in memory: left to itself clang turns this
 * shuffle into a VPSHUFLW/VPSHUFHW pair, 56 more instructions per
 * eight-way compression. */
static const uint8_t rot16_mask[32]
    __attribute__((aligned(32))) = {2, 3, 0, 1, 6, 7, 4, 5, 10, 11, 8, 9, 14, 15, 12, 13,
                                    2, 3, 0, 1, 6, 7, 4, 5, 10, 11, 8, 9, 14, 15, 12, 13};

static inline __m256i rot16_256(__m256i x)
{
    __asm__("vpshufb %1, %0, %0" : "+x"(x) : "m"(rot16_mask));
    return x;
}

static inline __m256i rot8_256(__m256i x)
{
    return _mm256_shuffle_epi8(x, _mm256_set_epi8(12, 15, 14, 13, 8, 11, 10, 9, 4, 7, 6, 5, 0, 3, 2,
                                                  1, 12, 15, 14, 13, 8, 11, 10, 9, 4, 7, 6, 5, 0, 3,
                                                  2, 1));
}

#define B3V_ADD(a, b) _mm256_add_epi32((a), (b))
#define B3V_XOR(a, b) _mm256_xor_si256((a), (b))
#define B3V_ROT16(x) rot16_256(x)
#define B3V_ROT12(x) _mm256_or_si256(_mm256_srli_epi32((x), 12), _mm256_slli_epi32((x), 20))
#define B3V_ROT8(x) rot8_256(x)
#define B3V_ROT7(x) _mm256_or_si256(_mm256_srli_epi32((x), 7), _mm256_slli_epi32((x), 25))
#define B3V_SET1(x) _mm256_set1_epi32((int)(x))
#include "crypto/internal/blake3_simd_rounds.h"

/* Transposes 8 rows of 8 words: out[w] lane j is word w of row j. */
static inline void transpose8(__m256i out[8], const __m256i r[8])
{
    __m256i u[2][4];
    for (int g = 0; g < 2; g++) {
        __m256i t0 = _mm256_unpacklo_epi32(r[4 * g], r[4 * g + 1]);
        __m256i t1 = _mm256_unpackhi_epi32(r[4 * g], r[4 * g + 1]);
        __m256i t2 = _mm256_unpacklo_epi32(r[4 * g + 2], r[4 * g + 3]);
        __m256i t3 = _mm256_unpackhi_epi32(r[4 * g + 2], r[4 * g + 3]);
        u[g][0] = _mm256_unpacklo_epi64(t0, t2);
        u[g][1] = _mm256_unpackhi_epi64(t0, t2);
        u[g][2] = _mm256_unpacklo_epi64(t1, t3);
        u[g][3] = _mm256_unpackhi_epi64(t1, t3);
    }
    for (int c = 0; c < 4; c++) {
        out[c] = _mm256_permute2x128_si256(u[0][c], u[1][c], 0x20);
        out[4 + c] = _mm256_permute2x128_si256(u[0][c], u[1][c], 0x31);
    }
}

/* Loads and transposes one block of 8 inputs, requesting the same block
 * of the next 8 inputs (ahead bytes on) as the AVX-512 code does. */
static inline void load_msg8(b3v m[16], const uint8_t *const *inputs, size_t off, size_t ahead)
{
    __m256i r[8];
    for (int j = 0; j < 8; j++) {
        _mm_prefetch((const char *)(inputs[j] + off + ahead), _MM_HINT_T0);
    }
    for (int j = 0; j < 8; j++) {
        r[j] = _mm256_loadu_si256((const __m256i *)(const void *)(inputs[j] + off));
    }
    transpose8(m, r);
    for (int j = 0; j < 8; j++) {
        r[j] = _mm256_loadu_si256((const __m256i *)(const void *)(inputs[j] + off + 32));
    }
    transpose8(m + 8, r);
}

/* Hashes exactly 8 inputs of blocks blocks each into 8 CVs at out (the
 * hash_many contract of blake3_impl.h for one full group). */
static void hash8(const uint8_t *const *inputs, size_t blocks, const uint32_t key[8],
                  uint64_t counter, bool increment_counter, uint8_t flags, uint8_t flags_start,
                  uint8_t flags_end, uint8_t *out)
{
    uint32_t lo[8], hi[8];
    b3v_counters(lo, hi, 8, counter, increment_counter);
    b3v counter_lo = _mm256_loadu_si256((const __m256i *)(const void *)lo);
    b3v counter_hi = _mm256_loadu_si256((const __m256i *)(const void *)hi);
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
        load_msg8(m, inputs, b * BLAKE3_BLOCK_LEN, 8 * blocks * BLAKE3_BLOCK_LEN);
        b3v_compress(h, m, counter_lo, counter_hi, block_len, B3V_SET1(block_flags));
        block_flags = flags;
    }
    /* The same transpose turns 8 vectors of one word per lane into 8 CVs. */
    __m256i cv[8];
    transpose8(cv, h);
    for (int j = 0; j < 8; j++) {
        _mm256_storeu_si256((__m256i *)(void *)(out + 32 * j), cv[j]);
    }
}

void b3_hash_many_avx2(const uint8_t *const *inputs, size_t num_inputs, size_t blocks,
                       const uint32_t key[8], uint64_t counter, bool increment_counter,
                       uint8_t flags, uint8_t flags_start, uint8_t flags_end, uint8_t *out)
{
    while (num_inputs >= 8) {
        hash8(inputs, blocks, key, counter, increment_counter, flags, flags_start, flags_end, out);
        if (increment_counter) {
            counter += 8;
        }
        inputs += 8;
        num_inputs -= 8;
        out += 8 * BLAKE3_OUT_LEN;
    }
    b3_hash_many_sse41(inputs, num_inputs, blocks, key, counter, increment_counter, flags,
                       flags_start, flags_end, out);
}

/* Hashes 8 messages of one chunk at most, each to its 32-byte root hash
 * (see b3_hash_short8_fn in blake3_impl.h).  A lane whose message has fewer
 * blocks than the longest keeps its chaining value through the extra steps
 * (the blend), so every lane computes exactly its own message's hash. */
void b3_hash_short8_avx2(const uint8_t *const *blocks, const uint8_t nblocks[8],
                         const uint8_t last_len[8], size_t max_blocks, const uint32_t key[8],
                         uint8_t flags, uint8_t *out)
{
    b3v h[8];
    for (int i = 0; i < 8; i++) {
        h[i] = B3V_SET1(key[i]);
    }
    b3v zero = _mm256_setzero_si256();
    for (size_t j = 0; j < max_blocks; j++) {
        uint32_t fl[8], bl[8], act[8];
        for (int k = 0; k < 8; k++) {
            size_t nb = nblocks[k];
            act[k] = j < nb ? 0xffffffffu : 0;
            fl[k] =
                flags | (j == 0 ? B3_CHUNK_START : 0) | (j + 1 == nb ? B3_CHUNK_END | B3_ROOT : 0);
            bl[k] = j + 1 == nb ? last_len[k] : BLAKE3_BLOCK_LEN;
        }
        b3v m[16];
        __m256i r[8];
        const uint8_t *const *p = blocks + 8 * j;
        for (int k = 0; k < 8; k++) {
            r[k] = _mm256_loadu_si256((const __m256i *)(const void *)p[k]);
        }
        transpose8(m, r);
        for (int k = 0; k < 8; k++) {
            r[k] = _mm256_loadu_si256((const __m256i *)(const void *)(p[k] + 32));
        }
        transpose8(m + 8, r);
        b3v n[8];
        for (int i = 0; i < 8; i++) {
            n[i] = h[i];
        }
        b3v_compress(n, m, zero, zero, _mm256_loadu_si256((const __m256i *)(const void *)bl),
                     _mm256_loadu_si256((const __m256i *)(const void *)fl));
        b3v mask = _mm256_loadu_si256((const __m256i *)(const void *)act);
        for (int i = 0; i < 8; i++) {
            h[i] = _mm256_blendv_epi8(h[i], n[i], mask);
        }
    }
    __m256i cv[8];
    transpose8(cv, h);
    for (int k = 0; k < 8; k++) {
        _mm256_storeu_si256((__m256i *)(void *)(out + 32 * k), cv[k]);
    }
}
