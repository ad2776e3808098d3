/*
 * BLAKE2b, Argon2 and (X)ChaCha20-Poly1305: the official vectors (RFC 7693
 * appendix A, RFC 9106 section 5, RFC 8439 sections 2.5.2 and 2.8.2,
 * draft-irtf-cfrg-xchacha-03 sections 2.2.1 and A.3.1), then random inputs
 * against libsodium (linked into this test only) byte for byte, and the
 * refusals: bad parameters, any changed byte of ciphertext, tag, nonce or
 * associated data.
 */
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/errors.h"
#include "crypto/aead.h"
#include "crypto/argon2.h"
#include "crypto/blake2b.h"
#include "crypto/chacha20.h"
#include "crypto/poly1305.h"
#include "tap.h"

static size_t unhex(const char *hex, uint8_t *out, size_t cap)
{
    size_t n = 0;
    while (hex[0] && hex[1] && n < cap) {
        unsigned v;
        if (sscanf(hex, "%2x", &v) != 1) {
            break;
        }
        out[n++] = (uint8_t)v;
        hex += 2;
    }
    return n;
}

static void test_blake2b(void)
{
    uint8_t out[64], want[64];
    blake2b(out, 64, NULL, 0, "abc", 3);
    unhex("ba80a53f981c4d0d6a2797b69f12f6e94c212f14685ac4b74b12bb6fdbffa2d17d87c5392aab792dc252d5de"
          "4533cc9518d38aa8dbf1925ab92386edd4009923",
          want, 64);
    is_mem(out, want, 64, "blake2b_abc_matches_rfc7693_appendix_a");

    uint8_t msg[600], key[64];
    for (size_t i = 0; i < sizeof(msg); i++) {
        msg[i] = (uint8_t)(i * 31 + 7);
    }
    for (size_t i = 0; i < sizeof(key); i++) {
        key[i] = (uint8_t)i;
    }
    int agree = 1;
    for (size_t len = 0; len <= sizeof(msg); len += (len < 260 ? 1 : 37)) {
        size_t out_len = 1 + len % 64, key_len = len % 65;
        blake2b_ctx ctx;
        blake2b_init(&ctx, out_len, key_len ? key : NULL, key_len);
        size_t cut = (len * 13) % (len + 1);
        blake2b_update(&ctx, msg, cut);
        blake2b_update(&ctx, msg + cut, len - cut);
        blake2b_final(&ctx, out);
        crypto_generichash(want, out_len, msg, len, key_len ? key : NULL, key_len);
        agree &= memcmp(out, want, out_len) == 0;
    }
    ok(agree, "blake2b_matches_libsodium_on_lengths_keys_and_splits");
    is_int(blake2b(out, 0, NULL, 0, "", 0), ZERR_INVAL, "blake2b_refuses_empty_digest");
    is_int(blake2b(out, 65, NULL, 0, "", 0), ZERR_INVAL, "blake2b_refuses_digest_over_64");
    is_int(blake2b(out, 32, key, 65, "", 0), ZERR_INVAL, "blake2b_refuses_key_over_64");
}

/* RFC 9106 section 5: m = 32 KiB, t = 3, p = 4, 32-byte tag, P = 01 x 32,
 * S = 02 x 16, K = 03 x 8, X = 04 x 12. */
