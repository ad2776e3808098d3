/*
 * Helpers shared by the crypto unit tests: hex decoding of test vectors and
 * a small deterministic generator (xorshift64*), so failures reproduce.
 */
#ifndef ZERO_TESTS_LIB_CRYPTO_TESTUTIL_H
#define ZERO_TESTS_LIB_CRYPTO_TESTUTIL_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/* Decodes hex (up to a NUL, a newline or cap bytes) into out; the bytes decoded. */
static inline size_t unhex(const char *hex, uint8_t *out, size_t cap)
{
    size_t n = 0;
    while (hex[0] && hex[1] && hex[0] != '\n' && n < cap) {
        unsigned v;
        if (sscanf(hex, "%2x", &v) != 1) {
            break;
        }
        out[n++] = (uint8_t)v;
        hex += 2;
    }
    return n;
}

static inline uint64_t rng_next(uint64_t *s)
{
    *s ^= *s >> 12;
    *s ^= *s << 25;
    *s ^= *s >> 27;
    return *s * 0x2545f4914f6cdd1dULL;
}

static inline void rng_fill(uint64_t *s, uint8_t *out, size_t len)
{
    for (size_t i = 0; i < len; i++) {
        out[i] = (uint8_t)(rng_next(s) >> 56);
    }
}

#endif
