/*
 * ChaCha20 (RFC 8439: 32-bit block counter, 96-bit nonce) and HChaCha20
 * (draft-irtf-cfrg-xchacha), the stream cipher under the AEAD of
 * crypto/aead.h.  Freestanding.
 */
#ifndef ZERO_CRYPTO_CHACHA20_H
#define ZERO_CRYPTO_CHACHA20_H

#include <stddef.h>
#include <stdint.h>

#define CHACHA20_KEY_LEN 32
#define CHACHA20_NONCE_LEN 12
#define CHACHA20_BLOCK_LEN 64
#define HCHACHA20_NONCE_LEN 16

/* XORs len bytes of in with the key stream starting at block counter and
 * writes them to out (in and out may be the same buffer).  The caller keeps
 * counter + len / 64 below 2^32. */
void chacha20_xor(uint8_t *out, const uint8_t *in, size_t len, const uint8_t key[CHACHA20_KEY_LEN],
                  const uint8_t nonce[CHACHA20_NONCE_LEN], uint32_t counter);

/* HChaCha20: derives a 32-byte subkey from key and a 16-byte nonce. */
void hchacha20(uint8_t out[CHACHA20_KEY_LEN], const uint8_t key[CHACHA20_KEY_LEN],
               const uint8_t nonce[HCHACHA20_NONCE_LEN]);

#endif
