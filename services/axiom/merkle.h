/*
 * The Axiom's Merkle tree over entry hashes (RFC 9162 shape, BLAKE3):
 * incremental tree heads, inclusion and consistency proofs.
 */
#ifndef ZERO_SERVICES_AXIOM_MERKLE_H
#define ZERO_SERVICES_AXIOM_MERKLE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "services/axiom/entry.h"

struct ax_merkle {
    uint64_t size;
    uint8_t n;                      /* subtree roots on the stack */
    uint8_t stack[64][AX_HASH_LEN]; /* perfect subtrees, largest first */
};

void ax_merkle_init(struct ax_merkle *m);
/* Appends the leaf for an entry: BLAKE3(0x00 || entry_hash). */
void ax_merkle_append(struct ax_merkle *m, const uint8_t entry_hash[AX_HASH_LEN]);
/* The same with the entry's leaf hash (ax_merkle_leaf) already computed. */
void ax_merkle_append_leaf(struct ax_merkle *m, const uint8_t leaf[AX_HASH_LEN]);
/* Tree head: BLAKE3 of empty input for size 0. */
void ax_merkle_root(const struct ax_merkle *m, uint8_t out[AX_HASH_LEN]);

/* The leaf hash of an entry: BLAKE3(0x00 || entry_hash). */
void ax_merkle_leaf(const uint8_t entry_hash[AX_HASH_LEN], uint8_t out[AX_HASH_LEN]);

/*
 * Inclusion proof of leaf m in the tree over leaves[0..n) (leaf hashes),
 * RFC 9162 §2.1.3.1: at most 64 hashes into proof (cap entries), count in
 * *len.  Returns 0, ZERR_RANGE (m >= n) or ZERR_FULL.
 */
int ax_merkle_inclusion_proof(const uint8_t (*leaves)[AX_HASH_LEN], uint64_t n, uint64_t m,
                              uint8_t (*proof)[AX_HASH_LEN], size_t cap, size_t *len);

/* True if proof shows that entry_hash is leaf m of the size-n tree with root (§2.1.3.2). */
bool ax_merkle_verify_inclusion(const uint8_t entry_hash[AX_HASH_LEN], uint64_t m, uint64_t n,
                                const uint8_t (*proof)[AX_HASH_LEN], size_t len,
                                const uint8_t root[AX_HASH_LEN]);

/* Consistency proof between the trees of sizes m and n (0 < m <= n), §2.1.4.1. */
int ax_merkle_consistency_proof(const uint8_t (*leaves)[AX_HASH_LEN], uint64_t m, uint64_t n,
                                uint8_t (*proof)[AX_HASH_LEN], size_t cap, size_t *len);

/* True if proof shows the size-m tree (root first) is a prefix of the size-n one (§2.1.4.2). */
bool ax_merkle_verify_consistency(uint64_t m, uint64_t n, const uint8_t first[AX_HASH_LEN],
                                  const uint8_t second[AX_HASH_LEN],
                                  const uint8_t (*proof)[AX_HASH_LEN], size_t len);

#endif
