/*
 * SHA-512 and Ed25519: RFC 8032 section 7.1 vectors, the strict verification
 * rules, constant-time helpers, and random inputs against libsodium (linked
 * into this test only).
 */
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/errors.h"
#include "crypto/ct.h"
#include "crypto/ed25519.h"
#include "crypto/internal/ed25519_sc.h"
#include "crypto/sha512.h"
#include "tap.h"
#include "tests/lib/crypto/testutil.h"

#define VECTORS "tests/data/ed25519/rfc8032_7_1.txt"

static void test_sha512(void)
{
    uint8_t out[64], want[64];
    sha512("abc", 3, out);
    unhex("ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a2192992a274fc1a836ba3c23"
          "a3feebbd454d4423643ce80e2a9ac94fa54ca49f",
          want, 64);
    is_mem(out, want, 64, "sha512_abc_matches_fips_180_vector");
    sha512("", 0, out);
    unhex("cf83e1357eefb8bdf1542850d66d8007d620e4050b5715dc83f4a921d36ce9ce47d0d13c5d85f2b0ff8318d2"
          "877eec2f63b931bd47417a81a538327af927da3e",
          want, 64);
    is_mem(out, want, 64, "sha512_empty_matches_fips_180_vector");
    /* Every length up to three blocks, split at every point, vs libsodium. */
    uint8_t msg[400];
    for (size_t i = 0; i < sizeof(msg); i++) {
        msg[i] = (uint8_t)(i * 7 + 3);
    }
    int agree = 1;
    for (size_t len = 0; len <= sizeof(msg); len++) {
        sha512_ctx ctx;
        sha512_init(&ctx);
        size_t cut = (len * 13) % (len + 1);
        sha512_update(&ctx, msg, cut);
        sha512_update(&ctx, msg + cut, len - cut);
        sha512_final(&ctx, out);
        crypto_hash_sha512(want, msg, len);
        agree &= memcmp(out, want, 64) == 0;
    }
    ok(agree, "sha512_matches_libsodium_on_every_length_and_split");
}

static void test_rfc_vectors(void)
{
    FILE *f = fopen(VECTORS, "r");
    ok(f != NULL, "ed25519_vectors_file_readable");
    if (f == NULL) {
        return;
    }
    char line[512];
    uint8_t seed[32] = {0}, pub[32] = {0}, msg[128] = {0}, sig[64] = {0};
    size_t msg_len = 0;
    int vectors = 0;
    while (fgets(line, sizeof(line), f) != NULL) {
        if (strncmp(line, "seed ", 5) == 0) {
            unhex(line + 5, seed, 32);
        } else if (strncmp(line, "pub ", 4) == 0) {
            unhex(line + 4, pub, 32);
        } else if (strncmp(line, "msg", 3) == 0) {
            msg_len = line[3] == ' ' ? unhex(line + 4, msg, sizeof(msg)) : 0;
        } else if (strncmp(line, "sig ", 4) == 0) {
            unhex(line + 4, sig, 64);
            uint8_t got_pub[32], got_sig[64];
            ed25519_pubkey(got_pub, seed);
            ed25519_sign(got_sig, msg, msg_len, seed, pub);
            vectors++;
            is_mem(got_pub, pub, 32, "ed25519_pubkey_matches_rfc8032");
            is_mem(got_sig, sig, 64, "ed25519_sign_matches_rfc8032");
            is_int(ed25519_verify(sig, msg, msg_len, pub), 0, "ed25519_verify_accepts_rfc8032");
            sig[63] ^= 0x10;
            is_int(ed25519_verify(sig, msg, msg_len, pub), ZERR_BADSIG,
                   "ed25519_verify_rejects_flipped_s_bit");
            sig[63] ^= 0x10;
            msg[0] ^= 1;
            is_int(ed25519_verify(sig, msg, msg_len + (msg_len == 0), pub), ZERR_BADSIG,
                   "ed25519_verify_rejects_changed_message");
            msg[0] ^= 1;
        }
    }
    fclose(f);
    is_int(vectors, 4, "ed25519_vectors_file_has_4_vectors");
}