static void test_argon2_rfc(void)
{
    static const struct {
        argon2_type type;
        const char *tag;
        const char *name;
    } vec[] = {
        {ARGON2_D, "512b391b6f1162975371d30919734294f868e3be3984f3c1a13a4db9fabe4acb",
         "argon2d_matches_rfc9106_5_1"},
        {ARGON2_I, "c814d9d1dc7f37aa13f0d77f2494bda1c8de6b016dd388d29952a4c4672b6ce8",
         "argon2i_matches_rfc9106_5_2"},
        {ARGON2_ID, "0d640df58d78766c08c037a34a8b53c9d01ef0452d75b65eb52520e96b01e659",
         "argon2id_matches_rfc9106_5_3"},
    };
    uint8_t pwd[32], salt[16], secret[8], ad[12];
    memset(pwd, 1, sizeof(pwd));
    memset(salt, 2, sizeof(salt));
    memset(secret, 3, sizeof(secret));
    memset(ad, 4, sizeof(ad));
    argon2_input in = {pwd,    sizeof(pwd),    salt, sizeof(salt),
                       secret, sizeof(secret), ad,   sizeof(ad)};
    size_t work_len = argon2_work_size(32, 4);
    is_int(work_len, 32 * 1024, "argon2_work_size_32kib_4_lanes");
    uint64_t *work = malloc(work_len);
    for (size_t i = 0; i < sizeof(vec) / sizeof(vec[0]); i++) {
        argon2_params p = {vec[i].type, 3, 32, 4};
        uint8_t tag[32], want[32];
        unhex(vec[i].tag, want, 32);
        is_int(argon2(&p, &in, tag, sizeof(tag), work, work_len), 0, "argon2_succeeds");
        is_mem(tag, want, 32, vec[i].name);
    }
    static const uint64_t zero[4096];
    ok(memcmp(work, zero, work_len) == 0, "argon2_wipes_its_work_memory");

    argon2_params p = {ARGON2_ID, 3, 32, 4};
    uint8_t tag[32];
    argon2_params bad = p;
    bad.t_cost = 0;
    is_int(argon2(&bad, &in, tag, 32, work, work_len), ZERR_INVAL, "argon2_refuses_zero_passes");
    bad = p;
    bad.m_kib = 35;
    is_int(argon2(&bad, &in, tag, 32, work, work_len), 0, "argon2_rounds_memory_down");
    bad.m_kib = 31;
    is_int(argon2(&bad, &in, tag, 32, work, work_len), ZERR_INVAL,
           "argon2_refuses_memory_under_8p");
    is_int(argon2(&p, &in, tag, 3, work, work_len), ZERR_INVAL, "argon2_refuses_tag_under_4");
    is_int(argon2(&p, &in, tag, 32, work, work_len - 1024), ZERR_INVAL,
           "argon2_refuses_small_work_area");
    argon2_input short_salt = in;
    short_salt.salt_len = 7;
    is_int(argon2(&p, &short_salt, tag, 32, work, work_len), ZERR_INVAL,
           "argon2_refuses_salt_under_8");
    free(work);
}

/* Argon2id and Argon2i with one lane against libsodium's crypto_pwhash,
 * which fixes p = 1, no secret and no associated data. */
static void test_argon2_sodium(void)
{
    int agree = 1;
    for (int i = 0; i < 12; i++) {
        uint32_t t = 1 + (uint32_t)i % 4, m = 8 + 61 * (uint32_t)i;
        char pwd[40];
        uint8_t salt[16], tag[128], want[128];
        size_t pwd_len = (size_t)snprintf(pwd, sizeof(pwd), "password %d", i * i);
        randombytes_buf(salt, sizeof(salt));
        size_t tag_len = 16 + (size_t)i * 9;
        argon2_type type = i % 2 ? ARGON2_I : ARGON2_ID;
        int alg = type == ARGON2_I ? crypto_pwhash_ALG_ARGON2I13 : crypto_pwhash_ALG_ARGON2ID13;
        if (type == ARGON2_I && t < 3) {
            t = 3; /* libsodium's Argon2i floor */
        }
        argon2_params p = {type, t, m, 1};
        argon2_input in = {pwd, pwd_len, salt, sizeof(salt), NULL, 0, NULL, 0};
        size_t work_len = argon2_work_size(m, 1);
        void *work = malloc(work_len);
        int same =
            argon2(&p, &in, tag, tag_len, work, work_len) == 0 &&
            crypto_pwhash(want, tag_len, pwd, pwd_len, salt, t, (size_t)m * 1024, alg) == 0 &&
            memcmp(tag, want, tag_len) == 0;
        if (!same) {
            tap_diag("argon2 type %d t %u m %u tag %zu differs from libsodium", type, t, m,
                     tag_len);
        }
        agree &= same;
        free(work);
    }
    ok(agree, "argon2_matches_libsodium_pwhash_on_random_salts");
}

