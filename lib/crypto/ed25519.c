/*
 * Ed25519 (RFC 8032) on the twisted Edwards curve -x^2 + y^2 = 1 + d x^2 y^2.
 *
 * Points use extended coordinates (X:Y:Z:T with x = X/Z, y = Y/Z,
 * xy = T/Z) and the completed/precomputed forms of the ref10 design.
 * Signing multiplies the base point with a signed radix-16 comb over a
 * table of 256 precomputed points, selected in constant time.
 * Verification computes [S]B - [k]A with width-5 (A) and width-8 (B)
 * non-adjacent forms; it handles only public data.
 */
#include "crypto/ed25519.h"
#include "base/errors.h"
#include "base/string.h"
#include "crypto/ct.h"
#include "crypto/internal/ed25519_fe.h"
#include "crypto/internal/ed25519_sc.h"
#include "crypto/sha512.h"

typedef struct ge_p2 {
    fe X, Y, Z;
} ge_p2;

typedef struct ge_p3 {
    fe X, Y, Z, T;
} ge_p3;

/* Completed point: x = X/Z, y = Y/T. */
typedef struct ge_p1p1 {
    fe X, Y, Z, T;
} ge_p1p1;

/* Affine point ready for mixed addition.  Padded to 128 bytes so that
 * table selection works on whole 16-byte vectors. */
typedef struct ge_precomp {
    fe yplusx, yminusx, xy2d;
    uint64_t pad;
} __attribute__((aligned(16))) ge_precomp;

/* Two limbs, for table selection; the compiler maps it to SSE2 registers on
 * x86_64 and to scalar code where there are no vectors. */
typedef uint64_t ed_v2 __attribute__((vector_size(16), may_alias));

/* Projective point ready for addition. */
typedef struct ge_cached {
    fe YplusX, YminusX, Z, T2d;
} ge_cached;

#include "crypto/internal/ed25519_tables.h"

static void ge_p1p1_to_p2(ge_p2 *r, const ge_p1p1 *p)
{
    fe_mul(&r->X, &p->X, &p->T);
    fe_mul(&r->Y, &p->Y, &p->Z);
    fe_mul(&r->Z, &p->Z, &p->T);
}

static void ge_p1p1_to_p3(ge_p3 *r, const ge_p1p1 *p)
{
    fe_mul(&r->X, &p->X, &p->T);
    fe_mul(&r->Y, &p->Y, &p->Z);
    fe_mul(&r->Z, &p->Z, &p->T);
    fe_mul(&r->T, &p->X, &p->Y);
}

static void ge_p3_to_cached(ge_cached *r, const ge_p3 *p)
{
    fe_add(&r->YplusX, &p->Y, &p->X);
    fe_sub(&r->YminusX, &p->Y, &p->X);
    fe_copy(&r->Z, &p->Z);
    fe_mul(&r->T2d, &p->T, &ed_d2);
}

static void ge_p2_0(ge_p2 *h)
{
    fe_0(&h->X);
    fe_1(&h->Y);
    fe_1(&h->Z);
}

static void ge_p3_0(ge_p3 *h)
{
    fe_0(&h->X);
    fe_1(&h->Y);
    fe_1(&h->Z);
    fe_0(&h->T);
}

/* r = 2p. */
static void ge_p2_dbl(ge_p1p1 *r, const ge_p2 *p)
{
    fe t0;
    fe_sq(&r->X, &p->X);
    fe_sq(&r->Z, &p->Y);
    fe_sq(&r->T, &p->Z);
    fe_add(&r->T, &r->T, &r->T);
    fe_add(&r->Y, &p->X, &p->Y);
    fe_sq(&t0, &r->Y);
    fe_add(&r->Y, &r->Z, &r->X);
    fe_sub(&r->Z, &r->Z, &r->X);
    fe_sub(&r->X, &t0, &r->Y);
    fe_sub(&r->T, &r->T, &r->Z);
}

static void ge_p3_dbl(ge_p1p1 *r, const ge_p3 *p)
{
    ge_p2 q;
    fe_copy(&q.X, &p->X);
    fe_copy(&q.Y, &p->Y);
    fe_copy(&q.Z, &p->Z);
    ge_p2_dbl(r, &q);
}