/* Adds L to the scalar S in place (little-endian). */
static void add_l(uint8_t s[32])
{
    static const uint8_t l[32] = {0xed, 0xd3, 0xf5, 0x5c, 0x1a, 0x63, 0x12, 0x58, 0xd6, 0x9c, 0xf7,
                                  0xa2, 0xde, 0xf9, 0xde, 0x14, 0,    0,    0,    0,    0,    0,
                                  0,    0,    0,    0,    0,    0,    0,    0,    0,    0x10};
    unsigned carry = 0;
    for (int i = 0; i < 32; i++) {
        unsigned v = s[i] + l[i] + carry;
        s[i] = (uint8_t)v;
        carry = v >> 8;
    }
}

static void test_strictness(void)
{
    uint8_t seed[32] = {1, 2, 3}, pub[32], sig[64];
    ed25519_pubkey(pub, seed);
    ed25519_sign(sig, "zero", 4, seed, pub);
    is_int(ed25519_verify(sig, "zero", 4, pub), 0, "ed25519_verify_accepts_own_signature");
    uint8_t empty_sig[64];
    ed25519_sign(empty_sig, NULL, 0, seed, pub);
    is_int(ed25519_verify(empty_sig, NULL, 0, pub), 0, "ed25519_empty_message_may_be_null");

    uint8_t big[64];
    memcpy(big, sig, 64);
    add_l(big + 32);
    ok(big[63] < 0x20, "s_plus_l_fits_in_32_bytes");
    is_int(ed25519_verify(big, "zero", 4, pub), ZERR_BADSIG, "ed25519_verify_rejects_s_ge_l");

    /* Identity A, identity R, S = 0 satisfies the cofactorless equation
     * [S]B = R + [k]A; it must still be refused. */
    uint8_t ident[32] = {1};
    uint8_t forged[64] = {1};
    is_int(ed25519_verify(forged, "x", 1, ident), ZERR_BADSIG,
           "ed25519_verify_rejects_small_order_key_and_r");
    uint8_t neg_zero[32] = {1};
    neg_zero[31] = 0x80;
    is_int(ed25519_verify(sig, "zero", 4, neg_zero), ZERR_BADSIG,
           "ed25519_verify_rejects_negative_zero_x");
    /* y = p + 1 (non-canonical encoding of y = 1). */
    uint8_t noncanon[32];
    memset(noncanon, 0xff, 32);
    noncanon[0] = 0xee;
    noncanon[31] = 0x7f;
    is_int(ed25519_verify(sig, "zero", 4, noncanon), ZERR_BADSIG,
           "ed25519_verify_rejects_non_canonical_key");
    /* A key that is not on the curve (y = 2 has no x). */
    uint8_t off[32] = {2};
    is_int(ed25519_verify(sig, "zero", 4, off), ZERR_BADSIG,
           "ed25519_verify_rejects_off_curve_key");
    /* R replaced by a small-order point, with a mixed key. */
    uint8_t small_r[64];
    memcpy(small_r, sig, 64);
    memset(small_r, 0, 32);
    small_r[0] = 1;
    is_int(ed25519_verify(small_r, "zero", 4, pub), ZERR_BADSIG,
           "ed25519_verify_rejects_small_order_r");
}

static void test_ct(void)
{
    uint8_t a[40], b[40];
    memset(a, 0x5a, sizeof(a));
    memcpy(b, a, sizeof(b));
    ok(ct_equal(a, b, sizeof(a)), "ct_equal_true_for_equal_buffers");
    b[39] ^= 0x80;
    ok(!ct_equal(a, b, sizeof(a)), "ct_equal_false_when_last_byte_differs");
    ok(ct_equal(a, b, 39), "ct_equal_compares_only_n_bytes");
    ok(ct_equal(a, b, 0), "ct_equal_true_for_empty");
    secure_zero(a, sizeof(a));
    uint8_t z[40] = {0};
    is_mem(a, z, sizeof(a), "secure_zero_clears_buffer");
}

/* Scalar reduction and multiply-add modulo L against libsodium, with the
 * extreme inputs included. */
