/*
 * Output of the row-wise one-block compression shared by the SSE4.1 and
 * AVX-512 back ends: the state as four rows of four words (v0-3, v4-7,
 * v8-11, v12-15) after the seven rounds.  Include after <immintrin.h>.
 */
#ifndef ZERO_CRYPTO_INTERNAL_BLAKE3_ROWS_H
#define ZERO_CRYPTO_INTERNAL_BLAKE3_ROWS_H

/* The new chaining value into cv. */
static inline void b3_rows_out_cv(const __m128i r[4], uint32_t cv[8])
{
    _mm_storeu_si128((__m128i *)(void *)cv, _mm_xor_si128(r[0], r[2]));
    _mm_storeu_si128((__m128i *)(void *)(cv + 4), _mm_xor_si128(r[1], r[3]));
}

/* The 64 extended-output bytes of a block compressed from cv. */
static inline void b3_rows_out_xof(const __m128i r[4], const uint32_t cv[8], uint8_t out[64])
{
    __m128i cv0 = _mm_loadu_si128((const __m128i *)(const void *)cv);
    __m128i cv1 = _mm_loadu_si128((const __m128i *)(const void *)(cv + 4));
    _mm_storeu_si128((__m128i *)(void *)out, _mm_xor_si128(r[0], r[2]));
    _mm_storeu_si128((__m128i *)(void *)(out + 16), _mm_xor_si128(r[1], r[3]));
    _mm_storeu_si128((__m128i *)(void *)(out + 32), _mm_xor_si128(r[2], cv0));
    _mm_storeu_si128((__m128i *)(void *)(out + 48), _mm_xor_si128(r[3], cv1));
}

#endif
