/*
 * Argon2 version 1.3 (RFC 9106), one lane after the other.
 *
 * Memory is an array of 1 KiB blocks, lanes x columns, row-major.  Each
 * pass walks four slices; within a slice each lane fills one segment.  A
 * block's reference is chosen from its predecessor's first word (Argon2d,
 * and Argon2id after the first half pass) or from address blocks made by
 * the compression function over a counter (Argon2i, and Argon2id's first
 * half pass), so the memory access pattern of the latter leaks nothing
 * about the password.
 */
#include "crypto/argon2.h"
#include "base/errors.h"
#include "base/string.h"
#include "crypto/blake2b.h"
#include "crypto/ct.h"
#include "crypto/internal/load_store.h"

#define WORDS (ARGON2_BLOCK_LEN / 8)
#define SLICES 4
#define ADDRESSES_PER_BLOCK WORDS
#define VERSION 0x13

typedef struct a2_block {
    uint64_t v[WORDS];
} a2_block;

typedef struct a2_ctx {
    a2_block *mem;
    uint32_t lanes, columns, segment, passes, blocks;
    argon2_type type;
} a2_ctx;

/* BLAKE2b's G with the multiplications Argon2 adds (RFC 9106 3.6). */
static inline uint64_t fblamka(uint64_t x, uint64_t y)
{
    return x + y + 2 * (uint64_t)(uint32_t)x * (uint32_t)y;
}

#define GB(a, b, c, d)                  \
    do {                                \
        (a) = fblamka((a), (b));        \
        (d) = cr_rotr64((d) ^ (a), 32); \
        (c) = fblamka((c), (d));        \
        (b) = cr_rotr64((b) ^ (c), 24); \
        (a) = fblamka((a), (b));        \
        (d) = cr_rotr64((d) ^ (a), 16); \
        (c) = fblamka((c), (d));        \
        (b) = cr_rotr64((b) ^ (c), 63); \
    } while (0)

/* The permutation P of RFC 9106 3.6 over sixteen words. */
static inline void permute(uint64_t x[16])
{
    GB(x[0], x[4], x[8], x[12]);
    GB(x[1], x[5], x[9], x[13]);
    GB(x[2], x[6], x[10], x[14]);
    GB(x[3], x[7], x[11], x[15]);
    GB(x[0], x[5], x[10], x[15]);
    GB(x[1], x[6], x[11], x[12]);
    GB(x[2], x[7], x[8], x[13]);
    GB(x[3], x[4], x[9], x[14]);
}

/* next = G(prev, ref), or next ^= G(prev, ref) when xor_into (passes after
 * the first, version 1.3). */
static void fill_block(const a2_block *prev, const a2_block *ref, a2_block *next, int xor_into)
{
    a2_block r, keep;
    for (int i = 0; i < WORDS; i++) {
        r.v[i] = prev->v[i] ^ ref->v[i];
        keep.v[i] = xor_into ? r.v[i] ^ next->v[i] : r.v[i];
    }
    /* Rows: eight runs of sixteen words.  Columns: word pairs 2i, 2i + 1
     * of every row, gathered and scattered back. */
    for (int i = 0; i < 8; i++) {
        permute(&r.v[16 * i]);
    }
    for (int i = 0; i < 8; i++) {
        uint64_t col[16];
        for (int j = 0; j < 8; j++) {
            col[2 * j] = r.v[16 * j + 2 * i];
            col[2 * j + 1] = r.v[16 * j + 2 * i + 1];
        }
        permute(col);
        for (int j = 0; j < 8; j++) {
            r.v[16 * j + 2 * i] = col[2 * j];
            r.v[16 * j + 2 * i + 1] = col[2 * j + 1];
        }
    }
    for (int i = 0; i < WORDS; i++) {
        next->v[i] = keep.v[i] ^ r.v[i];
    }
}

static void b2_u32(blake2b_ctx *b, uint32_t x)
{
    uint8_t le[4];
    cr_store32_le(le, x);
    blake2b_update(b, le, 4);
}

