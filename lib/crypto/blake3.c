/*
 * BLAKE3 hasher: chunk state, the stack of subtree chaining values, and the
 * wide (multi-chunk) path that feeds the SIMD back ends.  The tree layout
 * follows the BLAKE3 specification; large updates hash the largest
 * power-of-two subtrees that fit, many chunks per back-end call.
 */
#include "crypto/blake3.h"
#include "crypto/internal/blake3_impl.h"
#include "base/string.h"

#if defined(ZERO_BLAKE3_SIMD)
#define B3_DEGREE_OR_2 B3_MAX_SIMD_DEGREE
#else
#define B3_DEGREE_OR_2 2
#endif

static void hash_short_one(const b3_backend *be, const blake3_msg *m, uint8_t out[BLAKE3_OUT_LEN]);

/* What is needed to produce a chaining value or root output bytes. */
typedef struct b3_output {
    uint32_t input_cv[8];
    uint64_t counter;
    uint8_t block[BLAKE3_BLOCK_LEN];
    uint8_t block_len;
    uint8_t flags;
} b3_output;

/* One-block compression through the back end chosen for this CPU. */
static void compress_in_place(uint32_t cv[8], const uint8_t *block, uint8_t block_len,
                              uint64_t counter, uint8_t flags)
{
    b3_select_backend()->compress_in_place(cv, block, block_len, counter, flags);
}

static void chunk_state_init(blake3_chunk_state *cs, const uint32_t key[8], uint8_t flags)
{
    memcpy(cs->cv, key, sizeof(cs->cv));
    cs->chunk_counter = 0;
    memset(cs->buf, 0, sizeof(cs->buf));
    cs->buf_len = 0;
    cs->blocks_compressed = 0;
    cs->flags = flags;
}

static void chunk_state_reset(blake3_chunk_state *cs, const uint32_t key[8], uint64_t counter)
{
    chunk_state_init(cs, key, cs->flags);
    cs->chunk_counter = counter;
}

static size_t chunk_state_len(const blake3_chunk_state *cs)
{
    return (size_t)BLAKE3_BLOCK_LEN * cs->blocks_compressed + cs->buf_len;
}

static uint8_t chunk_start_flag(const blake3_chunk_state *cs)
{
    return cs->blocks_compressed == 0 ? B3_CHUNK_START : 0;
}

/* Copies up to a block's worth of input into the buffer; returns the count. */
static size_t chunk_state_fill_buf(blake3_chunk_state *cs, const uint8_t *in, size_t len)
{
    size_t take = BLAKE3_BLOCK_LEN - (size_t)cs->buf_len;
    if (take > len) {
        take = len;
    }
    memcpy(cs->buf + cs->buf_len, in, take);
    cs->buf_len = (uint8_t)(cs->buf_len + take);
    return take;
}

/* Absorbs input into the current chunk; the caller keeps the chunk within
 * BLAKE3_CHUNK_LEN bytes.  The last block always stays buffered. */
static void chunk_state_update(blake3_chunk_state *cs, const uint8_t *in, size_t len)
{
    if (cs->buf_len > 0) {
        size_t take = chunk_state_fill_buf(cs, in, len);
        in += take;
        len -= take;
        if (len > 0) {
            compress_in_place(cs->cv, cs->buf, BLAKE3_BLOCK_LEN, cs->chunk_counter,
                              cs->flags | chunk_start_flag(cs));
            cs->blocks_compressed++;
            cs->buf_len = 0;
            memset(cs->buf, 0, sizeof(cs->buf));
        }
    }
    while (len > BLAKE3_BLOCK_LEN) {
        compress_in_place(cs->cv, in, BLAKE3_BLOCK_LEN, cs->chunk_counter,
                          cs->flags | chunk_start_flag(cs));
        cs->blocks_compressed++;
        in += BLAKE3_BLOCK_LEN;
        len -= BLAKE3_BLOCK_LEN;
    }
    chunk_state_fill_buf(cs, in, len);
}

static b3_output make_output(const uint32_t cv[8], const uint8_t block[BLAKE3_BLOCK_LEN],
                             uint8_t block_len, uint64_t counter, uint8_t flags)
{
    b3_output o;
    memcpy(o.input_cv, cv, sizeof(o.input_cv));
    memcpy(o.block, block, BLAKE3_BLOCK_LEN);
    o.block_len = block_len;
    o.counter = counter;
    o.flags = flags;
    return o;
}