/* r = p + q (sub: p - q). */
static void ge_add(ge_p1p1 *r, const ge_p3 *p, const ge_cached *q, int sub)
{
    fe t0;
    fe_add(&r->X, &p->Y, &p->X);
    fe_sub(&r->Y, &p->Y, &p->X);
    fe_mul(&r->Z, &r->X, sub ? &q->YminusX : &q->YplusX);
    fe_mul(&r->Y, &r->Y, sub ? &q->YplusX : &q->YminusX);
    fe_mul(&r->T, &q->T2d, &p->T);
    fe_mul(&r->X, &p->Z, &q->Z);
    fe_add(&t0, &r->X, &r->X);
    fe_sub(&r->X, &r->Z, &r->Y);
    fe_add(&r->Y, &r->Z, &r->Y);
    if (sub) {
        fe_sub(&r->Z, &t0, &r->T);
        fe_add(&r->T, &t0, &r->T);
    } else {
        fe_add(&r->Z, &t0, &r->T);
        fe_sub(&r->T, &t0, &r->T);
    }
}

/* r = p + q for an affine q (sub: p - q).  sub is public. */
static void ge_madd(ge_p1p1 *r, const ge_p3 *p, const ge_precomp *q, int sub)
{
    fe t0;
    fe_add(&r->X, &p->Y, &p->X);
    fe_sub(&r->Y, &p->Y, &p->X);
    fe_mul(&r->Z, &r->X, sub ? &q->yminusx : &q->yplusx);
    fe_mul(&r->Y, &r->Y, sub ? &q->yplusx : &q->yminusx);
    fe_mul(&r->T, &q->xy2d, &p->T);
    fe_add(&t0, &p->Z, &p->Z);
    fe_sub(&r->X, &r->Z, &r->Y);
    fe_add(&r->Y, &r->Z, &r->Y);
    if (sub) {
        fe_sub(&r->Z, &t0, &r->T);
        fe_add(&r->T, &t0, &r->T);
    } else {
        fe_add(&r->Z, &t0, &r->T);
        fe_sub(&r->T, &t0, &r->T);
    }
}

static void ge_tobytes(uint8_t s[32], const fe *X, const fe *Y, const fe *Z)
{
    fe recip, x, y;
    fe_invert(&recip, Z);
    fe_mul(&x, X, &recip);
    fe_mul(&y, Y, &recip);
    fe_tobytes(s, &y);
    s[31] ^= (uint8_t)(fe_isnegative(&x) << 7);
}

/* Decodes a point strictly: y must be below p, x must exist, and the sign
 * bit may not be set when x is 0.  Returns 0 or ZERR_BADSIG.  Variable
 * time (used on public keys and signatures only). */
static int ge_frombytes(ge_p3 *h, const uint8_t s[32])
{
    uint8_t check[32];
    fe u, v, v3, vxx, t;
    fe_frombytes(&h->Y, s);
    fe_tobytes(check, &h->Y);
    if (memcmp(check, s, 31) != 0 || check[31] != (s[31] & 0x7f)) {
        return ZERR_BADSIG; /* y >= p */
    }
    fe_1(&h->Z);
    fe_sq(&u, &h->Y);
    fe_mul(&v, &u, &ed_d);
    fe_sub(&u, &u, &h->Z); /* u = y^2 - 1 */
    fe_add(&v, &v, &h->Z); /* v = d y^2 + 1 */
    fe_sq(&v3, &v);
    fe_mul(&v3, &v3, &v); /* v^3 */
    fe_sq(&h->X, &v3);
    fe_mul(&h->X, &h->X, &v);
    fe_mul(&h->X, &h->X, &u); /* u v^7 */
    fe_pow22523(&h->X, &h->X);
    fe_mul(&h->X, &h->X, &v3);
    fe_mul(&h->X, &h->X, &u); /* u v^3 (u v^7)^((p-5)/8) */
    fe_sq(&vxx, &h->X);
    fe_mul(&vxx, &vxx, &v);
    fe_sub(&t, &vxx, &u);
    if (!fe_iszero(&t)) {
        fe_add(&t, &vxx, &u);
        if (!fe_iszero(&t)) {
            return ZERR_BADSIG; /* not on the curve */
        }
        fe_mul(&h->X, &h->X, &ed_sqrtm1);
    }
    int sign = s[31] >> 7;
    if (fe_iszero(&h->X) && sign) {
        return ZERR_BADSIG; /* "-0" */
    }
    if (fe_isnegative(&h->X) != sign) {
        fe_neg(&h->X, &h->X);
    }
    fe_mul(&h->T, &h->X, &h->Y);
    return 0;
}

