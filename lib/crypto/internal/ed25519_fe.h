/*
 * Arithmetic in GF(2^255 - 19).  Every function runs in constant time.
 *
 * Two representations with one interface:
 *  - radix 2^51 (five 64-bit limbs, products in unsigned __int128) where the
 *    compiler has a native 64x64->128 multiply, i.e. 64-bit targets;
 *  - radix 2^25.5 (ten signed 32-bit limbs alternating 26 and 25 bits,
 *    products in int64_t, as in ref10) on 32-bit targets such as wasm32.
 * Defining ZERO_ED25519_FE32 forces the second one (tests use it on hosted).
 *
 * Radix 2^51 bounds: fe_mul and fe_sq accept limbs below 2^54 and return
 * limbs below 2^51 + 2^13; fe_add does not carry (outputs below 2^53 when
 * inputs are reduced); fe_sub accepts a subtrahend below 2^53 and carries.
 * Radix 2^25.5: every operation returns carried limbs, so any sequence of
 * operations stays in bounds.
 */
#ifndef ZERO_CRYPTO_INTERNAL_ED25519_FE_H
#define ZERO_CRYPTO_INTERNAL_ED25519_FE_H

#include <stddef.h>
#include <stdint.h>

#if !defined(ZERO_ED25519_FE32) && defined(__SIZEOF_INT128__) && UINTPTR_MAX > 0xffffffffu
#define ED_FE_RADIX51 1
#else
#define ED_FE_RADIX51 0
#endif

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

#if ED_FE_RADIX51

typedef struct fe {
    uint64_t v[5];
} fe;

typedef unsigned __int128 fe_u128;
typedef uint64_t fe_limb;

#define FE_MASK51 ((1ULL << 51) - 1)

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

#else

typedef struct fe {
    int32_t v[10];
} fe;

typedef int32_t fe_limb;

/* Bit offset and width of each limb. */
static const uint8_t fe25_off[10] = {0, 26, 51, 77, 102, 128, 153, 179, 204, 230};

