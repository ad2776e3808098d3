/*
 * BLAKE2b (RFC 7693).
 */
#include "crypto/blake2b.h"
#include "base/errors.h"
#include "base/string.h"
#include "crypto/ct.h"
#include "crypto/internal/load_store.h"

static const uint64_t IV[8] = {
    0x6a09e667f3bcc908ULL, 0xbb67ae8584caa73bULL, 0x3c6ef372fe94f82bULL, 0xa54ff53a5f1d36f1ULL,
    0x510e527fade682d1ULL, 0x9b05688c2b3e6c1fULL, 0x1f83d9abfb41bd6bULL, 0x5be0cd19137e2179ULL,
};

static const uint8_t SIGMA[12][16] = {
    {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15},
    {14, 10, 4, 8, 9, 15, 13, 6, 1, 12, 0, 2, 11, 7, 5, 3},
    {11, 8, 12, 0, 5, 2, 15, 13, 10, 14, 3, 6, 7, 1, 9, 4},
    {7, 9, 3, 1, 13, 12, 11, 14, 2, 6, 5, 10, 4, 0, 15, 8},
    {9, 0, 5, 7, 2, 4, 10, 15, 14, 1, 11, 12, 6, 8, 3, 13},
    {2, 12, 6, 10, 0, 11, 8, 3, 4, 13, 7, 5, 15, 14, 1, 9},
    {12, 5, 1, 15, 14, 13, 4, 10, 0, 7, 6, 3, 9, 2, 8, 11},
    {13, 11, 7, 14, 12, 1, 3, 9, 5, 0, 15, 4, 8, 6, 2, 10},
    {6, 15, 14, 9, 11, 3, 0, 8, 12, 2, 13, 7, 1, 4, 10, 5},
    {10, 2, 8, 4, 7, 6, 1, 5, 15, 11, 9, 14, 3, 12, 13, 0},
    {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15},
    {14, 10, 4, 8, 9, 15, 13, 6, 1, 12, 0, 2, 11, 7, 5, 3},
};

#define G(a, b, c, d, x, y)             \
    do {                                \
        (a) = (a) + (b) + (x);          \
        (d) = cr_rotr64((d) ^ (a), 32); \
        (c) = (c) + (d);                \
        (b) = cr_rotr64((b) ^ (c), 24); \
        (a) = (a) + (b) + (y);          \
        (d) = cr_rotr64((d) ^ (a), 16); \
        (c) = (c) + (d);                \
        (b) = cr_rotr64((b) ^ (c), 63); \
    } while (0)

/* Compresses one block; last marks the final block of the message. */
static void compress(blake2b_ctx *ctx, const uint8_t *block, int last)
{
    uint64_t m[16], v[16];
    for (int i = 0; i < 16; i++) {
        m[i] = cr_load64_le(block + 8 * i);
    }
    for (int i = 0; i < 8; i++) {
        v[i] = ctx->h[i];
        v[i + 8] = IV[i];
    }
    v[12] ^= ctx->t[0];
    v[13] ^= ctx->t[1];
    if (last) {
        v[14] = ~v[14];
    }
    for (int r = 0; r < 12; r++) {
        const uint8_t *s = SIGMA[r];
        G(v[0], v[4], v[8], v[12], m[s[0]], m[s[1]]);
        G(v[1], v[5], v[9], v[13], m[s[2]], m[s[3]]);
        G(v[2], v[6], v[10], v[14], m[s[4]], m[s[5]]);
        G(v[3], v[7], v[11], v[15], m[s[6]], m[s[7]]);
        G(v[0], v[5], v[10], v[15], m[s[8]], m[s[9]]);
        G(v[1], v[6], v[11], v[12], m[s[10]], m[s[11]]);
        G(v[2], v[7], v[8], v[13], m[s[12]], m[s[13]]);
        G(v[3], v[4], v[9], v[14], m[s[14]], m[s[15]]);
    }
    for (int i = 0; i < 8; i++) {
        ctx->h[i] ^= v[i] ^ v[i + 8];
    }
}

static void count(blake2b_ctx *ctx, size_t n)
{
    ctx->t[0] += n;
    if (ctx->t[0] < n) {
        ctx->t[1]++;
    }
}

int blake2b_init(blake2b_ctx *ctx, size_t out_len, const void *key, size_t key_len)
{
    if (out_len == 0 || out_len > BLAKE2B_OUT_MAX || key_len > BLAKE2B_KEY_MAX ||
        (key == NULL && key_len != 0)) {
        return ZERR_INVAL;
    }
    for (int i = 0; i < 8; i++) {
        ctx->h[i] = IV[i];
    }
    /* Parameter block: digest length, key length, fanout 1, depth 1. */
    ctx->h[0] ^= 0x01010000ULL ^ ((uint64_t)key_len << 8) ^ (uint64_t)out_len;
    ctx->t[0] = 0;
    ctx->t[1] = 0;
    ctx->buf_len = 0;
    ctx->out_len = out_len;
    if (key_len > 0) {
        memset(ctx->buf, 0, sizeof(ctx->buf));
        memcpy(ctx->buf, key, key_len);
        ctx->buf_len = BLAKE2B_BLOCK_LEN;
    }
    return 0;
}

void blake2b_update(blake2b_ctx *ctx, const void *in, size_t len)
{
    const uint8_t *p = in;
    while (len > 0) {
        /* The last block is compressed by final, so a full buffer waits
         * until more input shows it is not the last. */
        if (ctx->buf_len == BLAKE2B_BLOCK_LEN) {
            count(ctx, BLAKE2B_BLOCK_LEN);
            compress(ctx, ctx->buf, 0);
            ctx->buf_len = 0;
        }
        size_t take = BLAKE2B_BLOCK_LEN - ctx->buf_len;
        take = take < len ? take : len;
        memcpy(ctx->buf + ctx->buf_len, p, take);
        ctx->buf_len += take;
        p += take;
        len -= take;
    }
}

void blake2b_final(blake2b_ctx *ctx, uint8_t *out)
{
    count(ctx, ctx->buf_len);
    memset(ctx->buf + ctx->buf_len, 0, BLAKE2B_BLOCK_LEN - ctx->buf_len);
    compress(ctx, ctx->buf, 1);
    uint8_t full[BLAKE2B_OUT_MAX];
    for (int i = 0; i < 8; i++) {
        cr_store64_le(full + 8 * i, ctx->h[i]);
    }
    memcpy(out, full, ctx->out_len);
    secure_zero(full, sizeof(full));
    secure_zero(ctx, sizeof(*ctx));
}

int blake2b(uint8_t *out, size_t out_len, const void *key, size_t key_len, const void *in,
            size_t len)
{
    blake2b_ctx ctx;
    int err = blake2b_init(&ctx, out_len, key, key_len);
    if (err != 0) {
        return err;
    }
    blake2b_update(&ctx, in, len);
    blake2b_final(&ctx, out);
    return 0;
}