/* ---- constant-time base-point multiplication ---- */

static unsigned ct_eq8(int8_t b, int8_t c)
{
    uint32_t x = (uint8_t)b ^ (uint8_t)c;
    return (unsigned)(fe_barrier(x) - 1) >> 31 & 1;
}

static unsigned ct_neg8(int8_t b)
{
    return (unsigned)(fe_barrier((uint64_t)(int64_t)b) >> 63);
}

/* t = b * 256^pos * B for -8 <= b <= 8.  Every table entry is read and
 * combined under a mask, so neither the memory access pattern nor any
 * branch depends on b. */
static void select_base(ge_precomp *t, int pos, int8_t b)
{
    _Static_assert(sizeof(ge_precomp) == 8 * sizeof(ed_v2), "a table entry is eight vectors");
    unsigned neg = ct_neg8(b);
    int8_t babs = (int8_t)(b - (int8_t)((-(int)neg) & b) * 2);
    uint64_t none = fe_barrier(0 - (uint64_t)ct_eq8(babs, 0));
    /* Eight explicit accumulators stay in registers. */
    ed_v2 a0 = {none & 1, 0}, a1 = {0, 0}, a2 = {0, none & 1}, a3 = {0, 0};
    ed_v2 a4 = {0, 0}, a5 = {0, 0}, a6 = {0, 0}, a7 = {0, 0};
    for (int i = 0; i < 8; i++) {
        const ed_v2 *e = (const ed_v2 *)(const void *)&ed_base[pos][i];
        uint64_t m = fe_barrier(0 - (uint64_t)ct_eq8(babs, (int8_t)(i + 1)));
        ed_v2 mask = {m, m};
        a0 |= e[0] & mask;
        a1 |= e[1] & mask;
        a2 |= e[2] & mask;
        a3 |= e[3] & mask;
        a4 |= e[4] & mask;
        a5 |= e[5] & mask;
        a6 |= e[6] & mask;
        a7 |= e[7] & mask;
    }
    ed_v2 *out = (ed_v2 *)(void *)t;
    out[0] = a0;
    out[1] = a1;
    out[2] = a2;
    out[3] = a3;
    out[4] = a4;
    out[5] = a5;
    out[6] = a6;
    out[7] = a7;
    ge_precomp minus;
    fe_copy(&minus.yplusx, &t->yminusx);
    fe_copy(&minus.yminusx, &t->yplusx);
    fe_neg(&minus.xy2d, &t->xy2d);
    fe_cmov(&t->yplusx, &minus.yplusx, neg);
    fe_cmov(&t->yminusx, &minus.yminusx, neg);
    fe_cmov(&t->xy2d, &minus.xy2d, neg);
}

