/*
 * BLAKE3 internals shared by the portable and SIMD back ends.
 */
#ifndef ZERO_CRYPTO_INTERNAL_BLAKE3_IMPL_H
#define ZERO_CRYPTO_INTERNAL_BLAKE3_IMPL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "crypto/blake3.h"

enum blake3_flags {
    B3_CHUNK_START = 1 << 0,
    B3_CHUNK_END = 1 << 1,
    B3_PARENT = 1 << 2,
    B3_ROOT = 1 << 3,
    B3_KEYED_HASH = 1 << 4,
    B3_DERIVE_KEY_CONTEXT = 1 << 5,
    B3_DERIVE_KEY_MATERIAL = 1 << 6,
};

/* The most inputs any back end hashes in one call (AVX-512: 16). */
#define B3_MAX_SIMD_DEGREE 16

extern const uint32_t b3_iv[8];

static inline uint32_t b3_load32(const void *src)
{
    const uint8_t *p = (const uint8_t *)src;
    return (uint32_t)p[0] | ((uint32_t)p[1] << 8) | ((uint32_t)p[2] << 16) | ((uint32_t)p[3] << 24);
}

static inline void b3_store32(void *dst, uint32_t w)
{
    uint8_t *p = (uint8_t *)dst;
    p[0] = (uint8_t)w;
    p[1] = (uint8_t)(w >> 8);
    p[2] = (uint8_t)(w >> 16);
    p[3] = (uint8_t)(w >> 24);
}

static inline void b3_load_key_words(const uint8_t key[BLAKE3_KEY_LEN], uint32_t words[8])
{
    for (int i = 0; i < 8; i++) {
        words[i] = b3_load32(&key[4 * i]);
    }
}

static inline void b3_store_cv_words(uint8_t out[32], const uint32_t cv[8])
{
    for (int i = 0; i < 8; i++) {
        b3_store32(&out[4 * i], cv[i]);
    }
}

/*
 * A back end.  hash_many hashes num_inputs inputs of blocks whole blocks
 * each (a chunk, or a parent's two child CVs as one block) and writes one
 * 32-byte CV per input to out.  The counter of input i is counter + i when
 * increment_counter, else counter.  flags_start goes on the first block of
 * each input, flags_end on the last.
 */
typedef void (*b3_hash_many_fn)(const uint8_t *const *inputs, size_t num_inputs, size_t blocks,
                                const uint32_t key[8], uint64_t counter, bool increment_counter,
                                uint8_t flags, uint8_t flags_start, uint8_t flags_end,
                                uint8_t *out);

void b3_compress_in_place_portable(uint32_t cv[8], const uint8_t block[BLAKE3_BLOCK_LEN],
                                   uint8_t block_len, uint64_t counter, uint8_t flags);
void b3_compress_xof_portable(const uint32_t cv[8], const uint8_t block[BLAKE3_BLOCK_LEN],
                              uint8_t block_len, uint64_t counter, uint8_t flags, uint8_t out[64]);
void b3_hash_many_portable(const uint8_t *const *inputs, size_t num_inputs, size_t blocks,
                           const uint32_t key[8], uint64_t counter, bool increment_counter,
                           uint8_t flags, uint8_t flags_start, uint8_t flags_end, uint8_t *out);

#if defined(ZERO_BLAKE3_SIMD)
void b3_hash_many_sse41(const uint8_t *const *inputs, size_t num_inputs, size_t blocks,
                        const uint32_t key[8], uint64_t counter, bool increment_counter,
                        uint8_t flags, uint8_t flags_start, uint8_t flags_end, uint8_t *out);
void b3_hash_many_avx2(const uint8_t *const *inputs, size_t num_inputs, size_t blocks,
                       const uint32_t key[8], uint64_t counter, bool increment_counter,
                       uint8_t flags, uint8_t flags_start, uint8_t flags_end, uint8_t *out);
void b3_hash_short8_avx2(const uint8_t *const *blocks, const uint8_t nblocks[8],
                         const uint8_t last_len[8], size_t max_blocks, const uint32_t key[8],
                         uint8_t flags, uint8_t *out);
void b3_hash_many_avx512(const uint8_t *const *inputs, size_t num_inputs, size_t blocks,
                         const uint32_t key[8], uint64_t counter, bool increment_counter,
                         uint8_t flags, uint8_t flags_start, uint8_t flags_end, uint8_t *out);
void b3_compress_in_place_sse41(uint32_t cv[8], const uint8_t block[BLAKE3_BLOCK_LEN],
                                uint8_t block_len, uint64_t counter, uint8_t flags);
void b3_compress_xof_sse41(const uint32_t cv[8], const uint8_t block[BLAKE3_BLOCK_LEN],
                           uint8_t block_len, uint64_t counter, uint8_t flags, uint8_t out[64]);
/* Round r's message words in the order the row-wise one-block code takes
 * them: the column step's four x words, its four y words, then the
 * diagonal step's. */
extern const uint32_t b3_row_schedule[7][16];
void b3_compress_in_place_avx512(uint32_t cv[8], const uint8_t block[BLAKE3_BLOCK_LEN],
                                 uint8_t block_len, uint64_t counter, uint8_t flags);
void b3_compress_xof_avx512(const uint32_t cv[8], const uint8_t block[BLAKE3_BLOCK_LEN],
                            uint8_t block_len, uint64_t counter, uint8_t flags, uint8_t out[64]);
#endif

typedef void (*b3_compress_in_place_fn)(uint32_t cv[8], const uint8_t block[BLAKE3_BLOCK_LEN],
                                        uint8_t block_len, uint64_t counter, uint8_t flags);
typedef void (*b3_compress_xof_fn)(const uint32_t cv[8], const uint8_t block[BLAKE3_BLOCK_LEN],
                                   uint8_t block_len, uint64_t counter, uint8_t flags,
                                   uint8_t out[64]);

/*
 * Hashes 8 independent messages of at most one chunk each into their
 * 32-byte root hashes at out (32 bytes per lane).  Message k has
 * nblocks[k] blocks (1 to 16), the last one last_len[k] bytes long (0 to
 * 64) and zero-padded; block j of message k is at blocks[8 * j + k] for j
 * below max_blocks (the largest nblocks; past a message's end any readable
 * 64 bytes).  flags: 0, or the keyed-hash / key-derivation mode flag.
 */
typedef void (*b3_hash_short8_fn)(const uint8_t *const *blocks, const uint8_t nblocks[8],
                                  const uint8_t last_len[8], size_t max_blocks,
                                  const uint32_t key[8], uint8_t flags, uint8_t *out);

/* The back end for this CPU: how many inputs hash_many handles at once
 * efficiently, and the functions for many inputs and for one block;
 * hash_short8 is NULL where eight short messages cannot go at once. */
typedef struct b3_backend {
    const char *name;
    size_t degree;
    b3_hash_many_fn hash_many;
    b3_compress_in_place_fn compress_in_place;
    b3_compress_xof_fn compress_xof;
    b3_hash_short8_fn hash_short8;
} b3_backend;

const b3_backend *b3_select_backend(void);

#endif