static b3_output chunk_state_output(const blake3_chunk_state *cs)
{
    uint8_t flags = cs->flags | chunk_start_flag(cs) | B3_CHUNK_END;
    return make_output(cs->cv, cs->buf, cs->buf_len, cs->chunk_counter, flags);
}

static b3_output parent_output(const uint8_t block[BLAKE3_BLOCK_LEN], const uint32_t key[8],
                               uint8_t flags)
{
    return make_output(key, block, BLAKE3_BLOCK_LEN, 0, flags | B3_PARENT);
}

static void output_chaining_value(const b3_output *o, uint8_t cv[32])
{
    uint32_t words[8];
    memcpy(words, o->input_cv, sizeof(words));
    compress_in_place(words, o->block, o->block_len, o->counter, o->flags);
    b3_store_cv_words(cv, words);
}

/* Writes out_len root output bytes starting at byte seek of the XOF. */
static void output_root_bytes(const b3_output *o, uint64_t seek, uint8_t *out, size_t out_len)
{
    uint64_t block_counter = seek / 64;
    size_t offset = (size_t)(seek % 64);
    uint8_t wide[64];
    while (out_len > 0) {
        b3_select_backend()->compress_xof(o->input_cv, o->block, o->block_len, block_counter,
                                          o->flags | B3_ROOT, wide);
        size_t n = 64 - offset;
        if (n > out_len) {
            n = out_len;
        }
        memcpy(out, wide + offset, n);
        out += n;
        out_len -= n;
        offset = 0;
        block_counter++;
    }
}

/* Counts set bits without __builtin_popcountll, which becomes a libgcc
 * call in freestanding builds without a POPCNT instruction. */
static unsigned popcount64(uint64_t x)
{
    x = x - ((x >> 1) & 0x5555555555555555ULL);
    x = (x & 0x3333333333333333ULL) + ((x >> 2) & 0x3333333333333333ULL);
    x = (x + (x >> 4)) & 0x0f0f0f0f0f0f0f0fULL;
    return (unsigned)((x * 0x0101010101010101ULL) >> 56);
}

static uint64_t round_down_to_power_of_2(uint64_t x)
{
    return 1ULL << (63 - __builtin_clzll(x | 1));
}

/* Size of the left subtree of content_len > BLAKE3_CHUNK_LEN bytes: the
 * largest power-of-two number of chunks that leaves the right side
 * non-empty. */
static size_t left_len(size_t content_len)
{
    size_t full_chunks = (content_len - 1) / BLAKE3_CHUNK_LEN;
    return (size_t)round_down_to_power_of_2(full_chunks) * BLAKE3_CHUNK_LEN;
}

/* Hashes up to degree chunks (the last may be partial) into CVs in out;
 * returns how many. */
static size_t compress_chunks_parallel(const b3_backend *be, const uint8_t *in, size_t len,
                                       const uint32_t key[8], uint64_t counter, uint8_t flags,
                                       uint8_t *out)
{
    const uint8_t *chunks[B3_DEGREE_OR_2];
    size_t n = 0;
    while (len - n * BLAKE3_CHUNK_LEN >= BLAKE3_CHUNK_LEN) {
        chunks[n] = in + n * BLAKE3_CHUNK_LEN;
        n++;
    }
    be->hash_many(chunks, n, BLAKE3_CHUNK_LEN / BLAKE3_BLOCK_LEN, key, counter, true, flags,
                  B3_CHUNK_START, B3_CHUNK_END, out);
    if (len > n * BLAKE3_CHUNK_LEN) {
        blake3_chunk_state cs;
        chunk_state_init(&cs, key, flags);
        cs.chunk_counter = counter + n;
        chunk_state_update(&cs, in + n * BLAKE3_CHUNK_LEN, len - n * BLAKE3_CHUNK_LEN);
        b3_output o = chunk_state_output(&cs);
        output_chaining_value(&o, out + n * BLAKE3_OUT_LEN);
        return n + 1;
    }
    return n;
}

/* Hashes pairs of CVs into parent CVs; an odd last CV is passed through.
 * Returns the number of CVs written to out. */