/* h = a * B for a scalar a with a[31] <= 127, in constant time. */
static void ge_scalarmult_base(ge_p3 *h, const uint8_t a[32])
{
    int8_t e[64];
    for (int i = 0; i < 32; i++) {
        e[2 * i] = (int8_t)(a[i] & 15);
        e[2 * i + 1] = (int8_t)((a[i] >> 4) & 15);
    }
    /* Recode to signed digits in -8..7 (the last in -8..8). */
    int8_t carry = 0;
    for (int i = 0; i < 63; i++) {
        e[i] = (int8_t)(e[i] + carry);
        carry = (int8_t)((e[i] + 8) >> 4);
        e[i] = (int8_t)(e[i] - carry * 16);
    }
    e[63] = (int8_t)(e[63] + carry);

    ge_p1p1 r;
    ge_p2 s;
    ge_precomp t;
    ge_p3_0(h);
    for (int i = 1; i < 64; i += 2) {
        select_base(&t, i / 2, e[i]);
        ge_madd(&r, h, &t, 0);
        ge_p1p1_to_p3(h, &r);
    }
    ge_p3_dbl(&r, h);
    ge_p1p1_to_p2(&s, &r);
    ge_p2_dbl(&r, &s);
    ge_p1p1_to_p2(&s, &r);
    ge_p2_dbl(&r, &s);
    ge_p1p1_to_p2(&s, &r);
    ge_p2_dbl(&r, &s);
    ge_p1p1_to_p3(h, &r);
    for (int i = 0; i < 64; i += 2) {
        select_base(&t, i / 2, e[i]);
        ge_madd(&r, h, &t, 0);
        ge_p1p1_to_p3(h, &r);
    }
    secure_zero(e, sizeof(e));
}

/* ---- variable-time double-scalar multiplication (verification) ---- */

/* Writes the width-w non-adjacent form of the scalar s < 2^253: naf[i] is
 * 0 or odd with |naf[i]| < 2^(w-1), and sum naf[i] 2^i = s. */
static void scalar_naf(int8_t naf[256], const uint8_t s[32], unsigned w)
{
    uint64_t x[5];
    for (int i = 0; i < 4; i++) {
        x[i] = fe_load64(s + 8 * i);
    }
    x[4] = 0;
    memset(naf, 0, 256);
    uint64_t width = 1ULL << w;
    uint64_t mask = width - 1;
    uint64_t carry = 0;
    unsigned pos = 0;
    while (pos < 256) {
        unsigned idx = pos / 64;
        unsigned bit = pos % 64;
        uint64_t buf = x[idx] >> bit;
        if (bit > 64 - w) {
            buf |= x[idx + 1] << (64 - bit);
        }
        uint64_t window = carry + (buf & mask);
        if ((window & 1) == 0) {
            pos++;
            continue;
        }
        if (window < width / 2) {
            carry = 0;
            naf[pos] = (int8_t)window;
        } else {
            carry = 1;
            naf[pos] = (int8_t)((int64_t)window - (int64_t)width);
        }
        pos += w;
    }
}

/* t[i] = (2i + 1) * A for i < 8: the width-5 window of A. */
static void odd_multiples(ge_cached t[8], const ge_p3 *A)
{
    ge_p1p1 s;
    ge_p3 a2, u;
    ge_p3_to_cached(&t[0], A);
    ge_p3_dbl(&s, A);
    ge_p1p1_to_p3(&a2, &s);
    for (int i = 0; i < 7; i++) {
        ge_add(&s, &a2, &t[i], 0);
        ge_p1p1_to_p3(&u, &s);
        ge_p3_to_cached(&t[i + 1], &u);
    }
}

/* r = a * A + b * B, in variable time. */
static void ge_double_scalarmult_vartime(ge_p2 *r, const uint8_t a[32], const ge_p3 *A,
                                         const uint8_t b[32])
{
    int8_t anaf[256], bnaf[256];
    ge_cached ai[8]; /* A, 3A, ..., 15A */
    ge_p1p1 t;
    ge_p3 u;

    scalar_naf(anaf, a, 5);
    scalar_naf(bnaf, b, 8);
    odd_multiples(ai, A);
    ge_p2_0(r);
    int i = 255;
    while (i >= 0 && anaf[i] == 0 && bnaf[i] == 0) {
        i--;
    }
    for (; i >= 0; i--) {
        ge_p2_dbl(&t, r);
        if (anaf[i] != 0) {
            ge_p1p1_to_p3(&u, &t);
            ge_add(&t, &u, &ai[(anaf[i] < 0 ? -anaf[i] : anaf[i]) / 2], anaf[i] < 0);
        }
        if (bnaf[i] != 0) {
            ge_p1p1_to_p3(&u, &t);
            ge_madd(&t, &u, &ed_base_odd[(bnaf[i] < 0 ? -bnaf[i] : bnaf[i]) / 2], bnaf[i] < 0);
        }
        ge_p1p1_to_p2(r, &t);
    }
}

