/*
 * Ed25519 verification under an expanded key (ed25519_pubkey_expand,
 * ed25519_verify_expanded): it must give exactly the answer of
 * ed25519_verify on the RFC 8032 vectors, on random keys and messages, on
 * every single-bit change of a signature and on the strictness cases.
 */
#include <stdio.h>
#include <string.h>

#include "base/errors.h"
#include "crypto/ed25519.h"
#include "tap.h"
#include "tests/lib/crypto/testutil.h"

#define VECTORS "tests/data/ed25519/rfc8032_7_1.txt"

static void test_rfc_vectors(void)
{
    FILE *f = fopen(VECTORS, "r");
    ok(f != NULL, "ed25519_vectors_file_readable");
    if (f == NULL) {
        return;
    }
    static ed25519_vkey vk;
    char line[512];
    uint8_t pub[32] = {0}, msg[128] = {0}, sig[64] = {0};
    size_t msg_len = 0;
    int vectors = 0;
    while (fgets(line, sizeof(line), f) != NULL) {
        if (strncmp(line, "pub ", 4) == 0) {
            unhex(line + 4, pub, 32);
        } else if (strncmp(line, "msg", 3) == 0) {
            msg_len = line[3] == ' ' ? unhex(line + 4, msg, sizeof(msg)) : 0;
        } else if (strncmp(line, "sig ", 4) == 0) {
            unhex(line + 4, sig, 64);
            vectors++;
            is_int(ed25519_pubkey_expand(&vk, pub), 0, "ed25519_pubkey_expand_accepts_rfc8032_key");
            is_int(ed25519_verify_expanded(sig, msg, msg_len, &vk), 0,
                   "ed25519_verify_expanded_accepts_rfc8032");
            sig[63] ^= 0x10;
            is_int(ed25519_verify_expanded(sig, msg, msg_len, &vk), ZERR_BADSIG,
                   "ed25519_verify_expanded_rejects_flipped_s_bit");
            sig[63] ^= 0x10;
            sig[0] ^= 0x01;
            is_int(ed25519_verify_expanded(sig, msg, msg_len, &vk), ZERR_BADSIG,
                   "ed25519_verify_expanded_rejects_flipped_r_bit");
            sig[0] ^= 0x01;
        }
    }
    fclose(f);
    is_int(vectors, 4, "ed25519_vectors_file_has_4_vectors");
}

/* Random keys and messages of every length up to 300 bytes: the expanded
 * verify accepts what sign makes, and agrees with ed25519_verify on every
 * single-bit change of the signature and on a changed message. */
static void test_agrees_with_plain_verify(void)
{
    static ed25519_vkey vk;
    uint64_t s = 0x5eed5eed5eed5eedULL;
    uint8_t seed[32], pub[32], sig[64], msg[300];
    int accepted = 1, agree = 1, flips_rejected = 1;

    for (size_t n = 0; n <= sizeof(msg); n += 3) {
        rng_fill(&s, seed, sizeof(seed));
        rng_fill(&s, msg, n);
        ed25519_pubkey(pub, seed);
        ed25519_sign(sig, msg, n, seed, pub);
        if (ed25519_pubkey_expand(&vk, pub) != 0 ||
            ed25519_verify_expanded(sig, msg, n, &vk) != 0) {
            accepted = 0;
        }
        for (int bit = 0; bit < 512; bit += (n % 30 == 0) ? 1 : 37) {
            sig[bit / 8] ^= (uint8_t)(1u << (bit % 8));
            int e = ed25519_verify_expanded(sig, msg, n, &vk);
            if (e != ed25519_verify(sig, msg, n, pub)) {
                agree = 0;
            }
            if (e != ZERR_BADSIG) {
                flips_rejected = 0;
            }
            sig[bit / 8] ^= (uint8_t)(1u << (bit % 8));
        }
        if (n > 0) {
            msg[n / 2] ^= 0x40;
            if (ed25519_verify_expanded(sig, msg, n, &vk) != ZERR_BADSIG) {
                flips_rejected = 0;
            }
            msg[n / 2] ^= 0x40;
        }
    }
    ok(accepted, "ed25519_verify_expanded_accepts_signatures_on_random_keys");
    ok(agree, "ed25519_verify_expanded_agrees_with_verify_on_bit_flips");
    ok(flips_rejected, "ed25519_verify_expanded_rejects_every_single_bit_change");
}

/* Random 64-byte strings as signatures (most R do not decode, some do):
 * both verifiers refuse them all, identically. */
