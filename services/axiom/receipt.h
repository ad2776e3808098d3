/*
 * Offline proofs a third party checks without the node: receipts (an
 * entry is in the log) and consistency proofs (a later log extends an
 * earlier one).
 */
#ifndef ZERO_SERVICES_AXIOM_RECEIPT_H
#define ZERO_SERVICES_AXIOM_RECEIPT_H

#include <stddef.h>
#include <stdint.h>

#include "services/axiom/entry.h"
#include "services/identity/identity.h"

/*
 * A receipt proves to a third party, offline, that an entry is in a node's
 * log: the entry's canonical bytes, an RFC 9162 inclusion proof, and a
 * checkpoint signed by the node key whose tree contains it.  Encoding
 * (CBOR): {0: "zero-receipt-v1", 1: entry bytes, 2: [proof hashes],
 * 3: checkpoint bytes, 4: node public key}.
 */
#define AX_RECEIPT_MAX (AX_ENTRY_MAX + 64 * 34 + 512)

struct ax_receipt {
    const uint8_t *entry; /* canonical entry bytes */
    size_t entry_len;
    uint8_t proof[64][AX_HASH_LEN];
    size_t proof_len;
    struct ax_checkpoint cp;
    uint8_t node_pub[ID_PUB_LEN];
};

int ax_receipt_encode(const struct ax_receipt *rc, uint8_t *buf, size_t cap, size_t *len);

/* Decodes a receipt; rc->entry points into buf.  0 or ZERR_CORRUPT / ZERR_NONCANONICAL. */
int ax_receipt_decode(const uint8_t *buf, size_t len, struct ax_receipt *rc);

/*
 * Checks a receipt: the entry decodes, its hash is leaf number seq of the
 * checkpoint's tree by the proof, and the checkpoint is signed by
 * rc->node_pub.  Returns 0 with *e decoded, or ZERR_CORRUPT / ZERR_BADSIG
 * with a reason in why.
 */
int ax_receipt_verify(const struct ax_receipt *rc, struct ax_entry *e, char *why, size_t whycap);

/*
 * Makes the receipt of entry seq of the log on dev (a disk or an export):
 * replays and verifies it, proves the entry against the latest signed
 * checkpoint, and encodes the receipt into buf (cap bytes, *len used).
 * 0, or ZERR_NOENT (no such entry under a checkpoint) / the replay's error
 * / ZERR_NOMEM, with why.  (services/axiom/receipt_build.c)
 */
struct blk;
int ax_receipt_build(struct blk *dev, uint64_t seq, uint8_t *buf, size_t cap, size_t *len,
                     char *why, size_t whycap);

/*
 * A consistency proof shows a third party, offline, that the log a node
 * signed at one size is a prefix of the log it signed later: two signed
 * checkpoints (each with the node key it verifies under) and the RFC 9162
 * §2.1.4 proof between their trees.  Encoding (CBOR, docs/formats.md):
 * {0: "zero-consistency-v1", 1: old checkpoint bytes, 2: old node key,
 *  3: new checkpoint bytes, 4: new node key, 5: [proof hashes]}.
 */
#define AX_CONSISTENCY_MAX (2 * 300 + 2 * 34 + 64 * 34 + 64)

struct ax_consistency {
    struct ax_checkpoint old_cp, new_cp;
    uint8_t old_pub[ID_PUB_LEN], new_pub[ID_PUB_LEN];
    uint8_t proof[64][AX_HASH_LEN];
    size_t proof_len;
};

int ax_consistency_encode(const struct ax_consistency *p, uint8_t *buf, size_t cap, size_t *len);

/* Decodes a consistency proof: 0 or ZERR_CORRUPT / ZERR_NONCANONICAL / ZERR_TRUNCATED. */
int ax_consistency_decode(const uint8_t *buf, size_t len, struct ax_consistency *p);

/*
 * Checks a decoded consistency proof: 0 < old size <= new size, the batch
 * numbers in the same order, both checkpoint signatures under their keys,
 * and the proof from the old tree root to the new one.  Returns 0, or
 * ZERR_CORRUPT / ZERR_BADSIG with a reason in why.
 */
int ax_consistency_verify(const struct ax_consistency *p, char *why, size_t whycap);

#endif