static inline void fe_0(fe *h)
{
    for (int i = 0; i < 10; i++) {
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

/* Moves the excess of t[i] above its width (rounded, so limbs end up
 * centred on zero) into t[i + 1]; limb 9 wraps into limb 0 times 19. */
static inline __attribute__((always_inline)) void fe25_carry_one(int64_t t[10], int i)
{
    int w = (i & 1) ? 25 : 26;
    int64_t c = (t[i] + ((int64_t)1 << (w - 1))) >> w;
    t[i] -= c * ((int64_t)1 << w);
    if (i == 9) {
        t[0] += c * 19;
    } else {
        t[i + 1] += c;
    }
}

/* Reduces the column sums t into h (ref10's carry order). */
static inline __attribute__((always_inline)) void fe25_carry(fe *h, int64_t t[10])
{
    fe25_carry_one(t, 0);
    fe25_carry_one(t, 4);
    fe25_carry_one(t, 1);
    fe25_carry_one(t, 5);
    fe25_carry_one(t, 2);
    fe25_carry_one(t, 6);
    fe25_carry_one(t, 3);
    fe25_carry_one(t, 7);
    fe25_carry_one(t, 4);
    fe25_carry_one(t, 8);
    fe25_carry_one(t, 9);
    fe25_carry_one(t, 0);
    for (int i = 0; i < 10; i++) {
        h->v[i] = (int32_t)t[i];
    }
}

static inline void fe_add(fe *h, const fe *f, const fe *g)
{
    int64_t t[10];
    for (int i = 0; i < 10; i++) {
        t[i] = (int64_t)f->v[i] + g->v[i];
    }
    fe25_carry(h, t);
}

static inline void fe_sub(fe *h, const fe *f, const fe *g)
{
    int64_t t[10];
    for (int i = 0; i < 10; i++) {
        t[i] = (int64_t)f->v[i] - g->v[i];
    }
    fe25_carry(h, t);
}

static inline void fe_neg(fe *h, const fe *f)
{
    fe zero;
    fe_0(&zero);
    fe_sub(h, &zero, f);
}

static inline void fe_mul(fe *h, const fe *f, const fe *g)
{
    int32_t f0 = f->v[0], f1 = f->v[1], f2 = f->v[2], f3 = f->v[3], f4 = f->v[4];
    int32_t f5 = f->v[5], f6 = f->v[6], f7 = f->v[7], f8 = f->v[8], f9 = f->v[9];
    int32_t g0 = g->v[0], g1 = g->v[1], g2 = g->v[2], g3 = g->v[3], g4 = g->v[4];
    int32_t g5 = g->v[5], g6 = g->v[6], g7 = g->v[7], g8 = g->v[8], g9 = g->v[9];
    int32_t g1_19 = 19 * g1, g2_19 = 19 * g2, g3_19 = 19 * g3, g4_19 = 19 * g4;
    int32_t g5_19 = 19 * g5, g6_19 = 19 * g6, g7_19 = 19 * g7, g8_19 = 19 * g8;
    int32_t g9_19 = 19 * g9;
    int32_t f1_2 = 2 * f1, f3_2 = 2 * f3, f5_2 = 2 * f5, f7_2 = 2 * f7, f9_2 = 2 * f9;
    int64_t t[10];
    /* Limb i sits at bit ceil(25.5 i): two odd limbs multiply to twice
     * their nominal weight, and columns past 9 wrap with 2^255 = 19. */
    t[0] = (int64_t)f0 * g0 + (int64_t)f1_2 * g9_19 + (int64_t)f2 * g8_19 + (int64_t)f3_2 * g7_19 +
           (int64_t)f4 * g6_19 + (int64_t)f5_2 * g5_19 + (int64_t)f6 * g4_19 +
           (int64_t)f7_2 * g3_19 + (int64_t)f8 * g2_19 + (int64_t)f9_2 * g1_19;
    t[1] = (int64_t)f0 * g1 + (int64_t)f1 * g0 + (int64_t)f2 * g9_19 + (int64_t)f3 * g8_19 +
           (int64_t)f4 * g7_19 + (int64_t)f5 * g6_19 + (int64_t)f6 * g5_19 + (int64_t)f7 * g4_19 +
           (int64_t)f8 * g3_19 + (int64_t)f9 * g2_19;
    t[2] = (int64_t)f0 * g2 + (int64_t)f1_2 * g1 + (int64_t)f2 * g0 + (int64_t)f3_2 * g9_19 +
           (int64_t)f4 * g8_19 + (int64_t)f5_2 * g7_19 + (int64_t)f6 * g6_19 +
           (int64_t)f7_2 * g5_19 + (int64_t)f8 * g4_19 + (int64_t)f9_2 * g3_19;
    t[3] = (int64_t)f0 * g3 + (int64_t)f1 * g2 + (int64_t)f2 * g1 + (int64_t)f3 * g0 +
           (int64_t)f4 * g9_19 + (int64_t)f5 * g8_19 + (int64_t)f6 * g7_19 + (int64_t)f7 * g6_19 +
           (int64_t)f8 * g5_19 + (int64_t)f9 * g4_19;
    t[4] = (int64_t)f0 * g4 + (int64_t)f1_2 * g3 + (int64_t)f2 * g2 + (int64_t)f3_2 * g1 +
           (int64_t)f4 * g0 + (int64_t)f5_2 * g9_19 + (int64_t)f6 * g8_19 + (int64_t)f7_2 * g7_19 +
           (int64_t)f8 * g6_19 + (int64_t)f9_2 * g5_19;
    t[5] = (int64_t)f0 * g5 + (int64_t)f1 * g4 + (int64_t)f2 * g3 + (int64_t)f3 * g2 +
           (int64_t)f4 * g1 + (int64_t)f5 * g0 + (int64_t)f6 * g9_19 + (int64_t)f7 * g8_19 +
           (int64_t)f8 * g7_19 + (int64_t)f9 * g6_19;
    t[6] = (int64_t)f0 * g6 + (int64_t)f1_2 * g5 + (int64_t)f2 * g4 + (int64_t)f3_2 * g3 +
           (int64_t)f4 * g2 + (int64_t)f5_2 * g1 + (int64_t)f6 * g0 + (int64_t)f7_2 * g9_19 +
           (int64_t)f8 * g8_19 + (int64_t)f9_2 * g7_19;
    t[7] = (int64_t)f0 * g7 + (int64_t)f1 * g6 + (int64_t)f2 * g5 + (int64_t)f3 * g4 +
           (int64_t)f4 * g3 + (int64_t)f5 * g2 + (int64_t)f6 * g1 + (int64_t)f7 * g0 +
           (int64_t)f8 * g9_19 + (int64_t)f9 * g8_19;
    t[8] = (int64_t)f0 * g8 + (int64_t)f1_2 * g7 + (int64_t)f2 * g6 + (int64_t)f3_2 * g5 +
           (int64_t)f4 * g4 + (int64_t)f5_2 * g3 + (int64_t)f6 * g2 + (int64_t)f7_2 * g1 +
           (int64_t)f8 * g0 + (int64_t)f9_2 * g9_19;
    t[9] = (int64_t)f0 * g9 + (int64_t)f1 * g8 + (int64_t)f2 * g7 + (int64_t)f3 * g6 +
           (int64_t)f4 * g5 + (int64_t)f5 * g4 + (int64_t)f6 * g3 + (int64_t)f7 * g2 +
           (int64_t)f8 * g1 + (int64_t)f9 * g0;
    fe25_carry(h, t);
}

static inline void fe_sq(fe *h, const fe *f)
{
    int64_t f0 = f->v[0], f1 = f->v[1], f2 = f->v[2], f3 = f->v[3], f4 = f->v[4];
    int64_t f5 = f->v[5], f6 = f->v[6], f7 = f->v[7], f8 = f->v[8], f9 = f->v[9];
    int64_t t[10];
    /* The products of fe_mul with f = g, each pair once, doubled. */
    t[0] = f0 * f0 + f1 * (76 * f9) + f2 * (38 * f8) + f3 * (76 * f7) + f4 * (38 * f6) +
           f5 * (38 * f5);
    t[1] = f0 * (2 * f1) + f2 * (38 * f9) + f3 * (38 * f8) + f4 * (38 * f7) + f5 * (38 * f6);
    t[2] = f0 * (2 * f2) + f1 * (2 * f1) + f3 * (76 * f9) + f4 * (38 * f8) + f5 * (76 * f7) +
           f6 * (19 * f6);
    t[3] = f0 * (2 * f3) + f1 * (2 * f2) + f4 * (38 * f9) + f5 * (38 * f8) + f6 * (38 * f7);
    t[4] =
        f0 * (2 * f4) + f1 * (4 * f3) + f2 * f2 + f5 * (76 * f9) + f6 * (38 * f8) + f7 * (38 * f7);
    t[5] = f0 * (2 * f5) + f1 * (2 * f4) + f2 * (2 * f3) + f6 * (38 * f9) + f7 * (38 * f8);
    t[6] = f0 * (2 * f6) + f1 * (4 * f5) + f2 * (2 * f4) + f3 * (2 * f3) + f7 * (76 * f9) +
           f8 * (19 * f8);
    t[7] = f0 * (2 * f7) + f1 * (2 * f6) + f2 * (2 * f5) + f3 * (2 * f4) + f8 * (38 * f9);
    t[8] = f0 * (2 * f8) + f1 * (4 * f7) + f2 * (2 * f6) + f3 * (4 * f5) + f4 * f4 + f9 * (38 * f9);
    t[9] = f0 * (2 * f9) + f1 * (2 * f8) + f2 * (2 * f7) + f3 * (2 * f6) + f4 * (2 * f5);
    fe25_carry(h, t);
}

/* Decodes 32 bytes little-endian, ignoring the top bit (not reduced). */
static inline void fe_frombytes(fe *h, const uint8_t s[32])
{
    for (int i = 0; i < 10; i++) {
        unsigned off = fe25_off[i];
        unsigned width = (i & 1) ? 25 : 26;
        uint64_t v = 0;
        for (unsigned k = 0; k < 5 && off / 8 + k < 32; k++) {
            v |= (uint64_t)s[off / 8 + k] << (8 * k);
        }
        h->v[i] = (int32_t)((v >> (off % 8)) & ((1u << width) - 1));
    }
}

/* Encodes the fully reduced value of f. */
static inline void fe_tobytes(uint8_t s[32], const fe *f)
{
    int64_t t[10];
    fe h;
    for (int i = 0; i < 10; i++) {
        t[i] = f->v[i];
    }
    fe25_carry(&h, t);
    /* q = 1 exactly when h >= p. */
    int32_t q = (19 * h.v[9] + ((int32_t)1 << 24)) >> 25;
    for (int i = 0; i < 10; i++) {
        q = (h.v[i] + q) >> ((i & 1) ? 25 : 26);
    }
    t[0] = (int64_t)h.v[0] + 19 * q;
    for (int i = 1; i < 10; i++) {
        t[i] = h.v[i];
    }
    for (int i = 0; i < 10; i++) {
        int w = (i & 1) ? 25 : 26;
        int64_t c = t[i] >> w;
        t[i] -= c * ((int64_t)1 << w);
        if (i < 9) {
            t[i + 1] += c;
        }
    }
    uint64_t words[4] = {0, 0, 0, 0};
    for (int i = 0; i < 10; i++) {
        unsigned off = fe25_off[i];
        uint64_t v = (uint64_t)t[i];
        words[off / 64] |= v << (off % 64);
        if (off % 64 != 0 && off % 64 + ((i & 1) ? 25u : 26u) > 64) {
            words[off / 64 + 1] |= v >> (64 - off % 64);
        }
    }
    for (int i = 0; i < 4; i++) {
        fe_store64(s + 8 * i, words[i]);
    }
}

#endif

/* Keeps the compiler from turning a mask back into a branch.  Under
 * MemorySanitizer (used to check that nothing branches on secrets) the
 * value flows through plainly so that the sanitizer can follow it. */
#if defined(__has_feature)
#if __has_feature(memory_sanitizer)
#define FE_PLAIN_BARRIER 1
#endif
#endif
static inline uint64_t fe_barrier(uint64_t x)
{
#if !defined(FE_PLAIN_BARRIER)
    __asm__("" : "+r"(x));
#endif
    return x;
}

/* f = g if b (0 or 1), without branching on b. */
static inline void fe_cmov(fe *f, const fe *g, unsigned b)
{
    fe_limb mask = (fe_limb)fe_barrier(0 - (uint64_t)b);
    for (size_t i = 0; i < sizeof(f->v) / sizeof(f->v[0]); i++) {
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

/* h = f^(2^n), n >= 1. */
static inline void fe_sqn(fe *h, const fe *f, int n)
{
    fe_sq(h, f);
    for (int i = 1; i < n; i++) {
        fe_sq(h, h);
    }
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
