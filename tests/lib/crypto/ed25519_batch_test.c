/*
 * Batch verification (ed25519_verify_batch): every item must get exactly
 * the answer of single verification.  Checked on the RFC 8032 vectors in
 * mixed batches, on batches with one bad signature at each position (across
 * the chunk boundary), on random batches against libsodium's
 * crypto_sign_verify_detached, and on the cases where a cofactored batch
 * equation would disagree with the cofactorless single check: an R with a
 * small-order component, and a key with one.
 */
#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "base/errors.h"
#include "crypto/ed25519.h"
#include "tap.h"
#include "tests/lib/crypto/testutil.h"

#define VECTORS "tests/data/ed25519/rfc8032_7_1.txt"
#define MAXN 80

struct sig_case {
    uint8_t pub[32];
    uint8_t sig[64];
    uint8_t msg[128];
    size_t len;
};

static struct sig_case cases[MAXN];
static ed25519_vkey vks[MAXN];
static ed25519_batch_item items[MAXN];

/* Points items[0..n) at cases[0..n), expanding each case's key. */
static void make_items(size_t n)
{
    for (size_t i = 0; i < n; i++) {
        ed25519_pubkey_expand(&vks[i], cases[i].pub);
        items[i] = (ed25519_batch_item){cases[i].sig, cases[i].msg, cases[i].len, &vks[i]};
    }
}

/* The index of the first case ed25519_verify refuses, or n. */
static size_t first_bad_single(size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (ed25519_verify(cases[i].sig, cases[i].msg, cases[i].len, cases[i].pub) != 0) {
            return i;
        }
    }
    return n;
}

/* The same by libsodium. */
static size_t first_bad_sodium(size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (crypto_sign_verify_detached(cases[i].sig, cases[i].msg, cases[i].len, cases[i].pub) !=
            0) {
            return i;
        }
    }
    return n;
}

static void sign_case(struct sig_case *c, uint64_t *s)
{
    uint8_t seed[32];
    rng_fill(s, seed, sizeof(seed));
    c->len = (size_t)(rng_next(s) % sizeof(c->msg));
    rng_fill(s, c->msg, c->len);
    ed25519_pubkey(c->pub, seed);
    ed25519_sign(c->sig, c->msg, c->len, seed, c->pub);
}

static int read_rfc(struct sig_case rfc[4])
{
    FILE *f = fopen(VECTORS, "r");
    char line[512];
    int n = 0;
    if (f == NULL) {
        return 0;
    }
    while (n < 4 && fgets(line, sizeof(line), f) != NULL) {
        if (strncmp(line, "pub ", 4) == 0) {
            unhex(line + 4, rfc[n].pub, 32);
        } else if (strncmp(line, "msg", 3) == 0) {
            rfc[n].len = line[3] == ' ' ? unhex(line + 4, rfc[n].msg, sizeof(rfc[n].msg)) : 0;
        } else if (strncmp(line, "sig ", 4) == 0) {
            unhex(line + 4, rfc[n++].sig, 64);
        }
    }
    fclose(f);
    return n;
}

/* The four RFC 8032 vectors among random signatures, in batches of every
 * size up to MAXN, then each vector spoiled in turn. */
static void test_rfc_mixed(void)
{
    struct sig_case rfc[4];
    uint64_t s = 0x8032;
    int all = 1, spoiled = 1;

    is_int(read_rfc(rfc), 4, "ed25519_batch_reads_4_rfc8032_vectors");
    for (size_t n = 1; n <= MAXN; n += 7) {
        for (size_t i = 0; i < n; i++) {
            if (i % 5 == 0) {
                cases[i] = rfc[(i / 5) % 4];
            } else {
                sign_case(&cases[i], &s);
            }
        }
        make_items(n);
        if (ed25519_verify_batch(items, n) != n || first_bad_sodium(n) != n) {
            all = 0;
        }
        for (size_t i = 0; i < n; i += 5) {
            cases[i].sig[40] ^= 0x01;
            if (ed25519_verify_batch(items, n) != i || first_bad_sodium(n) != i) {
                spoiled = 0;
            }
            cases[i].sig[40] ^= 0x01;
        }
    }
    ok(all, "ed25519_verify_batch_accepts_rfc8032_vectors_in_mixed_batches");
    ok(spoiled, "ed25519_verify_batch_finds_each_spoiled_rfc8032_vector");
}

/* One bad signature at every position of batches of 1 to MAXN (the chunk
 * is 32): the batch names exactly that position; two bad, the first. */
