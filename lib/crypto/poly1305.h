/*
 * Poly1305 one-time authenticator (RFC 8439 2.5), streaming.  Freestanding;
 * 26-bit limbs and 64-bit products, the same code on 32- and 64-bit targets.
 */
#ifndef ZERO_CRYPTO_POLY1305_H
#define ZERO_CRYPTO_POLY1305_H

#include <stddef.h>
#include <stdint.h>

#define POLY1305_KEY_LEN 32
#define POLY1305_TAG_LEN 16

typedef struct poly1305_ctx {
    uint32_t r[5], h[5], pad[4];
    uint8_t buf[16];
    size_t buf_len;
} poly1305_ctx;

/* Starts a tag under a one-time key (never use a key for two messages). */
void poly1305_init(poly1305_ctx *ctx, const uint8_t key[POLY1305_KEY_LEN]);

/* Absorbs len bytes; in may be NULL when len is 0. */
void poly1305_update(poly1305_ctx *ctx, const void *in, size_t len);

/* Writes the tag and wipes ctx. */
void poly1305_final(poly1305_ctx *ctx, uint8_t tag[POLY1305_TAG_LEN]);

#endif