/* ---- public interface ---- */

/* Expands a seed into the clamped secret scalar (az[0..31]) and the nonce
 * prefix (az[32..63]). */
static void expand_seed(uint8_t az[64], const uint8_t seed[32])
{
    sha512(seed, 32, az);
    az[0] &= 248;
    az[31] &= 63;
    az[31] |= 64;
}

void ed25519_pubkey(uint8_t pub[32], const uint8_t seed[32])
{
    uint8_t az[64];
    ge_p3 A;
    expand_seed(az, seed);
    ge_scalarmult_base(&A, az);
    ge_tobytes(pub, &A.X, &A.Y, &A.Z);
    secure_zero(az, sizeof(az));
    secure_zero(&A, sizeof(A));
}

void ed25519_sign(uint8_t sig[64], const void *msg, size_t len, const uint8_t seed[32],
                  const uint8_t pub[32])
{
    uint8_t az[64], nonce[64], r[32], hram[64], k[32];
    sha512_ctx ctx;
    ge_p3 R;

    expand_seed(az, seed);
    sha512_init(&ctx);
    sha512_update(&ctx, az + 32, 32);
    sha512_update(&ctx, msg, len);
    sha512_final(&ctx, nonce);
    ed_sc_reduce(r, nonce);
    ge_scalarmult_base(&R, r);
    ge_tobytes(sig, &R.X, &R.Y, &R.Z);

    sha512_init(&ctx);
    sha512_update(&ctx, sig, 32);
    sha512_update(&ctx, pub, 32);
    sha512_update(&ctx, msg, len);
    sha512_final(&ctx, hram);
    ed_sc_reduce(k, hram);
    ed_sc_muladd(sig + 32, k, az, r);

    secure_zero(az, sizeof(az));
    secure_zero(nonce, sizeof(nonce));
    secure_zero(r, sizeof(r));
    secure_zero(&R, sizeof(R));
}

/* Returns true if the 32-byte encoding p is one of the eight canonical
 * encodings of a point of small order. */
static bool is_small_order(const uint8_t p[32])
{
    for (int i = 0; i < 8; i++) {
        if (memcmp(p, ed_small_order[i], 32) == 0) {
            return true;
        }
    }
    return false;
}

int ed25519_verify(const uint8_t sig[64], const void *msg, size_t len, const uint8_t pub[32])
{
    const uint8_t *R = sig;
    const uint8_t *S = sig + 32;
    if (!ed_sc_is_canonical(S) || is_small_order(R) || is_small_order(pub)) {
        return ZERR_BADSIG;
    }
    ge_p3 A;
    if (ge_frombytes(&A, pub) != 0) {
        return ZERR_BADSIG;
    }
    uint8_t hram[64], k[32];
    sha512_ctx ctx;
    sha512_init(&ctx);
    sha512_update(&ctx, R, 32);
    sha512_update(&ctx, pub, 32);
    sha512_update(&ctx, msg, len);
    sha512_final(&ctx, hram);
    ed_sc_reduce(k, hram);

    /* R' = [S]B - [k]A must encode to exactly R. */
    fe_neg(&A.X, &A.X);
    fe_neg(&A.T, &A.T);
    ge_p2 Rc;
    ge_double_scalarmult_vartime(&Rc, k, &A, S);
    uint8_t rcheck[32];
    ge_tobytes(rcheck, &Rc.X, &Rc.Y, &Rc.Z);
    return ct_equal(rcheck, R, 32) ? 0 : ZERR_BADSIG;
}

/* ---- verification under an expanded key ---- */

/* What ed25519_vkey.opaque holds: the odd multiples of -A and of
 * -2^128 A (A the public key), so that [k]A splits into two 128-bit
 * halves like [S]B does over ed_base_odd and ed_base128_odd. */
typedef struct __attribute__((may_alias)) ed_vkey_tables {
    ge_cached a[8];
    ge_cached a128[8];
} ed_vkey_tables;

_Static_assert(sizeof(ed_vkey_tables) <= sizeof(((ed25519_vkey *)0)->opaque),
               "ED25519_VKEY_WORDS too small for the expanded key tables");

