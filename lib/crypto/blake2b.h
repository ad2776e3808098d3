/*
 * BLAKE2b (RFC 7693): unkeyed and keyed, digests of 1 to 64 bytes,
 * streaming.  Freestanding.  Argon2 (crypto/argon2.h) is built on it.
 */
#ifndef ZERO_CRYPTO_BLAKE2B_H
#define ZERO_CRYPTO_BLAKE2B_H

#include <stddef.h>
#include <stdint.h>

#define BLAKE2B_OUT_MAX 64
#define BLAKE2B_KEY_MAX 64
#define BLAKE2B_BLOCK_LEN 128

typedef struct blake2b_ctx {
    uint64_t h[8];
    uint64_t t[2]; /* bytes compressed so far, 128-bit counter */
    uint8_t buf[BLAKE2B_BLOCK_LEN];
    size_t buf_len;
    size_t out_len;
} blake2b_ctx;

/* Starts a digest of out_len bytes (1..64) keyed with key_len bytes of key
 * (0..64; key may be NULL when key_len is 0).  Returns 0, or ZERR_INVAL for
 * a length out of range (ctx is then unusable). */
int blake2b_init(blake2b_ctx *ctx, size_t out_len, const void *key, size_t key_len);

/* Absorbs len bytes; in may be NULL when len is 0. */
void blake2b_update(blake2b_ctx *ctx, const void *in, size_t len);

/* Writes the out_len-byte digest chosen at init and wipes ctx. */
void blake2b_final(blake2b_ctx *ctx, uint8_t *out);

/* One-shot digest; returns 0 or ZERR_INVAL as blake2b_init. */
int blake2b(uint8_t *out, size_t out_len, const void *key, size_t key_len, const void *in,
            size_t len);

#endif
