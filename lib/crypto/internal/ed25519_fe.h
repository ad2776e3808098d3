/*
 * Arithmetic in GF(2^255 - 19), radix 2^51: five 64-bit limbs, products in
 * unsigned __int128.  Every function runs in constant time.
 *
 * Bounds: fe_mul and fe_sq accept limbs below 2^54 and return limbs below
 * 2^51 + 2^13.  fe_add does not carry (outputs below 2^53 when inputs are
 * reduced); fe_sub accepts a subtrahend below 2^53 and carries.
 */
#ifndef ZERO_CRYPTO_INTERNAL_ED25519_FE_H
#define ZERO_CRYPTO_INTERNAL_ED25519_FE_H

#include <stdint.h>

typedef struct fe {
    uint64_t v[5];
} fe;

typedef unsigned __int128 fe_u128;

#define FE_MASK51 ((1ULL << 51) - 1)

static inline uint64_t fe_load64(const uint8_t *p)
{
    uint64_t v = 0;
    for (int i = 7; i >= 0; i--) {
        v = (v << 8) | p[i];
    }
    return v;
}

static inline void fe_store64(uint8_t *p, uint64_t v)
{
    for (int i = 0; i < 8; i++) {
        p[i] = (uint8_t)(v >> (8 * i));
    }
}

static inline void fe_0(fe *h)
{
    for (int i = 0; i < 5; i++) {
        h->v[i] = 0;
    }
}

static inline void fe_1(fe *h)
{
    fe_0(h);
    h->v[0] = 1;
}

static inline void fe_copy(fe *h, const fe *f)
{
    *h = *f;
}

/* One carry pass: limbs below 2^51, except v[0] below 2^51 + 19 * 2^13. */
static inline void fe_carry(fe *h)
{
    uint64_t c;
    c = h->v[0] >> 51;
    h->v[0] &= FE_MASK51;
    h->v[1] += c;
    c = h->v[1] >> 51;
    h->v[1] &= FE_MASK51;
    h->v[2] += c;
    c = h->v[2] >> 51;
    h->v[2] &= FE_MASK51;
    h->v[3] += c;
    c = h->v[3] >> 51;
    h->v[3] &= FE_MASK51;
    h->v[4] += c;
    c = h->v[4] >> 51;
    h->v[4] &= FE_MASK51;
    h->v[0] += 19 * c;
}

static inline void fe_add(fe *h, const fe *f, const fe *g)
{
    for (int i = 0; i < 5; i++) {
        h->v[i] = f->v[i] + g->v[i];
    }
}

/* h = f - g, computed as f + 4p - g so no limb underflows. */
static inline void fe_sub(fe *h, const fe *f, const fe *g)
{
    h->v[0] = (f->v[0] + 0x1fffffffffffb4ULL) - g->v[0];
    h->v[1] = (f->v[1] + 0x1ffffffffffffcULL) - g->v[1];
    h->v[2] = (f->v[2] + 0x1ffffffffffffcULL) - g->v[2];
    h->v[3] = (f->v[3] + 0x1ffffffffffffcULL) - g->v[3];
    h->v[4] = (f->v[4] + 0x1ffffffffffffcULL) - g->v[4];
    fe_carry(h);
}

static inline void fe_neg(fe *h, const fe *f)
{
    fe zero;
    fe_0(&zero);
    fe_sub(h, &zero, f);
}

/* Folds the five 128-bit column sums into reduced limbs. */
static inline void fe_reduce128(fe *h, fe_u128 r0, fe_u128 r1, fe_u128 r2, fe_u128 r3, fe_u128 r4)
{
    uint64_t c;
    r1 += (uint64_t)(r0 >> 51);
    r2 += (uint64_t)(r1 >> 51);
    r3 += (uint64_t)(r2 >> 51);
    r4 += (uint64_t)(r3 >> 51);
    c = (uint64_t)(r4 >> 51);
    uint64_t h0 = ((uint64_t)r0 & FE_MASK51) + c * 19;
    h->v[1] = ((uint64_t)r1 & FE_MASK51) + (h0 >> 51);
    h->v[0] = h0 & FE_MASK51;
    h->v[2] = (uint64_t)r2 & FE_MASK51;
    h->v[3] = (uint64_t)r3 & FE_MASK51;
    h->v[4] = (uint64_t)r4 & FE_MASK51;
}