static size_t compress_parents_parallel(const b3_backend *be, const uint8_t *cvs, size_t num_cvs,
                                        const uint32_t key[8], uint8_t flags, uint8_t *out)
{
    const uint8_t *parents[B3_DEGREE_OR_2];
    size_t n = 0;
    while (num_cvs - 2 * n >= 2) {
        parents[n] = cvs + 2 * n * BLAKE3_OUT_LEN;
        n++;
    }
    be->hash_many(parents, n, 1, key, 0, false, flags | B3_PARENT, 0, 0, out);
    if (num_cvs > 2 * n) {
        memcpy(out + n * BLAKE3_OUT_LEN, cvs + 2 * n * BLAKE3_OUT_LEN, BLAKE3_OUT_LEN);
        return n + 1;
    }
    return n;
}

/* Hashes a subtree of len > 0 bytes starting at chunk counter into at most
 * B3_DEGREE_OR_2 CVs (at least 2 when len spans more than one chunk);
 * returns how many.  Recursion depth is log2 of the chunk count. */
static size_t compress_subtree_wide(const b3_backend *be, const uint8_t *in, size_t len,
                                    const uint32_t key[8], uint64_t counter, uint8_t flags,
                                    uint8_t *out)
{
    if (len <= be->degree * BLAKE3_CHUNK_LEN) {
        return compress_chunks_parallel(be, in, len, key, counter, flags, out);
    }
    size_t left = left_len(len);
    size_t degree = be->degree;
    if (left > BLAKE3_CHUNK_LEN && degree == 1) {
        degree = 2;
    }
    uint8_t cvs[2 * B3_DEGREE_OR_2 * BLAKE3_OUT_LEN];
    size_t left_n = compress_subtree_wide(be, in, left, key, counter, flags, cvs);
    size_t right_n =
        compress_subtree_wide(be, in + left, len - left, key, counter + left / BLAKE3_CHUNK_LEN,
                              flags, cvs + degree * BLAKE3_OUT_LEN);
    if (left_n == 1) {
        memcpy(out, cvs, 2 * BLAKE3_OUT_LEN);
        return 2;
    }
    return compress_parents_parallel(be, cvs, left_n + right_n, key, flags, out);
}

/* Hashes len > BLAKE3_CHUNK_LEN bytes down to the two CVs of the subtree's
 * root children. */
static void compress_subtree_to_parent_node(const b3_backend *be, const uint8_t *in, size_t len,
                                            const uint32_t key[8], uint64_t counter, uint8_t flags,
                                            uint8_t out[2 * BLAKE3_OUT_LEN])
{
    uint8_t cvs[B3_DEGREE_OR_2 * BLAKE3_OUT_LEN];
    size_t n = compress_subtree_wide(be, in, len, key, counter, flags, cvs);
    uint8_t tmp[B3_DEGREE_OR_2 * BLAKE3_OUT_LEN / 2];
    while (n > 2) {
        n = compress_parents_parallel(be, cvs, n, key, flags, tmp);
        memcpy(cvs, tmp, n * BLAKE3_OUT_LEN);
    }
    memcpy(out, cvs, 2 * BLAKE3_OUT_LEN);
}

static void hasher_init_base(blake3_hasher *h, const uint32_t key[8], uint8_t flags)
{
    memcpy(h->key, key, sizeof(h->key));
    chunk_state_init(&h->chunk, key, flags);
    h->cv_stack_len = 0;
}

/* Merges completed subtrees on the CV stack so that it holds one CV per
 * set bit of total_chunks. */
static void hasher_merge_cv_stack(blake3_hasher *h, uint64_t total_chunks)
{
    size_t post_len = popcount64(total_chunks);
    while (h->cv_stack_len > post_len) {
        uint8_t *parent = &h->cv_stack[(h->cv_stack_len - 2) * BLAKE3_OUT_LEN];
        b3_output o = parent_output(parent, h->key, h->chunk.flags);
        output_chaining_value(&o, parent);
        h->cv_stack_len--;
    }
}

static void hasher_push_cv(blake3_hasher *h, const uint8_t cv[BLAKE3_OUT_LEN],
                           uint64_t chunk_counter)
{
    hasher_merge_cv_stack(h, chunk_counter);
    memcpy(&h->cv_stack[h->cv_stack_len * BLAKE3_OUT_LEN], cv, BLAKE3_OUT_LEN);
    h->cv_stack_len++;
}

void blake3_init(blake3_hasher *h)
{
    hasher_init_base(h, b3_iv, 0);
}