static void test_one_bad_each_position(void)
{
    uint64_t s = 1;
    int exact = 1, first = 1, empty = 1;

    for (size_t n = 1; n <= MAXN; n++) {
        for (size_t i = 0; i < n; i++) {
            sign_case(&cases[i], &s);
        }
        make_items(n);
        for (size_t bad = 0; bad < n; bad++) {
            int bit = (int)(rng_next(&s) % 512);
            cases[bad].sig[bit / 8] ^= (uint8_t)(1u << (bit % 8));
            if (ed25519_verify_batch(items, n) != bad) {
                exact = 0;
            }
            if (bad + 3 < n) {
                cases[bad + 3].sig[33] ^= 0x20;
                if (ed25519_verify_batch(items, n) != bad) {
                    first = 0;
                }
                cases[bad + 3].sig[33] ^= 0x20;
            }
            cases[bad].sig[bit / 8] ^= (uint8_t)(1u << (bit % 8));
        }
    }
    if (ed25519_verify_batch(items, 0) != 0) {
        empty = 0;
    }
    ok(exact, "ed25519_verify_batch_names_the_one_bad_signature_at_each_position");
    ok(first, "ed25519_verify_batch_names_the_first_of_two_bad_signatures");
    ok(empty, "ed25519_verify_batch_of_nothing_verifies");
}

/* Random batches with random damage (bit flips, S + L, small-order R,
 * random R, a key changed): each item as libsodium and ed25519_verify say. */
static void test_random_against_libsodium(void)
{
    static const uint8_t l[32] = {0xed, 0xd3, 0xf5, 0x5c, 0x1a, 0x63, 0x12, 0x58, 0xd6, 0x9c, 0xf7,
                                  0xa2, 0xde, 0xf9, 0xde, 0x14, 0,    0,    0,    0,    0,    0,
                                  0,    0,    0,    0,    0,    0,    0,    0,    0,    0x10};
    uint64_t s = 77;
    int agree = 1, bads = 0;

    for (int round = 0; round < 300; round++) {
        size_t n = 1 + (size_t)(rng_next(&s) % MAXN);
        for (size_t i = 0; i < n; i++) {
            sign_case(&cases[i], &s);
            switch (rng_next(&s) % 16) {
            case 0:
                cases[i].sig[rng_next(&s) % 64] ^= (uint8_t)(1u << (rng_next(&s) % 8));
                break;
            case 1: { /* S + L: the same scalar, not canonical */
                unsigned carry = 0;
                for (int b = 0; b < 32; b++) {
                    unsigned v = cases[i].sig[32 + b] + l[b] + carry;
                    cases[i].sig[32 + b] = (uint8_t)v;
                    carry = v >> 8;
                }
                break;
            }
            case 2: /* R the identity */
                memset(cases[i].sig, 0, 32);
                cases[i].sig[0] = 1;
                break;
            case 3:
                rng_fill(&s, cases[i].sig, 32);
                break;
            case 4:
                cases[i].pub[rng_next(&s) % 32] ^= 0x04;
                break;
            default:
                break;
            }
        }
        make_items(n);
        /* Compare every item: drop each first bad one and go on. */
        size_t from = 0;
        while (from < n) {
            size_t b = from + ed25519_verify_batch(items + from, n - from);
            size_t want = from;
            while (want < n && crypto_sign_verify_detached(cases[want].sig, cases[want].msg,
                                                           cases[want].len, cases[want].pub) == 0) {
                want++;
            }
            if (b != want) {
                agree = 0;
            }
            bads += b < n;
            from = want + 1;
        }
    }
    ok(agree, "ed25519_verify_batch_agrees_with_libsodium_on_random_batches");
    ok(bads > 300, "ed25519_verify_batch_random_batches_hold_bad_signatures");
}

/* The Ed25519 secret scalar of a seed. */
static void secret_scalar(uint8_t a[32], const uint8_t seed[32])
{
    uint8_t h[64];
    crypto_hash_sha512(h, seed, 32);
    h[0] &= 248;
    h[31] &= 63;
    h[31] |= 64;
    memcpy(a, h, 32);
}

/* The scalar SHA-512(R || A || M) mod L. */
static void hram(uint8_t k[32], const uint8_t R[32], const uint8_t A[32], const uint8_t *m,
                 size_t len)
{
    uint8_t h[64];
    crypto_hash_sha512_state st;
    crypto_hash_sha512_init(&st);
    crypto_hash_sha512_update(&st, R, 32);
    crypto_hash_sha512_update(&st, A, 32);
    crypto_hash_sha512_update(&st, m, len);
    crypto_hash_sha512_final(&st, h);
    crypto_core_ed25519_scalar_reduce(k, h);
}