static inline __attribute__((always_inline)) void fe_mul(fe *h, const fe *f, const fe *g)
{
    uint64_t f0 = f->v[0], f1 = f->v[1], f2 = f->v[2], f3 = f->v[3], f4 = f->v[4];
    uint64_t g0 = g->v[0], g1 = g->v[1], g2 = g->v[2], g3 = g->v[3], g4 = g->v[4];
    uint64_t g1_19 = 19 * g1, g2_19 = 19 * g2, g3_19 = 19 * g3, g4_19 = 19 * g4;
    fe_u128 r0 = (fe_u128)f0 * g0 + (fe_u128)f1 * g4_19 + (fe_u128)f2 * g3_19 +
                 (fe_u128)f3 * g2_19 + (fe_u128)f4 * g1_19;
    fe_u128 r1 = (fe_u128)f0 * g1 + (fe_u128)f1 * g0 + (fe_u128)f2 * g4_19 + (fe_u128)f3 * g3_19 +
                 (fe_u128)f4 * g2_19;
    fe_u128 r2 = (fe_u128)f0 * g2 + (fe_u128)f1 * g1 + (fe_u128)f2 * g0 + (fe_u128)f3 * g4_19 +
                 (fe_u128)f4 * g3_19;
    fe_u128 r3 = (fe_u128)f0 * g3 + (fe_u128)f1 * g2 + (fe_u128)f2 * g1 + (fe_u128)f3 * g0 +
                 (fe_u128)f4 * g4_19;
    fe_u128 r4 = (fe_u128)f0 * g4 + (fe_u128)f1 * g3 + (fe_u128)f2 * g2 + (fe_u128)f3 * g1 +
                 (fe_u128)f4 * g0;
    fe_reduce128(h, r0, r1, r2, r3, r4);
}

static inline __attribute__((always_inline)) void fe_sq(fe *h, const fe *f)
{
    uint64_t f0 = f->v[0], f1 = f->v[1], f2 = f->v[2], f3 = f->v[3], f4 = f->v[4];
    uint64_t f0_2 = 2 * f0, f1_2 = 2 * f1, f2_2 = 2 * f2;
    uint64_t f3_19 = 19 * f3, f4_19 = 19 * f4;
    fe_u128 r0 = (fe_u128)f0 * f0 + (fe_u128)f1_2 * f4_19 + (fe_u128)f2_2 * f3_19;
    fe_u128 r1 = (fe_u128)f0_2 * f1 + (fe_u128)f2_2 * f4_19 + (fe_u128)f3 * f3_19;
    fe_u128 r2 = (fe_u128)f0_2 * f2 + (fe_u128)f1 * f1 + (fe_u128)(2 * f3) * f4_19;
    fe_u128 r3 = (fe_u128)f0_2 * f3 + (fe_u128)f1_2 * f2 + (fe_u128)f4 * f4_19;
    fe_u128 r4 = (fe_u128)f0_2 * f4 + (fe_u128)f1_2 * f3 + (fe_u128)f2 * f2;
    fe_reduce128(h, r0, r1, r2, r3, r4);
}

/* h = f^(2^n), n >= 1. */
static inline void fe_sqn(fe *h, const fe *f, int n)
{
    fe_sq(h, f);
    for (int i = 1; i < n; i++) {
        fe_sq(h, h);
    }
}

/* Decodes 32 bytes little-endian, ignoring the top bit (not reduced). */
static inline void fe_frombytes(fe *h, const uint8_t s[32])
{
    h->v[0] = fe_load64(s) & FE_MASK51;
    h->v[1] = (fe_load64(s + 6) >> 3) & FE_MASK51;
    h->v[2] = (fe_load64(s + 12) >> 6) & FE_MASK51;
    h->v[3] = (fe_load64(s + 19) >> 1) & FE_MASK51;
    h->v[4] = (fe_load64(s + 24) >> 12) & FE_MASK51;
}

