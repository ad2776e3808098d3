/*
 * Poly1305 in radix 2^26: the accumulator h and the key part r in five
 * limbs, products in 64 bits, reduction modulo 2^130 - 5 by folding the
 * carry out of the top limb back in times five.  Branch-free.
 */
#include "crypto/poly1305.h"
#include "base/string.h"
#include "crypto/ct.h"
#include "crypto/internal/load_store.h"

#define M26 0x3ffffffu

void poly1305_init(poly1305_ctx *ctx, const uint8_t key[POLY1305_KEY_LEN])
{
    /* r with the bits RFC 8439 clamps cleared. */
    ctx->r[0] = cr_load32_le(key + 0) & 0x3ffffff;
    ctx->r[1] = (cr_load32_le(key + 3) >> 2) & 0x3ffff03;
    ctx->r[2] = (cr_load32_le(key + 6) >> 4) & 0x3ffc0ff;
    ctx->r[3] = (cr_load32_le(key + 9) >> 6) & 0x3f03fff;
    ctx->r[4] = (cr_load32_le(key + 12) >> 8) & 0x00fffff;
    for (int i = 0; i < 5; i++) {
        ctx->h[i] = 0;
    }
    for (int i = 0; i < 4; i++) {
        ctx->pad[i] = cr_load32_le(key + 16 + 4 * i);
    }
    ctx->buf_len = 0;
}

/* h = (h + block + hibit * 2^128) * r mod 2^130 - 5, partially reduced. */
static void block(poly1305_ctx *ctx, const uint8_t m[16], uint32_t hibit)
{
    const uint32_t *r = ctx->r;
    uint32_t *h = ctx->h;
    uint32_t s1 = r[1] * 5, s2 = r[2] * 5, s3 = r[3] * 5, s4 = r[4] * 5;
    uint64_t h0 = h[0] + (cr_load32_le(m + 0) & M26);
    uint64_t h1 = h[1] + ((cr_load32_le(m + 3) >> 2) & M26);
    uint64_t h2 = h[2] + ((cr_load32_le(m + 6) >> 4) & M26);
    uint64_t h3 = h[3] + ((cr_load32_le(m + 9) >> 6) & M26);
    uint64_t h4 = h[4] + ((cr_load32_le(m + 12) >> 8) | hibit);
    uint64_t d0 = h0 * r[0] + h1 * s4 + h2 * s3 + h3 * s2 + h4 * s1;
    uint64_t d1 = h0 * r[1] + h1 * r[0] + h2 * s4 + h3 * s3 + h4 * s2;
    uint64_t d2 = h0 * r[2] + h1 * r[1] + h2 * r[0] + h3 * s4 + h4 * s3;
    uint64_t d3 = h0 * r[3] + h1 * r[2] + h2 * r[1] + h3 * r[0] + h4 * s4;
    uint64_t d4 = h0 * r[4] + h1 * r[3] + h2 * r[2] + h3 * r[1] + h4 * r[0];
    d1 += d0 >> 26;
    d2 += d1 >> 26;
    d3 += d2 >> 26;
    d4 += d3 >> 26;
    uint64_t c = d4 >> 26;
    h[4] = (uint32_t)d4 & M26;
    uint64_t t0 = ((uint32_t)d0 & M26) + c * 5;
    h[0] = (uint32_t)t0 & M26;
    h[1] = ((uint32_t)d1 & M26) + (uint32_t)(t0 >> 26);
    h[2] = (uint32_t)d2 & M26;
    h[3] = (uint32_t)d3 & M26;
}

void poly1305_update(poly1305_ctx *ctx, const void *in, size_t len)
{
    const uint8_t *p = in;
    if (ctx->buf_len > 0) {
        size_t take = 16 - ctx->buf_len;
        take = take < len ? take : len;
        memcpy(ctx->buf + ctx->buf_len, p, take);
        ctx->buf_len += take;
        p += take;
        len -= take;
        if (ctx->buf_len < 16) {
            return;
        }
        block(ctx, ctx->buf, 1u << 24);
        ctx->buf_len = 0;
    }
    for (; len >= 16; p += 16, len -= 16) {
        block(ctx, p, 1u << 24);
    }
    if (len > 0) {
        memcpy(ctx->buf, p, len);
        ctx->buf_len = len;
    }
}

void poly1305_final(poly1305_ctx *ctx, uint8_t tag[POLY1305_TAG_LEN])
{
    if (ctx->buf_len > 0) {
        /* The last partial block carries its 1 bit inside the 16 bytes. */
        ctx->buf[ctx->buf_len] = 1;
        memset(ctx->buf + ctx->buf_len + 1, 0, 16 - ctx->buf_len - 1);
        block(ctx, ctx->buf, 0);
    }
    uint32_t h0 = ctx->h[0], h1 = ctx->h[1], h2 = ctx->h[2], h3 = ctx->h[3], h4 = ctx->h[4];
    /* Full carry, then h - p chosen without a branch when h >= p. */
    uint32_t c = h1 >> 26;
    h1 &= M26;
    h2 += c;
    c = h2 >> 26;
    h2 &= M26;
    h3 += c;
    c = h3 >> 26;
    h3 &= M26;
    h4 += c;
    c = h4 >> 26;
    h4 &= M26;
    h0 += c * 5;
    c = h0 >> 26;
    h0 &= M26;
    h1 += c;
    uint32_t g0 = h0 + 5;
    c = g0 >> 26;
    g0 &= M26;
    uint32_t g1 = h1 + c;
    c = g1 >> 26;
    g1 &= M26;
    uint32_t g2 = h2 + c;
    c = g2 >> 26;
    g2 &= M26;
    uint32_t g3 = h3 + c;
    c = g3 >> 26;
    g3 &= M26;
    uint32_t g4 = h4 + c - (1u << 26);
    uint32_t keep_g = (g4 >> 31) - 1; /* all ones when h >= p */
    h0 = (h0 & ~keep_g) | (g0 & keep_g);
    h1 = (h1 & ~keep_g) | (g1 & keep_g);
    h2 = (h2 & ~keep_g) | (g2 & keep_g);
    h3 = (h3 & ~keep_g) | (g3 & keep_g);
    h4 = (h4 & ~keep_g) | (g4 & keep_g);
    /* h + pad mod 2^128. */
    uint64_t f = (uint64_t)(h0 | h1 << 26) + ctx->pad[0];
    cr_store32_le(tag + 0, (uint32_t)f);
    f = (uint64_t)(h1 >> 6 | h2 << 20) + ctx->pad[1] + (f >> 32);
    cr_store32_le(tag + 4, (uint32_t)f);
    f = (uint64_t)(h2 >> 12 | h3 << 14) + ctx->pad[2] + (f >> 32);
    cr_store32_le(tag + 8, (uint32_t)f);
    f = (uint64_t)(h3 >> 18 | h4 << 8) + ctx->pad[3] + (f >> 32);
    cr_store32_le(tag + 12, (uint32_t)f);
    secure_zero(ctx, sizeof(*ctx));
}