void blake3_init_keyed(blake3_hasher *h, const uint8_t key[BLAKE3_KEY_LEN])
{
    uint32_t words[8];
    b3_load_key_words(key, words);
    hasher_init_base(h, words, B3_KEYED_HASH);
}

void blake3_init_derive_key_raw(blake3_hasher *h, const void *context, size_t context_len)
{
    blake3_hasher ctx;
    hasher_init_base(&ctx, b3_iv, B3_DERIVE_KEY_CONTEXT);
    blake3_update(&ctx, context, context_len);
    uint8_t context_key[BLAKE3_KEY_LEN];
    blake3_finalize(&ctx, context_key, BLAKE3_KEY_LEN);
    uint32_t words[8];
    b3_load_key_words(context_key, words);
    hasher_init_base(h, words, B3_DERIVE_KEY_MATERIAL);
}

void blake3_init_derive_key(blake3_hasher *h, const char *context)
{
    blake3_init_derive_key_raw(h, context, strlen(context));
}

/* Finishes the buffered chunk when more input follows it. */
static void hasher_flush_full_chunk(blake3_hasher *h)
{
    b3_output o = chunk_state_output(&h->chunk);
    uint8_t cv[BLAKE3_OUT_LEN];
    output_chaining_value(&o, cv);
    hasher_push_cv(h, cv, h->chunk.chunk_counter);
    chunk_state_reset(&h->chunk, h->key, h->chunk.chunk_counter + 1);
}

/* Hashes one subtree of whole chunks (len a power of two times
 * BLAKE3_CHUNK_LEN, aligned in the stream) onto the CV stack. */
static void hasher_add_subtree(blake3_hasher *h, const b3_backend *be, const uint8_t *in,
                               size_t len)
{
    uint64_t counter = h->chunk.chunk_counter;
    uint64_t chunks = len / BLAKE3_CHUNK_LEN;
    if (len <= BLAKE3_CHUNK_LEN) {
        blake3_chunk_state cs;
        chunk_state_init(&cs, h->key, h->chunk.flags);
        cs.chunk_counter = counter;
        chunk_state_update(&cs, in, len);
        b3_output o = chunk_state_output(&cs);
        uint8_t cv[BLAKE3_OUT_LEN];
        output_chaining_value(&o, cv);
        hasher_push_cv(h, cv, counter);
    } else {
        uint8_t pair[2 * BLAKE3_OUT_LEN];
        compress_subtree_to_parent_node(be, in, len, h->key, counter, h->chunk.flags, pair);
        hasher_push_cv(h, pair, counter);
        hasher_push_cv(h, pair + BLAKE3_OUT_LEN, counter + chunks / 2);
    }
    h->chunk.chunk_counter += chunks;
}

void blake3_subtree_cv(const blake3_hasher *h, const void *in, size_t len, uint64_t chunk_counter,
                       uint8_t cv[BLAKE3_OUT_LEN])
{
    b3_output o;
    if (len <= BLAKE3_CHUNK_LEN) {
        blake3_chunk_state cs;
        chunk_state_init(&cs, h->key, h->chunk.flags);
        cs.chunk_counter = chunk_counter;
        chunk_state_update(&cs, in, len);
        o = chunk_state_output(&cs);
    } else {
        uint8_t pair[2 * BLAKE3_OUT_LEN];
        compress_subtree_to_parent_node(b3_select_backend(), in, len, h->key, chunk_counter,
                                        h->chunk.flags, pair);
        o = parent_output(pair, h->key, h->chunk.flags);
    }
    output_chaining_value(&o, cv);
}

void blake3_push_subtree(blake3_hasher *h, const uint8_t cv[BLAKE3_OUT_LEN], size_t len)
{
    hasher_push_cv(h, cv, h->chunk.chunk_counter);
    h->chunk.chunk_counter += len / BLAKE3_CHUNK_LEN;
}

