/*
 * Scalar arithmetic modulo L = 2^252 + 27742317777372353535851937790883648493
 * with 64-bit limbs: Barrett reduction (Handbook of Applied Cryptography,
 * algorithm 14.42, base 2^64, k = 4).  Every loop has a fixed trip count
 * and the final corrections use masks, so the running time never depends
 * on the values.
 */
#include "crypto/internal/ed25519_sc.h"
#include "crypto/ct.h"

typedef unsigned __int128 sc_u128;

static const uint64_t sc_l[4] = {0x5812631a5cf5d3edULL, 0x14def9dea2f79cd6ULL, 0,
                                 0x1000000000000000ULL};

/* floor(2^512 / L) */
static const uint64_t sc_mu[5] = {0xed9ce5a30a2c131bULL, 0x2106215d086329a7ULL,
                                  0xffffffffffffffebULL, 0xffffffffffffffffULL, 0xfULL};

static uint64_t sc_load64(const uint8_t *p)
{
    uint64_t v = 0;
    for (int i = 7; i >= 0; i--) {
        v = (v << 8) | p[i];
    }
    return v;
}

/* r[0 .. na+nb-1] = a * b. */
static void sc_mul(uint64_t *r, const uint64_t *a, int na, const uint64_t *b, int nb)
{
    for (int i = 0; i < na + nb; i++) {
        r[i] = 0;
    }
    for (int i = 0; i < na; i++) {
        uint64_t carry = 0;
        for (int j = 0; j < nb; j++) {
            sc_u128 t = (sc_u128)a[i] * b[j] + r[i + j] + carry;
            r[i + j] = (uint64_t)t;
            carry = (uint64_t)(t >> 64);
        }
        r[i + nb] = carry;
    }
}

/* r = r - L if r >= L, for a 5-limb r, without branching on r. */
static void sc_sub_l_if_ge(uint64_t r[5])
{
    uint64_t t[5];
    uint64_t borrow = 0;
    for (int i = 0; i < 5; i++) {
        uint64_t li = i < 4 ? sc_l[i] : 0;
        sc_u128 d = (sc_u128)r[i] - li - borrow;
        t[i] = (uint64_t)d;
        borrow = (uint64_t)(d >> 64) & 1;
    }
    uint64_t keep = 0 - borrow; /* all ones if r < L */
    for (int i = 0; i < 5; i++) {
        r[i] = (r[i] & keep) | (t[i] & ~keep);
    }
}

/* out = x mod L for a 512-bit x (8 limbs). */
static void sc_barrett(uint8_t out[32], const uint64_t x[8])
{
    uint64_t q2[10], r2[9], r[5];
    sc_mul(q2, x + 3, 5, sc_mu, 5); /* q1 * mu, q1 = x >> 192 */
    sc_mul(r2, q2 + 5, 5, sc_l, 4); /* q3 * L, q3 = q2 >> 320 */
    uint64_t borrow = 0;
    for (int i = 0; i < 5; i++) { /* r = (x - q3 L) mod 2^320 */
        sc_u128 d = (sc_u128)x[i] - r2[i] - borrow;
        r[i] = (uint64_t)d;
        borrow = (uint64_t)(d >> 64) & 1;
    }
    sc_sub_l_if_ge(r);
    sc_sub_l_if_ge(r);
    for (int i = 0; i < 4; i++) {
        for (int k = 0; k < 8; k++) {
            out[8 * i + k] = (uint8_t)(r[i] >> (8 * k));
        }
    }
    secure_zero(q2, sizeof(q2));
    secure_zero(r2, sizeof(r2));
    secure_zero(r, sizeof(r));
}

void ed_sc_reduce(uint8_t out[32], const uint8_t in[64])
{
    uint64_t x[8];
    for (int i = 0; i < 8; i++) {
        x[i] = sc_load64(in + 8 * i);
    }
    sc_barrett(out, x);
    secure_zero(x, sizeof(x));
}

void ed_sc_muladd(uint8_t s[32], const uint8_t a[32], const uint8_t b[32], const uint8_t c[32])
{
    uint64_t al[4], bl[4], x[8];
    for (int i = 0; i < 4; i++) {
        al[i] = sc_load64(a + 8 * i);
        bl[i] = sc_load64(b + 8 * i);
    }
    sc_mul(x, al, 4, bl, 4);
    uint64_t carry = 0;
    for (int i = 0; i < 8; i++) {
        sc_u128 t = (sc_u128)x[i] + (i < 4 ? sc_load64(c + 8 * i) : 0) + carry;
        x[i] = (uint64_t)t;
        carry = (uint64_t)(t >> 64);
    }
    /* a, b, c < 2^256 keep a * b + c below 2^512: no carry out. */
    sc_barrett(s, x);
    secure_zero(al, sizeof(al));
    secure_zero(bl, sizeof(bl));
    secure_zero(x, sizeof(x));
}

bool ed_sc_is_canonical(const uint8_t s[32])
{
    for (int i = 3; i >= 0; i--) {
        uint64_t v = sc_load64(s + 8 * i);
        if (v != sc_l[i]) {
            return v < sc_l[i];
        }
    }
    return false; /* s == L */
}