/* Encodes the fully reduced value of f. */
static inline void fe_tobytes(uint8_t s[32], const fe *f)
{
    fe t = *f;
    fe_carry(&t);
    fe_carry(&t);
    /* q = 1 exactly when t >= p. */
    uint64_t q = (t.v[0] + 19) >> 51;
    q = (t.v[1] + q) >> 51;
    q = (t.v[2] + q) >> 51;
    q = (t.v[3] + q) >> 51;
    q = (t.v[4] + q) >> 51;
    t.v[0] += 19 * q;
    t.v[1] += t.v[0] >> 51;
    t.v[0] &= FE_MASK51;
    t.v[2] += t.v[1] >> 51;
    t.v[1] &= FE_MASK51;
    t.v[3] += t.v[2] >> 51;
    t.v[2] &= FE_MASK51;
    t.v[4] += t.v[3] >> 51;
    t.v[3] &= FE_MASK51;
    t.v[4] &= FE_MASK51;
    fe_store64(s, t.v[0] | (t.v[1] << 51));
    fe_store64(s + 8, (t.v[1] >> 13) | (t.v[2] << 38));
    fe_store64(s + 16, (t.v[2] >> 26) | (t.v[3] << 25));
    fe_store64(s + 24, (t.v[3] >> 39) | (t.v[4] << 12));
}

/* Keeps the compiler from turning a mask back into a branch. */
static inline uint64_t fe_barrier(uint64_t x)
{
    __asm__("" : "+r"(x));
    return x;
}

/* f = g if b (0 or 1), without branching on b. */
static inline void fe_cmov(fe *f, const fe *g, unsigned b)
{
    uint64_t mask = fe_barrier(0 - (uint64_t)b);
    for (int i = 0; i < 5; i++) {
        f->v[i] ^= mask & (f->v[i] ^ g->v[i]);
    }
}

static inline int fe_isnegative(const fe *f)
{
    uint8_t s[32];
    fe_tobytes(s, f);
    return s[0] & 1;
}

static inline int fe_iszero(const fe *f)
{
    uint8_t s[32];
    fe_tobytes(s, f);
    uint8_t d = 0;
    for (int i = 0; i < 32; i++) {
        d |= s[i];
    }
    return d == 0;
}

/* Shared head of inversion and square root: returns z^(2^250 - 1) in
 * z250 and z^11 in z11. */
static inline void fe_pow_2_250_1(fe *z250, fe *z11, const fe *z)
{
    fe t0, t1, z9, z5, z10, z20, z50, z100;
    fe_sq(&t0, z);         /* z^2 */
    fe_sqn(&t1, &t0, 2);   /* z^8 */
    fe_mul(&z9, &t1, z);   /* z^9 */
    fe_mul(z11, &z9, &t0); /* z^11 */
    fe_sq(&t1, z11);       /* z^22 */
    fe_mul(&z5, &t1, &z9); /* z^(2^5 - 1) */
    fe_sqn(&t1, &z5, 5);
    fe_mul(&z10, &t1, &z5); /* z^(2^10 - 1) */
    fe_sqn(&t1, &z10, 10);
    fe_mul(&z20, &t1, &z10);
    fe_sqn(&t1, &z20, 20);
    fe_mul(&t1, &t1, &z20); /* z^(2^40 - 1) */
    fe_sqn(&t1, &t1, 10);
    fe_mul(&z50, &t1, &z10);
    fe_sqn(&t1, &z50, 50);
    fe_mul(&z100, &t1, &z50);
    fe_sqn(&t1, &z100, 100);
    fe_mul(&t1, &t1, &z100); /* z^(2^200 - 1) */
    fe_sqn(&t1, &t1, 50);
    fe_mul(z250, &t1, &z50);
}

/* h = 1/z = z^(p - 2). */
static inline void fe_invert(fe *h, const fe *z)
{
    fe z250, z11;
    fe_pow_2_250_1(&z250, &z11, z);
    fe_sqn(&z250, &z250, 5);
    fe_mul(h, &z250, &z11);
}

/* h = z^((p - 5) / 8) = z^(2^252 - 3). */
static inline void fe_pow22523(fe *h, const fe *z)
{
    fe z250, z11;
    fe_pow_2_250_1(&z250, &z11, z);
    fe_sqn(&z250, &z250, 2);
    fe_mul(h, &z250, z);
}

#endif