/* H' of RFC 9106 3.3: a hash of any length out_len from BLAKE2b. */
static void hprime(uint8_t *out, size_t out_len, const void *in, size_t in_len)
{
    blake2b_ctx ctx;
    blake2b_init(&ctx, out_len <= BLAKE2B_OUT_MAX ? out_len : BLAKE2B_OUT_MAX, NULL, 0);
    b2_u32(&ctx, (uint32_t)out_len);
    blake2b_update(&ctx, in, in_len);
    if (out_len <= BLAKE2B_OUT_MAX) {
        blake2b_final(&ctx, out);
        return;
    }
    uint8_t v[BLAKE2B_OUT_MAX];
    blake2b_final(&ctx, v);
    memcpy(out, v, 32);
    out += 32;
    out_len -= 32;
    while (out_len > BLAKE2B_OUT_MAX) {
        blake2b(v, BLAKE2B_OUT_MAX, NULL, 0, v, BLAKE2B_OUT_MAX);
        memcpy(out, v, 32);
        out += 32;
        out_len -= 32;
    }
    blake2b(v, out_len, NULL, 0, v, BLAKE2B_OUT_MAX);
    memcpy(out, v, out_len);
    secure_zero(v, sizeof(v));
}

static void b2_field(blake2b_ctx *b, const void *p, size_t len)
{
    b2_u32(b, (uint32_t)len);
    blake2b_update(b, p, len);
}

/* H0 of RFC 9106 3.2 step 1. */
static void initial_hash(uint8_t h0[64], const argon2_params *pr, const argon2_input *in,
                         uint32_t tag_len)
{
    blake2b_ctx b;
    blake2b_init(&b, 64, NULL, 0);
    b2_u32(&b, pr->lanes);
    b2_u32(&b, tag_len);
    b2_u32(&b, pr->m_kib);
    b2_u32(&b, pr->t_cost);
    b2_u32(&b, VERSION);
    b2_u32(&b, (uint32_t)pr->type);
    b2_field(&b, in->pwd, in->pwd_len);
    b2_field(&b, in->salt, in->salt_len);
    b2_field(&b, in->secret, in->secret_len);
    b2_field(&b, in->ad, in->ad_len);
    blake2b_final(&b, h0);
}

static void block_from_bytes(a2_block *blk, const uint8_t *p)
{
    for (int i = 0; i < WORDS; i++) {
        blk->v[i] = cr_load64_le(p + 8 * i);
    }
}

static void block_to_bytes(uint8_t *p, const a2_block *blk)
{
    for (int i = 0; i < WORDS; i++) {
        cr_store64_le(p + 8 * i, blk->v[i]);
    }
}

/* The first two blocks of every lane from H0. */
static void first_blocks(const a2_ctx *c, const uint8_t h0[64])
{
    uint8_t seed[72], bytes[ARGON2_BLOCK_LEN];
    memcpy(seed, h0, 64);
    for (uint32_t l = 0; l < c->lanes; l++) {
        for (uint32_t i = 0; i < 2; i++) {
            cr_store32_le(seed + 64, i);
            cr_store32_le(seed + 68, l);
            hprime(bytes, sizeof(bytes), seed, sizeof(seed));
            block_from_bytes(&c->mem[l * c->columns + i], bytes);
        }
    }
    secure_zero(seed, sizeof(seed));
    secure_zero(bytes, sizeof(bytes));
}

/* The next block of data-independent addresses (RFC 9106 3.4.1.2). */
static void next_addresses(a2_block *addr, a2_block *input)
{
    static const a2_block zero;
    a2_block tmp;
    input->v[6]++;
    fill_block(&zero, input, &tmp, 0);
    fill_block(&zero, &tmp, addr, 0);
}

/* Maps the pseudo-random word to a column of ref_lane (RFC 9106 3.4.2). */
static uint32_t ref_column(const a2_ctx *c, uint32_t pass, uint32_t slice, uint32_t index,
                           uint64_t rand, int same_lane)
{
    uint32_t area;
    if (pass == 0) {
        area = slice * c->segment;
    } else {
        area = c->columns - c->segment;
    }
    if (same_lane) {
        area += index - 1;
    } else if (index == 0) {
        area -= 1;
    }
    uint64_t j1 = (uint32_t)rand;
    j1 = (j1 * j1) >> 32;
    uint32_t rel = area - 1 - (uint32_t)(((uint64_t)area * j1) >> 32);
    uint32_t start = 0;
    if (pass != 0 && slice != SLICES - 1) {
        start = (slice + 1) * c->segment;
    }
    return (start + rel) % c->columns;
}

