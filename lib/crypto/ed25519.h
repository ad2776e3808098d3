/*
 * Ed25519 signatures (RFC 8032, pure Ed25519, no context or prehash).
 *
 * Keys are the RFC's 32-byte seed (the private key) and 32-byte public key.
 * Everything that touches the seed or the nonce runs in constant time: no
 * branch and no memory index depends on a secret.  Verification is strict;
 * docs/crypto.md lists exactly which encodings it accepts.
 */
#ifndef ZERO_CRYPTO_ED25519_H
#define ZERO_CRYPTO_ED25519_H

#include <stddef.h>
#include <stdint.h>

#define ED25519_SEED_LEN 32
#define ED25519_PUB_LEN 32
#define ED25519_SIG_LEN 64

/* Derives the public key from a 32-byte seed. */
void ed25519_pubkey(uint8_t pub[32], const uint8_t seed[32]);

/* Signs msg (len bytes; msg may be NULL when len is 0) with seed, whose
 * public key pub must be (it is used as-is, not recomputed). */
void ed25519_sign(uint8_t sig[64], const void *msg, size_t len, const uint8_t seed[32],
                  const uint8_t pub[32]);

/* Verifies sig over msg under pub.  Returns 0 if the signature is valid,
 * ZERR_BADSIG otherwise (including non-canonical or small-order encodings
 * and S >= L).  Runs in variable time: every input is public. */
int ed25519_verify(const uint8_t sig[64], const void *msg, size_t len, const uint8_t pub[32]);

/*
 * A public key decoded once for many verifications (a log's node key
 * checked at every checkpoint).  It holds the decompressed point and tables
 * of its multiples; treat it as opaque.  About 2.7 KiB.
 */
#define ED25519_VKEY_WORDS 336
typedef struct ed25519_vkey {
    uint8_t pub[ED25519_PUB_LEN]; /* the encoding it was expanded from */
    uint32_t valid;               /* 1 once ed25519_pubkey_expand accepted pub */
    uint64_t opaque[ED25519_VKEY_WORDS];
} ed25519_vkey;

/* Decodes pub into vk for ed25519_verify_expanded.  Returns 0, or
 * ZERR_BADSIG (vk then verifies nothing) for an encoding ed25519_verify
 * would refuse: not on the curve, non-canonical, or of small order. */
int ed25519_pubkey_expand(ed25519_vkey *vk, const uint8_t pub[32]);

/* Verifies sig over msg under the expanded key: the same answer as
 * ed25519_verify(sig, msg, len, vk->pub) for every input (it computes the
 * same point [S]B - [k]A, with half the doublings), only faster.  Returns 0
 * or ZERR_BADSIG.  Variable time: every input is public. */
int ed25519_verify_expanded(const uint8_t sig[64], const void *msg, size_t len,
                            const ed25519_vkey *vk);

/*
 * One signature of a batch: sig over msg (len bytes) under the expanded key
 * vk (which may be shared by several items).
 */
typedef struct ed25519_batch_item {
    const uint8_t *sig; /* ED25519_SIG_LEN bytes */
    const void *msg;
    size_t len;
    const ed25519_vkey *vk;
} ed25519_batch_item;

/* Items verified together: the stack holds two points' worth per item. */
#define ED25519_BATCH_CHUNK 32

/*
 * Verifies items[0..n) and returns the index of the first item whose
 * signature ed25519_verify_expanded refuses, or n if every one verifies.
 * Each item gets exactly ed25519_verify_expanded's answer (the same checks
 * and the same point [S]B - [k]A, whose encoding is compared with R); what
 * the batch shares is the field inversion of that encoding, one for up to
 * ED25519_BATCH_CHUNK items.  docs/crypto.md says why it is not a random
 * linear combination.  Variable time: every input is public.
 */
size_t ed25519_verify_batch(const ed25519_batch_item *items, size_t n);

#endif