static void test_scalars(void)
{
    int reduce_ok = 1, muladd_ok = 1;
    for (int i = 0; i < 2000; i++) {
        uint8_t wide[64], got[32], want[32];
        randombytes_buf(wide, sizeof(wide));
        if (i < 256) {
            memset(wide, i & 1 ? 0xff : 0, sizeof(wide));
            wide[i / 4] = (uint8_t)i;
        }
        ed_sc_reduce(got, wide);
        crypto_core_ed25519_scalar_reduce(want, wide);
        reduce_ok &= memcmp(got, want, 32) == 0;

        uint8_t a[32], b[32], c[32], ab[32];
        randombytes_buf(wide, sizeof(wide));
        crypto_core_ed25519_scalar_reduce(a, wide);
        randombytes_buf(wide, sizeof(wide));
        crypto_core_ed25519_scalar_reduce(c, wide);
        randombytes_buf(b, sizeof(b));
        b[31] &= 0x7f;
        if (i == 0) {
            memset(a, 0, 32); /* a = L - 1 */
            a[0] = 0xec, a[1] = 0xd3, a[2] = 0xf5, a[3] = 0x5c, a[4] = 0x1a, a[5] = 0x63;
            a[6] = 0x12, a[7] = 0x58, a[8] = 0xd6, a[9] = 0x9c, a[10] = 0xf7, a[11] = 0xa2;
            a[12] = 0xde, a[13] = 0xf9, a[14] = 0xde, a[15] = 0x14, a[31] = 0x10;
            memcpy(c, a, 32);
            memset(b, 0xff, 32);
            b[31] = 0x7f;
        }
        ed_sc_muladd(got, a, b, c);
        uint8_t bred[32];
        uint8_t b64[64] = {0};
        memcpy(b64, b, 32);
        crypto_core_ed25519_scalar_reduce(bred, b64);
        crypto_core_ed25519_scalar_mul(ab, a, bred);
        crypto_core_ed25519_scalar_add(want, ab, c);
        muladd_ok &= memcmp(got, want, 32) == 0;
    }
    ok(reduce_ok, "ed_sc_reduce_matches_libsodium");
    ok(muladd_ok, "ed_sc_muladd_matches_libsodium");
    uint8_t l[32] = {0xed, 0xd3, 0xf5, 0x5c, 0x1a, 0x63, 0x12, 0x58, 0xd6, 0x9c, 0xf7,
                     0xa2, 0xde, 0xf9, 0xde, 0x14, 0,    0,    0,    0,    0,    0,
                     0,    0,    0,    0,    0,    0,    0,    0,    0,    0x10};
    ok(!ed_sc_is_canonical(l), "ed_sc_is_canonical_rejects_l");
    l[0]--;
    ok(ed_sc_is_canonical(l), "ed_sc_is_canonical_accepts_l_minus_1");
}

static void test_against_libsodium(void)
{
    int pub_ok = 1, sig_ok = 1, ours_ok = 1, theirs_ok = 1, tamper_agree = 1;
    uint8_t msg[1500];
    for (int i = 0; i < 300; i++) {
        uint8_t seed[32], pub[32], sk[64], pk[32], sig[64], ssig[64];
        randombytes_buf(seed, sizeof(seed));
        size_t len = (size_t)randombytes_uniform(sizeof(msg));
        randombytes_buf(msg, len);
        ed25519_pubkey(pub, seed);
        crypto_sign_seed_keypair(pk, sk, seed);
        pub_ok &= memcmp(pub, pk, 32) == 0;
        ed25519_sign(sig, msg, len, seed, pub);
        crypto_sign_detached(ssig, NULL, msg, len, sk);
        sig_ok &= memcmp(sig, ssig, 64) == 0;
        ours_ok &= ed25519_verify(ssig, msg, len, pk) == 0;
        theirs_ok &= crypto_sign_verify_detached(sig, msg, len, pub) == 0;
        sig[randombytes_uniform(64)] ^= (uint8_t)(1u << randombytes_uniform(8));
        int a = ed25519_verify(sig, msg, len, pub) == 0;
        int b = crypto_sign_verify_detached(sig, msg, len, pub) == 0;
        tamper_agree &= a == b && a == 0;
    }
    ok(pub_ok, "ed25519_pubkey_matches_libsodium_on_random_seeds");
    ok(sig_ok, "ed25519_sign_matches_libsodium_byte_for_byte");
    ok(ours_ok, "ed25519_verify_accepts_libsodium_signatures");
    ok(theirs_ok, "libsodium_accepts_ed25519_signatures");
    ok(tamper_agree, "ed25519_verify_rejects_tampered_signatures_like_libsodium");
}

int main(void)
{
    if (sodium_init() < 0) {
        printf("1..0 # SKIP libsodium failed to initialise\n");
        return 0;
    }
    tap_no_plan();
    test_sha512();
    test_rfc_vectors();
    test_strictness();
    test_ct();
    test_scalars();
    test_against_libsodium();
    return tap_done();
}