int ed25519_pubkey_expand(ed25519_vkey *vk, const uint8_t pub[32])
{
    ed_vkey_tables *t = (ed_vkey_tables *)(void *)vk->opaque;
    ge_p3 A;
    ge_p1p1 s;
    ge_p2 p;

    memset(vk, 0, sizeof(*vk));
    memcpy(vk->pub, pub, 32);
    if (is_small_order(pub) || ge_frombytes(&A, pub) != 0) {
        return ZERR_BADSIG;
    }
    fe_neg(&A.X, &A.X);
    fe_neg(&A.T, &A.T);
    odd_multiples(t->a, &A);
    ge_p3_dbl(&s, &A);
    for (int i = 1; i < 128; i++) {
        ge_p1p1_to_p2(&p, &s);
        ge_p2_dbl(&s, &p);
    }
    ge_p1p1_to_p3(&A, &s);
    odd_multiples(t->a128, &A);
    vk->valid = 1;
    return 0;
}

/* t += d * P, where tab holds the odd multiples P, 3P, ..., 15P and d is an
 * odd NAF digit (negative digits subtract). */
static void add_cached_digit(ge_p1p1 *t, const ge_cached tab[8], int8_t d)
{
    ge_p3 u;
    ge_p1p1_to_p3(&u, t);
    ge_add(t, &u, &tab[(d < 0 ? -d : d) / 2], d < 0);
}

/* The same over an affine table of 64 odd multiples (width-8 digits). */
static void add_precomp_digit(ge_p1p1 *t, const ge_precomp tab[64], int8_t d)
{
    ge_p3 u;
    ge_p1p1_to_p3(&u, t);
    ge_madd(t, &u, &tab[(d < 0 ? -d : d) / 2], d < 0);
}

/* r = k * A' + s * B where A' is the (negated) key behind t; both scalars
 * are below 2^253 and split at bit 128, so the loop runs ~129 doublings. */
static void quad_scalarmult_vartime(ge_p2 *r, const uint8_t k[32], const ed_vkey_tables *t,
                                    const uint8_t s[32])
{
    uint8_t half[4][32] = {{0}};
    int8_t naf[4][256];
    ge_p1p1 acc;

    memcpy(half[0], k, 16);
    memcpy(half[1], k + 16, 16);
    memcpy(half[2], s, 16);
    memcpy(half[3], s + 16, 16);
    for (int j = 0; j < 4; j++) {
        scalar_naf(naf[j], half[j], j < 2 ? 5 : 8);
    }
    ge_p2_0(r);
    int i = 255;
    while (i >= 0 && naf[0][i] == 0 && naf[1][i] == 0 && naf[2][i] == 0 && naf[3][i] == 0) {
        i--;
    }
    for (; i >= 0; i--) {
        ge_p2_dbl(&acc, r);
        if (naf[0][i] != 0) {
            add_cached_digit(&acc, t->a, naf[0][i]);
        }
        if (naf[1][i] != 0) {
            add_cached_digit(&acc, t->a128, naf[1][i]);
        }
        if (naf[2][i] != 0) {
            add_precomp_digit(&acc, ed_base_odd, naf[2][i]);
        }
        if (naf[3][i] != 0) {
            add_precomp_digit(&acc, ed_base128_odd, naf[3][i]);
        }
        ge_p1p1_to_p2(r, &acc);
    }
}

int ed25519_verify_expanded(const uint8_t sig[64], const void *msg, size_t len,
                            const ed25519_vkey *vk)
{
    const uint8_t *R = sig;
    const uint8_t *S = sig + 32;
    if (vk->valid != 1 || !ed_sc_is_canonical(S) || is_small_order(R)) {
        return ZERR_BADSIG;
    }
    uint8_t hram[64], k[32];
    sha512_ctx ctx;
    sha512_init(&ctx);
    sha512_update(&ctx, R, 32);
    sha512_update(&ctx, vk->pub, 32);
    sha512_update(&ctx, msg, len);
    sha512_final(&ctx, hram);
    ed_sc_reduce(k, hram);

    /* R' = [S]B - [k]A must encode to exactly R. */
    ge_p2 Rc;
    quad_scalarmult_vartime(&Rc, k, (const ed_vkey_tables *)(const void *)vk->opaque, S);
    uint8_t rcheck[32];
    ge_tobytes(rcheck, &Rc.X, &Rc.Y, &Rc.Z);
    return ct_equal(rcheck, R, 32) ? 0 : ZERR_BADSIG;
}