static void fill_segment(const a2_ctx *c, uint32_t pass, uint32_t slice, uint32_t lane)
{
    int indep = c->type == ARGON2_I || (c->type == ARGON2_ID && pass == 0 && slice < 2);
    a2_block addr, input;
    if (indep) {
        memset(&input, 0, sizeof(input));
        input.v[0] = pass;
        input.v[1] = lane;
        input.v[2] = slice;
        input.v[3] = c->blocks;
        input.v[4] = c->passes;
        input.v[5] = (uint64_t)c->type;
    }
    uint32_t index = 0;
    if (pass == 0 && slice == 0) {
        index = 2;
        if (indep) {
            next_addresses(&addr, &input);
        }
    }
    uint32_t col = slice * c->segment + index;
    a2_block *row = &c->mem[(size_t)lane * c->columns];
    for (; index < c->segment; index++, col++) {
        const a2_block *prev = &row[col == 0 ? c->columns - 1 : col - 1];
        uint64_t rand;
        if (indep) {
            if (index % ADDRESSES_PER_BLOCK == 0) {
                next_addresses(&addr, &input);
            }
            rand = addr.v[index % ADDRESSES_PER_BLOCK];
        } else {
            rand = prev->v[0];
        }
        uint32_t ref_lane = (uint32_t)(rand >> 32) % c->lanes;
        if (pass == 0 && slice == 0) {
            ref_lane = lane;
        }
        uint32_t ref = ref_column(c, pass, slice, index, rand, ref_lane == lane);
        fill_block(prev, &c->mem[(size_t)ref_lane * c->columns + ref], &row[col], pass != 0);
    }
}

size_t argon2_work_size(uint32_t m_kib, uint32_t lanes)
{
    if (lanes == 0 || lanes > ARGON2_LANES_MAX || m_kib < 8 * lanes) {
        return 0;
    }
    uint32_t blocks = m_kib / (4 * lanes) * (4 * lanes);
    return (size_t)blocks * ARGON2_BLOCK_LEN;
}

static int check(const argon2_params *pr, const argon2_input *in, size_t tag_len, const void *work,
                 size_t work_len)
{
    size_t need = argon2_work_size(pr->m_kib, pr->lanes);
    if (need == 0 || pr->t_cost == 0 || tag_len < ARGON2_TAG_MIN || tag_len > UINT32_MAX ||
        in->salt_len < ARGON2_SALT_MIN || work_len < need || ((uintptr_t)work & 7) != 0) {
        return ZERR_INVAL;
    }
    if (pr->type != ARGON2_D && pr->type != ARGON2_I && pr->type != ARGON2_ID) {
        return ZERR_INVAL;
    }
    if ((in->pwd == NULL && in->pwd_len != 0) || in->salt == NULL ||
        (in->secret == NULL && in->secret_len != 0) || (in->ad == NULL && in->ad_len != 0)) {
        return ZERR_INVAL;
    }
    if (in->pwd_len > UINT32_MAX || in->salt_len > UINT32_MAX || in->secret_len > UINT32_MAX ||
        in->ad_len > UINT32_MAX) {
        return ZERR_INVAL;
    }
    return 0;
}

int argon2(const argon2_params *params, const argon2_input *in, uint8_t *tag, size_t tag_len,
           void *work, size_t work_len)
{
    int err = check(params, in, tag_len, work, work_len);
    if (err != 0) {
        return err;
    }
    a2_ctx c = {
        .mem = work, .lanes = params->lanes, .passes = params->t_cost, .type = params->type};
    c.blocks = (uint32_t)(argon2_work_size(params->m_kib, params->lanes) / ARGON2_BLOCK_LEN);
    c.columns = c.blocks / c.lanes;
    c.segment = c.columns / SLICES;

    uint8_t h0[64];
    initial_hash(h0, params, in, (uint32_t)tag_len);
    first_blocks(&c, h0);
    secure_zero(h0, sizeof(h0));
    for (uint32_t pass = 0; pass < c.passes; pass++) {
        for (uint32_t slice = 0; slice < SLICES; slice++) {
            for (uint32_t lane = 0; lane < c.lanes; lane++) {
                fill_segment(&c, pass, slice, lane);
            }
        }
    }
    a2_block final = c.mem[c.columns - 1];
    for (uint32_t l = 1; l < c.lanes; l++) {
        const a2_block *last = &c.mem[(size_t)l * c.columns + c.columns - 1];
        for (int i = 0; i < WORDS; i++) {
            final.v[i] ^= last->v[i];
        }
    }
    uint8_t bytes[ARGON2_BLOCK_LEN];
    block_to_bytes(bytes, &final);
    hprime(tag, tag_len, bytes, sizeof(bytes));
    secure_zero(bytes, sizeof(bytes));
    secure_zero(&final, sizeof(final));
    secure_zero(work, (size_t)c.blocks * ARGON2_BLOCK_LEN);
    return 0;
}
