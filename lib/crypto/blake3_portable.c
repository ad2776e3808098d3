/*
 * BLAKE3 compression function in portable C.
 */
#include "crypto/internal/blake3_impl.h"
#include "base/string.h"

const uint32_t b3_iv[8] = {0x6A09E667UL, 0xBB67AE85UL, 0x3C6EF372UL, 0xA54FF53AUL,
                           0x510E527FUL, 0x9B05688CUL, 0x1F83D9ABUL, 0x5BE0CD19UL};

static inline uint32_t rotr32(uint32_t w, unsigned c)
{
    return (w >> c) | (w << (32 - c));
}

static inline __attribute__((always_inline)) void g(uint32_t *s, int a, int b, int c, int d,
                                                    uint32_t x, uint32_t y)
{
    s[a] = s[a] + s[b] + x;
    s[d] = rotr32(s[d] ^ s[a], 16);
    s[c] = s[c] + s[d];
    s[b] = rotr32(s[b] ^ s[c], 12);
    s[a] = s[a] + s[b] + y;
    s[d] = rotr32(s[d] ^ s[a], 8);
    s[c] = s[c] + s[d];
    s[b] = rotr32(s[b] ^ s[c], 7);
}

/* The schedule again, file-local so that after unrolling every message
 * index is a constant and the words stay in registers. */
static const uint8_t schedule[7][16] = {
    {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15},
    {2, 6, 3, 10, 7, 0, 4, 13, 1, 11, 12, 5, 9, 14, 15, 8},
    {3, 4, 10, 12, 13, 2, 7, 14, 6, 5, 9, 0, 11, 15, 8, 1},
    {10, 7, 12, 9, 14, 3, 13, 15, 4, 0, 11, 2, 5, 8, 1, 6},
    {12, 13, 9, 11, 15, 10, 14, 8, 7, 2, 5, 3, 0, 1, 6, 4},
    {9, 14, 11, 5, 8, 12, 15, 1, 13, 3, 0, 10, 2, 6, 4, 7},
    {11, 15, 5, 0, 1, 9, 8, 6, 14, 10, 2, 12, 3, 4, 7, 13},
};

static inline __attribute__((always_inline)) void round_fn(uint32_t s[16], const uint32_t *m, int r)
{
    const uint8_t *sch = schedule[r];
    g(s, 0, 4, 8, 12, m[sch[0]], m[sch[1]]);
    g(s, 1, 5, 9, 13, m[sch[2]], m[sch[3]]);
    g(s, 2, 6, 10, 14, m[sch[4]], m[sch[5]]);
    g(s, 3, 7, 11, 15, m[sch[6]], m[sch[7]]);
    g(s, 0, 5, 10, 15, m[sch[8]], m[sch[9]]);
    g(s, 1, 6, 11, 12, m[sch[10]], m[sch[11]]);
    g(s, 2, 7, 8, 13, m[sch[12]], m[sch[13]]);
    g(s, 3, 4, 9, 14, m[sch[14]], m[sch[15]]);
}

/* Runs the seven rounds over one block, leaving the 16-word state in s. */
static void compress_pre(uint32_t s[16], const uint32_t cv[8], const uint8_t *block,
                         uint8_t block_len, uint64_t counter, uint8_t flags)
{
    uint32_t m[16];
    for (int i = 0; i < 16; i++) {
        m[i] = b3_load32(block + 4 * i);
    }
    for (int i = 0; i < 8; i++) {
        s[i] = cv[i];
    }
    s[8] = b3_iv[0];
    s[9] = b3_iv[1];
    s[10] = b3_iv[2];
    s[11] = b3_iv[3];
    s[12] = (uint32_t)counter;
    s[13] = (uint32_t)(counter >> 32);
    s[14] = (uint32_t)block_len;
    s[15] = (uint32_t)flags;
    round_fn(s, m, 0);
    round_fn(s, m, 1);
    round_fn(s, m, 2);
    round_fn(s, m, 3);
    round_fn(s, m, 4);
    round_fn(s, m, 5);
    round_fn(s, m, 6);
}

void b3_compress_in_place_portable(uint32_t cv[8], const uint8_t block[BLAKE3_BLOCK_LEN],
                                   uint8_t block_len, uint64_t counter, uint8_t flags)
{
    uint32_t s[16];
    compress_pre(s, cv, block, block_len, counter, flags);
    for (int i = 0; i < 8; i++) {
        cv[i] = s[i] ^ s[i + 8];
    }
}

void b3_compress_xof_portable(const uint32_t cv[8], const uint8_t block[BLAKE3_BLOCK_LEN],
                              uint8_t block_len, uint64_t counter, uint8_t flags, uint8_t out[64])
{
    uint32_t s[16];
    compress_pre(s, cv, block, block_len, counter, flags);
    for (int i = 0; i < 8; i++) {
        b3_store32(&out[4 * i], s[i] ^ s[i + 8]);
        b3_store32(&out[4 * (i + 8)], s[i + 8] ^ cv[i]);
    }
}

/* Hashes one input of blocks whole blocks into a 32-byte CV. */
static void hash_one(const uint8_t *input, size_t blocks, const uint32_t key[8], uint64_t counter,
                     uint8_t flags, uint8_t flags_start, uint8_t flags_end, uint8_t out[32])
{
    uint32_t cv[8];
    memcpy(cv, key, sizeof(cv));
    uint8_t block_flags = flags | flags_start;
    while (blocks > 0) {
        if (blocks == 1) {
            block_flags |= flags_end;
        }
        b3_compress_in_place_portable(cv, input, BLAKE3_BLOCK_LEN, counter, block_flags);
        input += BLAKE3_BLOCK_LEN;
        blocks--;
        block_flags = flags;
    }
    b3_store_cv_words(out, cv);
}

void b3_hash_many_portable(const uint8_t *const *inputs, size_t num_inputs, size_t blocks,
                           const uint32_t key[8], uint64_t counter, bool increment_counter,
                           uint8_t flags, uint8_t flags_start, uint8_t flags_end, uint8_t *out)
{
    for (size_t i = 0; i < num_inputs; i++) {
        hash_one(inputs[i], blocks, key, counter, flags, flags_start, flags_end, out + 32 * i);
        if (increment_counter) {
            counter++;
        }
    }
}
