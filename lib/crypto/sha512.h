/*
 * SHA-512 (FIPS 180-4), as Ed25519 needs it.  Freestanding, streaming.
 */
#ifndef ZERO_CRYPTO_SHA512_H
#define ZERO_CRYPTO_SHA512_H

#include <stddef.h>
#include <stdint.h>

#define SHA512_OUT_LEN 64
#define SHA512_BLOCK_LEN 128

typedef struct sha512_ctx {
    uint64_t state[8];
    uint64_t count; /* bytes absorbed so far (messages below 2^64 bytes) */
    uint8_t buf[SHA512_BLOCK_LEN];
    size_t buf_len;
} sha512_ctx;

/* Starts a new digest. */
void sha512_init(sha512_ctx *ctx);

/* Absorbs len bytes; in may be NULL when len is 0. */
void sha512_update(sha512_ctx *ctx, const void *in, size_t len);

/* Writes the digest and wipes ctx; call sha512_init to reuse it. */
void sha512_final(sha512_ctx *ctx, uint8_t out[SHA512_OUT_LEN]);

/* One-shot digest of in. */
void sha512(const void *in, size_t len, uint8_t out[SHA512_OUT_LEN]);

#endif