/*
 * Signatures built so that [8]([S]B - [k]A - R) = 0 but [S]B - [k]A != R:
 * R = [r]B + T with T of order 2 (and of order 4, 8) and S = r + k a.  A
 * cofactored equation (batched or not) accepts them; single verification,
 * like libsodium's, refuses them, and so must the batch, in a batch of
 * valid signatures.  Then a key A + T of mixed order: accepted exactly
 * when single verification accepts ([k]T = 0, k a multiple of T's order).
 */
static void test_small_order_components(void)
{
    /* Canonical encodings of points of order 2, 4 and 8. */
    static const uint8_t tors[3][32] = {
        {0xec, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
         0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
         0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f},
        {0},
        {0x26, 0xe8, 0x95, 0x8f, 0xc2, 0xb2, 0x27, 0xb0, 0x45, 0xc3, 0xf4,
         0x89, 0xf2, 0xef, 0x98, 0xf0, 0xd5, 0xdf, 0xac, 0x05, 0xd3, 0xc6,
         0x33, 0x39, 0xb1, 0x38, 0x02, 0x88, 0x6d, 0x53, 0xfc, 0x05},
    };
    uint64_t s = 9;
    int refused = 1, same = 1, tried = 0;

    for (int t = 0; t < 3; t++) {
        if (t == 1) {
            continue; /* order 4: x = sqrt(-1), y = 0 */
        }
        for (int pos = 0; pos < 8; pos++) {
            size_t n = 8;
            for (size_t i = 0; i < n; i++) {
                sign_case(&cases[i], &s);
            }
            uint8_t seed[32], a[32], r[32], rb[32], k[32], ka[32];
            struct sig_case *c = &cases[pos];
            rng_fill(&s, seed, 32);
            ed25519_pubkey(c->pub, seed);
            secret_scalar(a, seed);
            crypto_core_ed25519_scalar_random(r);
            crypto_scalarmult_ed25519_base_noclamp(rb, r);
            crypto_core_ed25519_add(c->sig, rb, tors[t]); /* R = [r]B + T */
            hram(k, c->sig, c->pub, c->msg, c->len);
            crypto_core_ed25519_scalar_mul(ka, k, a);
            crypto_core_ed25519_scalar_add(c->sig + 32, r, ka);
            make_items(n);
            tried++;
            if (ed25519_verify(c->sig, c->msg, c->len, c->pub) == 0 ||
                crypto_sign_verify_detached(c->sig, c->msg, c->len, c->pub) == 0 ||
                ed25519_verify_batch(items, n) != (size_t)pos) {
                refused = 0;
            }
        }
    }
    /* Mixed-order keys A + T2 signed for by a: the batch says what the
     * single verifier says (accepted when k is even). */
    for (int i = 0; i < 64; i++) {
        size_t n = 4;
        for (size_t j = 0; j < n; j++) {
            sign_case(&cases[j], &s);
        }
        struct sig_case *c = &cases[i % 4];
        uint8_t seed[32], a[32], r[32], A[32], k[32], ka[32];
        rng_fill(&s, seed, 32);
        ed25519_pubkey(A, seed);
        secret_scalar(a, seed);
        crypto_core_ed25519_add(c->pub, A, tors[0]);
        crypto_core_ed25519_scalar_random(r);
        crypto_scalarmult_ed25519_base_noclamp(c->sig, r);
        hram(k, c->sig, c->pub, c->msg, c->len);
        crypto_core_ed25519_scalar_mul(ka, k, a);
        crypto_core_ed25519_scalar_add(c->sig + 32, r, ka);
        make_items(n);
        size_t want = first_bad_single(n);
        if (ed25519_verify_batch(items, n) != want) {
            same = 0;
        }
    }
    ok(tried == 16 && refused, "ed25519_verify_batch_refuses_r_with_small_order_component");
    ok(same, "ed25519_verify_batch_agrees_on_mixed_order_keys");
}

int main(void)
{
    if (sodium_init() < 0) {
        ok(0, "sodium_init");
        return tap_done();
    }
    test_rfc_mixed();
    test_one_bad_each_position();
    test_random_against_libsodium();
    test_small_order_components();
    return tap_done();
}
