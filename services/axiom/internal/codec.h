/*
 * Decoding helpers shared by the Axiom's CBOR formats (entries,
 * checkpoints, receipts, consistency proofs; docs/formats.md).  Each reads
 * one map key and its value, checks the value's shape, and returns 0,
 * ZERR_CORRUPT for a wrong key or shape, or the decoder's error.
 */
#ifndef ZERO_SERVICES_AXIOM_INTERNAL_CODEC_H
#define ZERO_SERVICES_AXIOM_INTERNAL_CODEC_H

#include <stddef.h>
#include <stdint.h>

#include "cbor/cbor.h"
#include "services/axiom/entry.h"

/* The most hashes a Merkle proof in a receipt or consistency proof holds. */
#define AX_PROOF_MAX 64

/* Reads the map key want. */
int ax_get_key(cbor_dec *d, uint64_t want);

/* Reads a byte string of exactly n bytes into out. */
int ax_get_fixed(cbor_dec *d, uint8_t *out, size_t n);

/* Reads key, then a byte string of exactly n bytes into out. */
int ax_get_fixed_field(cbor_dec *d, uint64_t key, uint8_t *out, size_t n);

/* Reads a map of exactly n keys whose key 0 holds the text magic. */
int ax_get_magic_map(cbor_dec *d, uint64_t n, const char *magic);

/* Reads key, then a byte string holding an encoded checkpoint, into c. */
int ax_get_checkpoint_field(cbor_dec *d, uint64_t key, struct ax_checkpoint *c);

/* Reads key, then an array of at most AX_PROOF_MAX hashes into proof (*n of them). */
int ax_get_proof_field(cbor_dec *d, uint64_t key, uint8_t (*proof)[AX_HASH_LEN], size_t *n);

/* Writes an array of n hashes. */
void ax_put_proof(cbor_enc *e, const uint8_t (*proof)[AX_HASH_LEN], size_t n);

#endif
