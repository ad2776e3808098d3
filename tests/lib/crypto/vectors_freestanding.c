/*
 * Freestanding vector tests: the official BLAKE3 vectors (all modes, full
 * extended output), RFC 8032 section 7.1 Ed25519 vectors, and CBOR round
 * trips.  Uses only lib/ and tests/tap.h, so it runs inside any Zero OS
 * test build.  Inputs are generated on the fly in small pieces; no buffer
 * larger than a block of stack.
 */
#include "tests/lib/crypto/vectors_freestanding.h"
#include "base/errors.h"
#include "base/string.h"
#include "cbor/cbor.h"
#include "crypto/aead.h"
#include "crypto/blake3.h"
#include "crypto/ed25519.h"
#include "tests/tap.h"
#include "tests/lib/crypto/vectors_data.h"

/* Feeds the vectors' input (bytes i mod 251) in pieces of step bytes. */
static void feed(blake3_hasher *h, size_t len, size_t step)
{
    uint8_t piece[256];
    size_t off = 0;
    while (off < len) {
        size_t n = len - off < step ? len - off : step;
        for (size_t i = 0; i < n; i++) {
            piece[i] = (uint8_t)((off + i) % 251);
        }
        blake3_update(h, piece, n);
        off += n;
    }
}

static void blake3_vectors(void)
{
    for (size_t c = 0; c < sizeof(b3v_cases) / sizeof(b3v_cases[0]); c++) {
        const struct b3v_case *v = &b3v_cases[c];
        uint8_t out[B3V_XOF_LEN];
        blake3_hasher h;

        blake3_init(&h);
        feed(&h, v->input_len, 256);
        blake3_finalize(&h, out, sizeof(out));
        ok(memcmp(out, v->hash, sizeof(out)) == 0, "freestanding_blake3_hash_len_%zu",
           v->input_len);

        blake3_init_keyed(&h, (const uint8_t *)b3v_key);
        feed(&h, v->input_len, 67);
        blake3_finalize(&h, out, sizeof(out));
        ok(memcmp(out, v->keyed, sizeof(out)) == 0, "freestanding_blake3_keyed_len_%zu",
           v->input_len);

        blake3_init_derive_key(&h, b3v_context);
        feed(&h, v->input_len, 200);
        blake3_finalize_seek(&h, 1, out, sizeof(out) - 1);
        ok(memcmp(out, v->derive + 1, sizeof(out) - 1) == 0,
           "freestanding_blake3_derive_key_seek_len_%zu", v->input_len);
    }
}

static void ed25519_vectors(void)
{
    for (size_t c = 0; c < sizeof(edv_cases) / sizeof(edv_cases[0]); c++) {
        const struct edv_case *v = &edv_cases[c];
        uint8_t pub[32], sig[64], bad[64];
        ed25519_pubkey(pub, v->seed);
        ed25519_sign(sig, v->msg, v->msg_len, v->seed, v->pub);
        is_mem(pub, v->pub, 32, "freestanding_ed25519_pubkey_rfc8032");
        is_mem(sig, v->sig, 64, "freestanding_ed25519_sign_rfc8032");
        is_int(ed25519_verify(v->sig, v->msg, v->msg_len, v->pub), 0,
               "freestanding_ed25519_verify_rfc8032");
        memcpy(bad, v->sig, 64);
        bad[5] ^= 4;
        is_int(ed25519_verify(bad, v->msg, v->msg_len, v->pub), ZERR_BADSIG,
               "freestanding_ed25519_verify_rejects_changed_r");
    }
}

/* draft-irtf-cfrg-xchacha-03 A.3.1: key 80..9f, nonce 40..57. */
static void xchacha_vector(void)
{
    static const char pt[] = "Ladies and Gentlemen of the class of '99: If I could offer you only "
                             "one tip for the future, sunscreen would be it.";
    static const uint8_t aad[12] = {0x50, 0x51, 0x52, 0x53, 0xc0, 0xc1,
                                    0xc2, 0xc3, 0xc4, 0xc5, 0xc6, 0xc7};
    static const uint8_t head[8] = {0xbd, 0x6d, 0x17, 0x9d, 0x3e, 0x83, 0xd4, 0x3b};
    static const uint8_t want_tag[16] = {0xc0, 0x87, 0x59, 0x24, 0xc1, 0xc7, 0x98, 0x79,
                                         0x47, 0xde, 0xaf, 0xd8, 0x78, 0x0a, 0xcf, 0x49};
    uint8_t key[32], nonce[24], ct[sizeof(pt)], tag[16], back[sizeof(pt)];
    size_t len = sizeof(pt) - 1;
    for (int i = 0; i < 32; i++) {
        key[i] = (uint8_t)(0x80 + i);
    }
    for (int i = 0; i < 24; i++) {
        nonce[i] = (uint8_t)(0x40 + i);
    }
    xchacha20poly1305_encrypt(ct, tag, (const uint8_t *)pt, len, aad, sizeof(aad), nonce, key);
    is_mem(ct, head, sizeof(head), "freestanding_xchacha20poly1305_ciphertext_draft_a_3_1");
    is_mem(tag, want_tag, 16, "freestanding_xchacha20poly1305_tag_draft_a_3_1");
    ok(xchacha20poly1305_decrypt(back, ct, len, tag, aad, sizeof(aad), nonce, key) == 0 &&
           memcmp(back, pt, len) == 0,
       "freestanding_xchacha20poly1305_round_trip");
    ct[len - 1] ^= 1;
    is_int(xchacha20poly1305_decrypt(back, ct, len, tag, aad, sizeof(aad), nonce, key), ZERR_BADSIG,
           "freestanding_xchacha20poly1305_refuses_changed_byte");
}

static void cbor_round_trip(void)
{
    uint8_t buf[64];
    cbor_enc e;
    cbor_enc_init(&e, buf, sizeof(buf));
    cbor_put_map(&e, 2);
    cbor_put_uint(&e, 1);
    cbor_put_int(&e, -500);
    cbor_put_uint(&e, 2);
    cbor_put_bytes(&e, "zero", 4);
    size_t len = 0;
    static const uint8_t want[] = {0xa2, 0x01, 0x39, 0x01, 0xf3, 0x02, 0x44, 'z', 'e', 'r', 'o'};
    ok(cbor_enc_finish(&e, &len) == 0 && len == sizeof(want) && memcmp(buf, want, len) == 0,
       "freestanding_cbor_encodes_map");
    is_int(cbor_validate(buf, len, 4), 0, "freestanding_cbor_validates_map");
    buf[1] = 0x02; /* keys 2, 2: duplicate */
    is_int(cbor_validate(buf, len, 4), ZERR_NONCANONICAL,
           "freestanding_cbor_rejects_duplicate_key");
}

void crypto_vector_tests(void)
{
    blake3_vectors();
    ed25519_vectors();
    xchacha_vector();
    cbor_round_trip();
}