void blake3_update(blake3_hasher *h, const void *input, size_t len)
{
    const uint8_t *in = (const uint8_t *)input;
    if (len == 0) {
        return;
    }
    if (chunk_state_len(&h->chunk) > 0) {
        size_t take = BLAKE3_CHUNK_LEN - chunk_state_len(&h->chunk);
        if (take > len) {
            take = len;
        }
        chunk_state_update(&h->chunk, in, take);
        in += take;
        len -= take;
        if (len == 0) {
            return;
        }
        hasher_flush_full_chunk(h);
    }
    const b3_backend *be = len > BLAKE3_CHUNK_LEN ? b3_select_backend() : 0;
    while (len > BLAKE3_CHUNK_LEN) {
        uint64_t subtree_len = round_down_to_power_of_2(len);
        uint64_t so_far = h->chunk.chunk_counter * BLAKE3_CHUNK_LEN;
        while (((subtree_len - 1) & so_far) != 0) {
            subtree_len /= 2;
        }
        hasher_add_subtree(h, be, in, (size_t)subtree_len);
        in += subtree_len;
        len -= (size_t)subtree_len;
    }
    if (len > 0) {
        chunk_state_update(&h->chunk, in, len);
        hasher_merge_cv_stack(h, h->chunk.chunk_counter);
    }
}

void blake3_finalize_seek(const blake3_hasher *h, uint64_t seek, uint8_t *out, size_t out_len)
{
    if (out_len == 0) {
        return;
    }
    if (h->cv_stack_len == 0) {
        b3_output o = chunk_state_output(&h->chunk);
        output_root_bytes(&o, seek, out, out_len);
        return;
    }
    b3_output o;
    size_t remaining;
    if (chunk_state_len(&h->chunk) > 0) {
        remaining = h->cv_stack_len;
        o = chunk_state_output(&h->chunk);
    } else {
        remaining = (size_t)h->cv_stack_len - 2;
        o = parent_output(&h->cv_stack[remaining * BLAKE3_OUT_LEN], h->key, h->chunk.flags);
    }
    while (remaining > 0) {
        remaining--;
        uint8_t block[BLAKE3_BLOCK_LEN];
        memcpy(block, &h->cv_stack[remaining * BLAKE3_OUT_LEN], BLAKE3_OUT_LEN);
        output_chaining_value(&o, block + BLAKE3_OUT_LEN);
        o = parent_output(block, h->key, h->chunk.flags);
    }
    output_root_bytes(&o, seek, out, out_len);
}

void blake3_finalize(const blake3_hasher *h, uint8_t *out, size_t out_len)
{
    blake3_finalize_seek(h, 0, out, out_len);
}

void blake3_hash(const void *in, size_t len, uint8_t out[BLAKE3_OUT_LEN])
{
    if (len <= BLAKE3_CHUNK_LEN) { /* one chunk: its blocks in place, no hasher */
        blake3_msg m = {NULL, 0, in, len};
        hash_short_one(b3_select_backend(), &m, out);
        return;
    }
    blake3_hasher h;
    blake3_init(&h);
    blake3_update(&h, in, len);
    blake3_finalize(&h, out, BLAKE3_OUT_LEN);
}

/* A short message's blocks for b3_hash_short8: pointers into the message
 * where a block lies whole in head or body, else a zero-padded copy in
 * spare (two blocks: at most one straddles head and body, and the last may
 * be partial).  Returns the block count (at least 1); *last_len gets the
 * length of the last block.  The message is at most one chunk. */
static size_t short_blocks(const blake3_msg *m, const uint8_t **ptr, size_t stride,
                           uint8_t spare[2][BLAKE3_BLOCK_LEN], uint8_t *last_len)
{
    size_t total = m->head_len + m->body_len;
    size_t nb = total == 0 ? 1 : (total + BLAKE3_BLOCK_LEN - 1) / BLAKE3_BLOCK_LEN;
    const uint8_t *head = m->head, *body = m->body;
    int used = 0;
    for (size_t j = 0; j < nb; j++) {
        size_t lo = j * BLAKE3_BLOCK_LEN;
        size_t len = total - lo < BLAKE3_BLOCK_LEN ? total - lo : BLAKE3_BLOCK_LEN;
        if (len == BLAKE3_BLOCK_LEN && lo + len <= m->head_len) {
            ptr[j * stride] = head + lo;
        } else if (len == BLAKE3_BLOCK_LEN && lo >= m->head_len) {
            ptr[j * stride] = body + (lo - m->head_len);
        } else {
            uint8_t *b = spare[used++];
            size_t from_head = lo < m->head_len ? m->head_len - lo : 0;
            from_head = from_head < len ? from_head : len;
            memset(b, 0, BLAKE3_BLOCK_LEN);
            if (from_head > 0) {
                memcpy(b, head + lo, from_head);
            }
            if (len > from_head) {
                memcpy(b + from_head, body + (lo + from_head - m->head_len), len - from_head);
            }
            ptr[j * stride] = b;
        }
        *last_len = (uint8_t)len;
    }
    return nb;
}

