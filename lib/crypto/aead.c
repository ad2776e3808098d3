/*
 * ChaCha20-Poly1305 and XChaCha20-Poly1305.
 */
#include "crypto/aead.h"
#include "base/errors.h"
#include "base/string.h"
#include "crypto/chacha20.h"
#include "crypto/ct.h"
#include "crypto/internal/load_store.h"
#include "crypto/poly1305.h"

static void pad16(poly1305_ctx *p, size_t len)
{
    static const uint8_t zero[16];
    if (len % 16 != 0) {
        poly1305_update(p, zero, 16 - len % 16);
    }
}

/* The tag of RFC 8439 2.8 over ad and ct, keyed by block 0 of the stream. */
static void compute_tag(uint8_t tag[AEAD_TAG_LEN], const uint8_t *ct, size_t len, const uint8_t *ad,
                        size_t ad_len, const uint8_t *nonce, const uint8_t *key)
{
    uint8_t otk[CHACHA20_BLOCK_LEN] = {0};
    chacha20_xor(otk, otk, sizeof(otk), key, nonce, 0);
    poly1305_ctx p;
    poly1305_init(&p, otk);
    secure_zero(otk, sizeof(otk));
    poly1305_update(&p, ad, ad_len);
    pad16(&p, ad_len);
    poly1305_update(&p, ct, len);
    pad16(&p, len);
    uint8_t lens[16];
    cr_store64_le(lens, (uint64_t)ad_len);
    cr_store64_le(lens + 8, (uint64_t)len);
    poly1305_update(&p, lens, sizeof(lens));
    poly1305_final(&p, tag);
}

void chacha20poly1305_encrypt(uint8_t *ct, uint8_t tag[AEAD_TAG_LEN], const uint8_t *pt, size_t len,
                              const uint8_t *ad, size_t ad_len,
                              const uint8_t nonce[CHACHA20POLY1305_NONCE_LEN],
                              const uint8_t key[AEAD_KEY_LEN])
{
    chacha20_xor(ct, pt, len, key, nonce, 1);
    compute_tag(tag, ct, len, ad, ad_len, nonce, key);
}

int chacha20poly1305_decrypt(uint8_t *pt, const uint8_t *ct, size_t len,
                             const uint8_t tag[AEAD_TAG_LEN], const uint8_t *ad, size_t ad_len,
                             const uint8_t nonce[CHACHA20POLY1305_NONCE_LEN],
                             const uint8_t key[AEAD_KEY_LEN])
{
    uint8_t want[AEAD_TAG_LEN];
    compute_tag(want, ct, len, ad, ad_len, nonce, key);
    int good = ct_equal(want, tag, AEAD_TAG_LEN);
    secure_zero(want, sizeof(want));
    if (!good) {
        memset(pt, 0, len);
        return ZERR_BADSIG;
    }
    chacha20_xor(pt, ct, len, key, nonce, 1);
    return 0;
}

/* The ChaCha20-Poly1305 key and nonce of an XChaCha20-Poly1305 nonce. */
static void subkey(uint8_t sub[AEAD_KEY_LEN], uint8_t n12[CHACHA20POLY1305_NONCE_LEN],
                   const uint8_t nonce[XCHACHA20POLY1305_NONCE_LEN], const uint8_t *key)
{
    hchacha20(sub, key, nonce);
    memset(n12, 0, 4);
    memcpy(n12 + 4, nonce + 16, 8);
}

void xchacha20poly1305_encrypt(uint8_t *ct, uint8_t tag[AEAD_TAG_LEN], const uint8_t *pt,
                               size_t len, const uint8_t *ad, size_t ad_len,
                               const uint8_t nonce[XCHACHA20POLY1305_NONCE_LEN],
                               const uint8_t key[AEAD_KEY_LEN])
{
    uint8_t sub[AEAD_KEY_LEN], n12[CHACHA20POLY1305_NONCE_LEN];
    subkey(sub, n12, nonce, key);
    chacha20poly1305_encrypt(ct, tag, pt, len, ad, ad_len, n12, sub);
    secure_zero(sub, sizeof(sub));
}

int xchacha20poly1305_decrypt(uint8_t *pt, const uint8_t *ct, size_t len,
                              const uint8_t tag[AEAD_TAG_LEN], const uint8_t *ad, size_t ad_len,
                              const uint8_t nonce[XCHACHA20POLY1305_NONCE_LEN],
                              const uint8_t key[AEAD_KEY_LEN])
{
    uint8_t sub[AEAD_KEY_LEN], n12[CHACHA20POLY1305_NONCE_LEN];
    subkey(sub, n12, nonce, key);
    int err = chacha20poly1305_decrypt(pt, ct, len, tag, ad, ad_len, n12, sub);
    secure_zero(sub, sizeof(sub));
    return err;
}
