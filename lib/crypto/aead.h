/*
 * Authenticated encryption with associated data: ChaCha20-Poly1305
 * (RFC 8439 2.8, 96-bit nonce) and XChaCha20-Poly1305
 * (draft-irtf-cfrg-xchacha-03, 192-bit nonce, safe to choose at random).
 * Freestanding.  Ciphertext and plaintext have the same length; the
 * 16-byte tag travels beside them.
 */
#ifndef ZERO_CRYPTO_AEAD_H
#define ZERO_CRYPTO_AEAD_H

#include <stddef.h>
#include <stdint.h>

#define AEAD_KEY_LEN 32
#define AEAD_TAG_LEN 16
#define CHACHA20POLY1305_NONCE_LEN 12
#define XCHACHA20POLY1305_NONCE_LEN 24

/* Encrypts len bytes of pt into ct (they may be the same buffer) and writes
 * the tag over ad and ct.  ad may be NULL when ad_len is 0.  A (key, nonce)
 * pair must never encrypt two messages. */
void chacha20poly1305_encrypt(uint8_t *ct, uint8_t tag[AEAD_TAG_LEN], const uint8_t *pt, size_t len,
                              const uint8_t *ad, size_t ad_len,
                              const uint8_t nonce[CHACHA20POLY1305_NONCE_LEN],
                              const uint8_t key[AEAD_KEY_LEN]);

/* Checks the tag in constant time, then decrypts ct into pt.  Returns 0, or
 * ZERR_BADSIG when the tag does not match (pt is then all zero). */
int chacha20poly1305_decrypt(uint8_t *pt, const uint8_t *ct, size_t len,
                             const uint8_t tag[AEAD_TAG_LEN], const uint8_t *ad, size_t ad_len,
                             const uint8_t nonce[CHACHA20POLY1305_NONCE_LEN],
                             const uint8_t key[AEAD_KEY_LEN]);

/* As above with a 24-byte nonce: the key for ChaCha20-Poly1305 is
 * HChaCha20(key, nonce[0..16]), its nonce four zero bytes and nonce[16..24]. */
void xchacha20poly1305_encrypt(uint8_t *ct, uint8_t tag[AEAD_TAG_LEN], const uint8_t *pt,
                               size_t len, const uint8_t *ad, size_t ad_len,
                               const uint8_t nonce[XCHACHA20POLY1305_NONCE_LEN],
                               const uint8_t key[AEAD_KEY_LEN]);

int xchacha20poly1305_decrypt(uint8_t *pt, const uint8_t *ct, size_t len,
                              const uint8_t tag[AEAD_TAG_LEN], const uint8_t *ad, size_t ad_len,
                              const uint8_t nonce[XCHACHA20POLY1305_NONCE_LEN],
                              const uint8_t key[AEAD_KEY_LEN]);

#endif
