/*
 * BLAKE3 (https://github.com/BLAKE3-team/BLAKE3-specs): hash, keyed hash,
 * key derivation and extendable output, with a streaming interface.
 *
 * Freestanding: no allocation, no global state.  The hasher is a plain
 * struct the caller owns; it may be copied to fork a stream.  On hosted
 * x86_64 builds the compression of many chunks at once uses SSE4.1, AVX2 or
 * AVX-512 when the CPU has them; results are identical on every path.
 */
#ifndef ZERO_CRYPTO_BLAKE3_H
#define ZERO_CRYPTO_BLAKE3_H

#include <stddef.h>
#include <stdint.h>

#define BLAKE3_OUT_LEN 32
#define BLAKE3_KEY_LEN 32
#define BLAKE3_BLOCK_LEN 64
#define BLAKE3_CHUNK_LEN 1024
#define BLAKE3_MAX_DEPTH 54

/* State of the chunk currently being absorbed. */
typedef struct blake3_chunk_state {
    uint32_t cv[8];
    uint64_t chunk_counter;
    uint8_t buf[BLAKE3_BLOCK_LEN];
    uint8_t buf_len;
    uint8_t blocks_compressed;
    uint8_t flags;
} blake3_chunk_state;

/* A streaming hasher.  Fields are private; the struct is public only so
 * that callers can place it on the stack or inside their own state. */
typedef struct blake3_hasher {
    uint32_t key[8];
    blake3_chunk_state chunk;
    uint8_t cv_stack_len;
    /* One extra entry: a lazily merged subtree may sit on top. */
    uint8_t cv_stack[(BLAKE3_MAX_DEPTH + 1) * BLAKE3_OUT_LEN];
} blake3_hasher;

/* Starts a plain hash. */
void blake3_init(blake3_hasher *h);

/* Starts a keyed hash (a MAC) with a 32-byte key. */
void blake3_init_keyed(blake3_hasher *h, const uint8_t key[BLAKE3_KEY_LEN]);

/* Starts key derivation; context is a NUL-terminated, hard-coded, globally
 * unique string such as "Zero OS 2026 axiom entry key v1". */
void blake3_init_derive_key(blake3_hasher *h, const char *context);

/* Same as blake3_init_derive_key with a context of context_len bytes. */
void blake3_init_derive_key_raw(blake3_hasher *h, const void *context, size_t context_len);

/* Absorbs len bytes; in may be NULL when len is 0. */
void blake3_update(blake3_hasher *h, const void *in, size_t len);

/* Writes out_len bytes of output (any length) without changing h, so more
 * input may follow. */
void blake3_finalize(const blake3_hasher *h, uint8_t *out, size_t out_len);

/* Writes out_len bytes of the extended output starting at byte seek. */
void blake3_finalize_seek(const blake3_hasher *h, uint64_t seek, uint8_t *out, size_t out_len);

/* One-shot 32-byte hash of in. */
void blake3_hash(const void *in, size_t len, uint8_t out[BLAKE3_OUT_LEN]);

/* A message for blake3_hash_short_many: head (head_len bytes) followed by
 * body (body_len bytes), not necessarily adjacent in memory; either part
 * may be empty (and its pointer NULL). */
typedef struct blake3_msg {
    const void *head;
    size_t head_len;
    const void *body;
    size_t body_len;
} blake3_msg;

/* out[i] = blake3_hash of head || body of msgs[i], for n independent
 * messages (a log's records).  Messages of at most BLAKE3_CHUNK_LEN bytes
 * go eight at a time through the vector back end where there is one, read
 * in place (only a block straddling head and body, or a partial last
 * block, is gathered into a padded copy); longer ones are hashed one by
 * one.  The result is the same on every path. */
void blake3_hash_short_many(const blake3_msg *msgs, size_t n, uint8_t (*out)[BLAKE3_OUT_LEN]);

/* One-shot 32-byte keyed hash of in. */
void blake3_keyed_hash(const uint8_t key[BLAKE3_KEY_LEN], const void *in, size_t len,
                       uint8_t out[BLAKE3_OUT_LEN]);

/* One-shot key derivation: out_len bytes derived from key_material under
 * the NUL-terminated context string. */
void blake3_derive_key(const char *context, const void *key_material, size_t len, uint8_t *out,
                       size_t out_len);

/* Parallel hashing (the caller runs these on its own threads).  A subtree
 * is len bytes, a power of two number of whole chunks (at least one),
 * starting at chunk number chunk_counter, a multiple of its chunk count.
 * blake3_subtree_cv writes its chaining value under h's key and mode (h is
 * only read, so threads may share it); it must not be the whole input,
 * whose root is computed differently.  blake3_push_subtree appends such a
 * subtree's chaining value to h, which must stand at a chunk boundary at
 * chunk_counter (no buffered input).  Pushing the subtrees of an input in
 * order and updating with the rest gives the same hash as one update. */
void blake3_subtree_cv(const blake3_hasher *h, const void *in, size_t len, uint64_t chunk_counter,
                       uint8_t cv[BLAKE3_OUT_LEN]);
void blake3_push_subtree(blake3_hasher *h, const uint8_t cv[BLAKE3_OUT_LEN], size_t len);

/* Name of the compression back end chosen for this CPU ("portable",
 * "sse41", "avx2", "avx512"), for benchmarks and diagnostics. */
const char *blake3_backend(void);

#endif