static void test_chacha_poly_rfc(void)
{
    uint8_t key[32], out[64], want[64];
    /* draft-irtf-cfrg-xchacha-03 2.2.1 */
    for (int i = 0; i < 32; i++) {
        key[i] = (uint8_t)i;
    }
    uint8_t n16[16];
    unhex("000000090000004a0000000031415927", n16, 16);
    hchacha20(out, key, n16);
    unhex("82413b4227b27bfed30e42508a877d73a0f9e4d58a74a853c12ec41326d3ecdc", want, 32);
    is_mem(out, want, 32, "hchacha20_matches_xchacha_draft_2_2_1");

    /* RFC 8439 2.5.2 */
    uint8_t pkey[32];
    unhex("85d6be7857556d337f4452fe42d506a80103808afb0db2fd4abff6af4149f51b", pkey, 32);
    poly1305_ctx p;
    poly1305_init(&p, pkey);
    poly1305_update(&p, "Cryptographic Forum Research Group", 34);
    poly1305_final(&p, out);
    unhex("a8061dc1305136c6c22b8baf0c0127a9", want, 16);
    is_mem(out, want, 16, "poly1305_matches_rfc8439_2_5_2");

    /* RFC 8439 2.8.2 and xchacha draft A.3.1 share plaintext, AAD and key. */
    static const char pt[] = "Ladies and Gentlemen of the class of '99: If I could offer you only "
                             "one tip for the future, sunscreen would be it.";
    size_t len = sizeof(pt) - 1;
    uint8_t aad[12], ct[128], wct[128], tag[16], wtag[16], back[128];
    unhex("50515253c0c1c2c3c4c5c6c7", aad, 12);
    for (int i = 0; i < 32; i++) {
        key[i] = (uint8_t)(0x80 + i);
    }
    uint8_t n12[12];
    unhex("070000004041424344454647", n12, 12);
    chacha20poly1305_encrypt(ct, tag, (const uint8_t *)pt, len, aad, 12, n12, key);
    unhex("d31a8d34648e60db7b86afbc53ef7ec2a4aded51296e08fea9e2b5a736ee62d63dbea45e8ca9671282fafb69"
          "da92728b1a71de0a9e060b2905d6a5b67ecd3b3692ddbd7f2d778b8c9803aee328091b58fab324e4fad675"
          "945585808b4831d7bc3ff4def08e4b7a9de576d26586cec64b6116",
          wct, len);
    unhex("1ae10b594f09e26a7e902ecbd0600691", wtag, 16);
    is_mem(ct, wct, len, "chacha20poly1305_ciphertext_matches_rfc8439_2_8_2");
    is_mem(tag, wtag, 16, "chacha20poly1305_tag_matches_rfc8439_2_8_2");
    is_int(chacha20poly1305_decrypt(back, ct, len, tag, aad, 12, n12, key), 0,
           "chacha20poly1305_decrypts_rfc8439_2_8_2");
    is_mem(back, pt, len, "chacha20poly1305_round_trip");

    uint8_t n24[24];
    unhex("404142434445464748494a4b4c4d4e4f5051525354555657", n24, 24);
    xchacha20poly1305_encrypt(ct, tag, (const uint8_t *)pt, len, aad, 12, n24, key);
    unhex("bd6d179d3e83d43b9576579493c0e939572a1700252bfaccbed2902c21396cbb731c7f1b0b4aa6440bf3a8"
          "2f4eda7e39ae64c6708c54c216cb96b72e1213b4522f8c9ba40db5d945b11b69b982c1bb9e3f3fac2bc369"
          "488f76b2383565d3fff921f9664c97637da9768812f615c68b13b52e",
          wct, len);
    unhex("c0875924c1c7987947deafd8780acf49", wtag, 16);
    is_mem(ct, wct, len, "xchacha20poly1305_ciphertext_matches_draft_a_3_1");
    is_mem(tag, wtag, 16, "xchacha20poly1305_tag_matches_draft_a_3_1");
    is_int(xchacha20poly1305_decrypt(back, ct, len, tag, aad, 12, n24, key), 0,
           "xchacha20poly1305_decrypts_draft_a_3_1");
    is_mem(back, pt, len, "xchacha20poly1305_round_trip");
}