/* ---- several signatures at once ---- */

/* Checks the encoding of R' = X:Y:Z against R, given zinv = 1/Z. */
static bool encodes_to(const ge_p2 *p, const fe *zinv, const uint8_t R[32])
{
    fe x, y;
    uint8_t s[32];
    fe_mul(&x, &p->X, zinv);
    fe_mul(&y, &p->Y, zinv);
    fe_tobytes(s, &y);
    s[31] ^= (uint8_t)(fe_isnegative(&x) << 7);
    return ct_equal(s, R, 32);
}

/* Computes R' = [S]B - [k]A for item it into rc, as ed25519_verify_expanded
 * does; false if the item fails a check made before that (the same checks,
 * in the same order). */
static bool batch_point(const ed25519_batch_item *it, ge_p2 *rc)
{
    const uint8_t *R = it->sig;
    const uint8_t *S = it->sig + 32;
    if (it->vk->valid != 1 || !ed_sc_is_canonical(S) || is_small_order(R)) {
        return false;
    }
    uint8_t hram[64], k[32];
    sha512_ctx ctx;
    sha512_init(&ctx);
    sha512_update(&ctx, R, 32);
    sha512_update(&ctx, it->vk->pub, 32);
    sha512_update(&ctx, it->msg, it->len);
    sha512_final(&ctx, hram);
    ed_sc_reduce(k, hram);
    quad_scalarmult_vartime(rc, k, (const ed_vkey_tables *)(const void *)it->vk->opaque, S);
    return true;
}

/*
 * Verifies items[0..n) (n <= ED25519_BATCH_CHUNK) into ok[]: per item the
 * point R' of ed25519_verify_expanded, then one field inversion for all
 * their Z coordinates (Montgomery's trick: 3 multiplications per item
 * instead of an inversion each), then each encoding against its R.  Z is
 * never 0, since the curve's addition law is complete.
 */
static void verify_chunk(const ed25519_batch_item *items, size_t n, bool ok[])
{
    ge_p2 rc[ED25519_BATCH_CHUNK];
    fe prefix[ED25519_BATCH_CHUNK]; /* prefix[m]: product of the Z of live items 0..m */
    size_t live[ED25519_BATCH_CHUNK];
    size_t m = 0;
    fe inv, zinv;

    for (size_t i = 0; i < n; i++) {
        ok[i] = batch_point(&items[i], &rc[m]);
        if (!ok[i]) {
            continue;
        }
        if (m == 0) {
            fe_copy(&prefix[0], &rc[0].Z);
        } else {
            fe_mul(&prefix[m], &prefix[m - 1], &rc[m].Z);
        }
        live[m++] = i;
    }
    if (m == 0) {
        return;
    }
    fe_invert(&inv, &prefix[m - 1]); /* 1 / (Z_0 ... Z_{m-1}) */
    while (m-- > 1) {
        fe_mul(&zinv, &inv, &prefix[m - 1]);
        fe_mul(&inv, &inv, &rc[m].Z);
        ok[live[m]] = encodes_to(&rc[m], &zinv, items[live[m]].sig);
    }
    ok[live[0]] = encodes_to(&rc[0], &inv, items[live[0]].sig);
}

size_t ed25519_verify_batch(const ed25519_batch_item *items, size_t n)
{
    bool ok[ED25519_BATCH_CHUNK];
    for (size_t base = 0; base < n; base += ED25519_BATCH_CHUNK) {
        size_t c = n - base < ED25519_BATCH_CHUNK ? n - base : ED25519_BATCH_CHUNK;
        verify_chunk(items + base, c, ok);
        for (size_t i = 0; i < c; i++) {
            if (!ok[i]) {
                return base + i;
            }
        }
    }
    return n;
}
