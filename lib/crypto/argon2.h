/*
 * Argon2 version 1.3 (RFC 9106): Argon2d, Argon2i and Argon2id, with the
 * optional secret key K and associated data X.  Freestanding: the caller
 * provides the memory (argon2_work_size bytes, 8-byte aligned); lanes are
 * computed one after the other on the calling thread.
 */
#ifndef ZERO_CRYPTO_ARGON2_H
#define ZERO_CRYPTO_ARGON2_H

#include <stddef.h>
#include <stdint.h>

typedef enum argon2_type { ARGON2_D = 0, ARGON2_I = 1, ARGON2_ID = 2 } argon2_type;

#define ARGON2_BLOCK_LEN 1024
#define ARGON2_LANES_MAX 255
#define ARGON2_SALT_MIN 8
#define ARGON2_TAG_MIN 4

typedef struct argon2_params {
    argon2_type type;
    uint32_t t_cost; /* passes over memory, at least 1 */
    uint32_t m_kib;  /* memory in KiB, at least 8 * lanes */
    uint32_t lanes;  /* degree of parallelism p, 1..ARGON2_LANES_MAX */
} argon2_params;

typedef struct argon2_input {
    const void *pwd; /* password P */
    size_t pwd_len;
    const void *salt; /* salt S, at least ARGON2_SALT_MIN bytes */
    size_t salt_len;
    const void *secret; /* secret key K, may be NULL when secret_len is 0 */
    size_t secret_len;
    const void *ad; /* associated data X, may be NULL when ad_len is 0 */
    size_t ad_len;
} argon2_input;

/* Bytes of work memory argon2 needs for m_kib and lanes (the memory rounded
 * down to a multiple of 4 * lanes blocks), or 0 if the pair is invalid. */
size_t argon2_work_size(uint32_t m_kib, uint32_t lanes);

/* Computes the tag_len-byte tag (at least ARGON2_TAG_MIN) of in under
 * params into tag, using work (argon2_work_size bytes, 8-byte aligned),
 * which is wiped before return.  Returns 0, or ZERR_INVAL for a parameter
 * out of range or a work area too small (tag is then unchanged). */
int argon2(const argon2_params *params, const argon2_input *in, uint8_t *tag, size_t tag_len,
           void *work, size_t work_len);

#endif