static void test_random_signatures(void)
{
    static ed25519_vkey vk;
    uint64_t s = 42;
    uint8_t seed[32] = {7}, pub[32], sig[64];
    int agree = 1;

    ed25519_pubkey(pub, seed);
    ok(ed25519_pubkey_expand(&vk, pub) == 0, "ed25519_pubkey_expand_accepts_derived_key");
    for (int i = 0; i < 2000; i++) {
        rng_fill(&s, sig, sizeof(sig));
        sig[63] &= 0x0f; /* keep S mostly canonical so the curve math runs */
        if (ed25519_verify_expanded(sig, "m", 1, &vk) != ed25519_verify(sig, "m", 1, pub)) {
            agree = 0;
        }
    }
    ok(agree, "ed25519_verify_expanded_agrees_with_verify_on_random_signatures");
}

/* A signature by one key does not verify under another key's expansion,
 * and re-expanding the same vkey for a new key forgets the old one. */
static void test_key_binding(void)
{
    static ed25519_vkey vk;
    uint8_t seed1[32] = {1}, seed2[32] = {2}, pub1[32], pub2[32], sig[64];
    ed25519_pubkey(pub1, seed1);
    ed25519_pubkey(pub2, seed2);
    ed25519_sign(sig, "zero", 4, seed1, pub1);
    ed25519_pubkey_expand(&vk, pub2);
    is_int(ed25519_verify_expanded(sig, "zero", 4, &vk), ZERR_BADSIG,
           "ed25519_verify_expanded_rejects_other_keys_signature");
    ed25519_pubkey_expand(&vk, pub1);
    is_int(ed25519_verify_expanded(sig, "zero", 4, &vk), 0,
           "ed25519_verify_expanded_after_re_expansion_uses_new_key");
    is_mem(vk.pub, pub1, 32, "ed25519_vkey_records_its_encoding");
}

static void test_strictness(void)
{
    static ed25519_vkey vk;
    uint8_t seed[32] = {1, 2, 3}, pub[32], sig[64];
    ed25519_pubkey(pub, seed);
    ed25519_sign(sig, "zero", 4, seed, pub);

    uint8_t ident[32] = {1};
    is_int(ed25519_pubkey_expand(&vk, ident), ZERR_BADSIG,
           "ed25519_pubkey_expand_rejects_small_order_key");
    is_int(ed25519_verify_expanded(sig, "zero", 4, &vk), ZERR_BADSIG,
           "ed25519_verify_expanded_refuses_a_refused_key");
    uint8_t neg_zero[32] = {1};
    neg_zero[31] = 0x80;
    is_int(ed25519_pubkey_expand(&vk, neg_zero), ZERR_BADSIG,
           "ed25519_pubkey_expand_rejects_negative_zero_x");
    uint8_t noncanon[32];
    memset(noncanon, 0xff, 32);
    noncanon[0] = 0xee;
    noncanon[31] = 0x7f;
    is_int(ed25519_pubkey_expand(&vk, noncanon), ZERR_BADSIG,
           "ed25519_pubkey_expand_rejects_non_canonical_key");
    uint8_t off[32] = {2};
    is_int(ed25519_pubkey_expand(&vk, off), ZERR_BADSIG,
           "ed25519_pubkey_expand_rejects_off_curve_key");

    is_int(ed25519_pubkey_expand(&vk, pub), 0, "ed25519_pubkey_expand_accepts_good_key");
    /* S + L: the same point, a different (non-canonical) encoding. */
    static const uint8_t l[32] = {0xed, 0xd3, 0xf5, 0x5c, 0x1a, 0x63, 0x12, 0x58, 0xd6, 0x9c, 0xf7,
                                  0xa2, 0xde, 0xf9, 0xde, 0x14, 0,    0,    0,    0,    0,    0,
                                  0,    0,    0,    0,    0,    0,    0,    0,    0,    0x10};
    uint8_t big[64];
    memcpy(big, sig, 64);
    unsigned carry = 0;
    for (int i = 0; i < 32; i++) {
        unsigned v = big[32 + i] + l[i] + carry;
        big[32 + i] = (uint8_t)v;
        carry = v >> 8;
    }
    is_int(ed25519_verify_expanded(big, "zero", 4, &vk), ZERR_BADSIG,
           "ed25519_verify_expanded_rejects_s_ge_l");
    uint8_t small_r[64];
    memcpy(small_r, sig, 64);
    memset(small_r, 0, 32);
    small_r[0] = 1;
    is_int(ed25519_verify_expanded(small_r, "zero", 4, &vk), ZERR_BADSIG,
           "ed25519_verify_expanded_rejects_small_order_r");
    is_int(ed25519_verify_expanded(sig, "zero", 4, &vk), 0,
           "ed25519_verify_expanded_accepts_own_signature");
}

int main(void)
{
    tap_no_plan();
    test_rfc_vectors();
    test_agrees_with_plain_verify();
    test_random_signatures();
    test_key_binding();
    test_strictness();
    return tap_done();
}