/* Random lengths against libsodium both ways, then every single-byte change
 * of ciphertext, tag, nonce and associated data is refused. */
static void test_xchacha_sodium(void)
{
    int agree = 1;
    uint8_t key[32], nonce[24], ad[40], pt[300], ct[300], tag[16];
    uint8_t sod[300 + 16], back[300];
    for (int i = 0; i < 200; i++) {
        size_t len = (size_t)i * 3 % 300, ad_len = (size_t)i % 41;
        randombytes_buf(key, sizeof(key));
        randombytes_buf(nonce, sizeof(nonce));
        randombytes_buf(ad, sizeof(ad));
        randombytes_buf(pt, sizeof(pt));
        xchacha20poly1305_encrypt(ct, tag, pt, len, ad_len ? ad : NULL, ad_len, nonce, key);
        unsigned long long sod_len;
        crypto_aead_xchacha20poly1305_ietf_encrypt(sod, &sod_len, pt, len, ad, ad_len, NULL, nonce,
                                                   key);
        agree &=
            sod_len == len + 16 && memcmp(sod, ct, len) == 0 && memcmp(sod + len, tag, 16) == 0;
        randombytes_buf(pt, sizeof(pt));
        crypto_aead_xchacha20poly1305_ietf_encrypt(sod, &sod_len, pt, len, ad, ad_len, NULL, nonce,
                                                   key);
        agree &= xchacha20poly1305_decrypt(back, sod, len, sod + len, ad, ad_len, nonce, key) == 0;
        agree &= memcmp(back, pt, len) == 0;
    }
    ok(agree, "xchacha20poly1305_matches_libsodium_both_ways");

    size_t len = 70, ad_len = 20;
    xchacha20poly1305_encrypt(ct, tag, pt, len, ad, ad_len, nonce, key);
    int refused = 1;
    uint8_t *parts[] = {ct, tag, nonce, ad, key};
    size_t sizes[] = {len, 16, 24, ad_len, 32};
    for (size_t k = 0; k < 5; k++) {
        for (size_t i = 0; i < sizes[k]; i++) {
            parts[k][i] ^= (uint8_t)(1u << (i % 8));
            int err = xchacha20poly1305_decrypt(back, ct, len, tag, ad, ad_len, nonce, key);
            refused &= err == ZERR_BADSIG;
            parts[k][i] ^= (uint8_t)(1u << (i % 8));
        }
    }
    ok(refused, "xchacha20poly1305_refuses_every_changed_byte");
    static const uint8_t zero[300];
    ok(memcmp(back, zero, len) == 0, "xchacha20poly1305_refusal_leaves_zero_plaintext");
    is_int(xchacha20poly1305_decrypt(back, ct, len - 1, tag, ad, ad_len, nonce, key), ZERR_BADSIG,
           "xchacha20poly1305_refuses_truncated_ciphertext");
}

int main(void)
{
    if (sodium_init() < 0) {
        tap_plan(1);
        ok(0, "libsodium initialises");
        return tap_done();
    }
    tap_no_plan();
    test_blake2b();
    test_argon2_rfc();
    test_argon2_sodium();
    test_chacha_poly_rfc();
    test_xchacha_sodium();
    return tap_done();
}