/* One message of at most a chunk, straight from its blocks. */
static void hash_short_one(const b3_backend *be, const blake3_msg *m, uint8_t out[BLAKE3_OUT_LEN])
{
    const uint8_t *ptr[BLAKE3_CHUNK_LEN / BLAKE3_BLOCK_LEN];
    uint8_t spare[2][BLAKE3_BLOCK_LEN];
    uint8_t last = 0;
    size_t nb = short_blocks(m, ptr, 1, spare, &last);
    uint32_t cv[8];
    memcpy(cv, b3_iv, sizeof(cv));
    for (size_t j = 0; j < nb; j++) {
        uint8_t flags = (j == 0 ? B3_CHUNK_START : 0) | (j + 1 == nb ? B3_CHUNK_END | B3_ROOT : 0);
        be->compress_in_place(cv, ptr[j], j + 1 == nb ? last : BLAKE3_BLOCK_LEN, 0, flags);
    }
    b3_store_cv_words(out, cv);
}

void blake3_hash_short_many(const blake3_msg *msgs, size_t n, uint8_t (*out)[BLAKE3_OUT_LEN])
{
    enum { LANES = 8, MAX_BLOCKS = BLAKE3_CHUNK_LEN / BLAKE3_BLOCK_LEN };
    const b3_backend *be = b3_select_backend();
    size_t i = 0;
    while (i < n) {
        size_t group = 0, max_blocks = 0;
        /* The next (up to) eight messages that fit a chunk, in order. */
        size_t idx[LANES];
        while (i + group < n && group < LANES &&
               msgs[i + group].head_len + msgs[i + group].body_len <= BLAKE3_CHUNK_LEN) {
            idx[group] = i + group;
            group++;
        }
        if (group == 0) { /* a long message */
            blake3_hasher h;
            blake3_init(&h);
            blake3_update(&h, msgs[i].head, msgs[i].head_len);
            blake3_update(&h, msgs[i].body, msgs[i].body_len);
            blake3_finalize(&h, out[i], BLAKE3_OUT_LEN);
            i++;
            continue;
        }
        if (be->hash_short8 == NULL || group < LANES / 2) {
            for (size_t k = 0; k < group; k++) {
                hash_short_one(be, &msgs[idx[k]], out[idx[k]]);
            }
            i += group;
            continue;
        }
        const uint8_t *ptr[MAX_BLOCKS * LANES];
        uint8_t spare[LANES][2][BLAKE3_BLOCK_LEN];
        uint8_t nblocks[LANES], last_len[LANES];
        uint8_t cvs[LANES][BLAKE3_OUT_LEN];
        for (size_t k = 0; k < LANES; k++) {
            /* Lanes past the group repeat its first message. */
            const blake3_msg *m = &msgs[idx[k < group ? k : 0]];
            size_t nb = short_blocks(m, ptr + k, LANES, spare[k], &last_len[k]);
            nblocks[k] = (uint8_t)nb;
            max_blocks = nb > max_blocks ? nb : max_blocks;
        }
        /* Steps past a lane's end read its first block again (blended away). */
        for (size_t k = 0; k < LANES; k++) {
            for (size_t j = nblocks[k]; j < max_blocks; j++) {
                ptr[j * LANES + k] = ptr[k];
            }
        }
        be->hash_short8(ptr, nblocks, last_len, max_blocks, b3_iv, 0, &cvs[0][0]);
        for (size_t k = 0; k < group; k++) {
            memcpy(out[idx[k]], cvs[k], BLAKE3_OUT_LEN);
        }
        i += group;
    }
}

void blake3_keyed_hash(const uint8_t key[BLAKE3_KEY_LEN], const void *in, size_t len,
                       uint8_t out[BLAKE3_OUT_LEN])
{
    blake3_hasher h;
    blake3_init_keyed(&h, key);
    blake3_update(&h, in, len);
    blake3_finalize(&h, out, BLAKE3_OUT_LEN);
}

void blake3_derive_key(const char *context, const void *key_material, size_t len, uint8_t *out,
                       size_t out_len)
{
    blake3_hasher h;
    blake3_init_derive_key(&h, context);
    blake3_update(&h, key_material, len);
    blake3_finalize(&h, out, out_len);
}
