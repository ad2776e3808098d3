/*
 * A file proof (docs/formats.md "File proof"): that a path had a given
 * content hash, size and owner in the state a signed checkpoint names.
 * Three links, each checked offline: the namespace node is a leaf of the
 * namespace root (fs_verify); the namespace root is key 6 of the state-root
 * map whose BLAKE3 is the checkpoint's state root; the checkpoint is signed
 * by the node key given (pin it with the node's genesis key).
 */
#ifndef ZERO_SERVICES_AXIOM_FSPROOF_H
#define ZERO_SERVICES_AXIOM_FSPROOF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "services/axiom/state.h"

#define AX_FS_PROOF_MAGIC "zero fs proof v1"
#define AX_FS_PROOF_MAX 4096

struct ax_fs_proof {
    struct fs_proof node;
    uint8_t state_map[AX_STATE_MAP_MAX];
    size_t state_map_len;
    struct ax_checkpoint cp;
    uint8_t key[ID_PUB_LEN];
};

/* Makes the proof of path in st, whose root is cp's state root, signed by
 * key.  0, ZERR_NOENT / ZERR_INVAL (no such path), ZERR_CORRUPT (st is not
 * the state cp names, or has no namespace yet). */
int ax_fs_proof_make(struct ax_state *st, const struct ax_checkpoint *cp,
                     const uint8_t key[ID_PUB_LEN], const char *path, struct ax_fs_proof *p);

/* CBOR {0: magic, 1: node, 2: leaf index, 3: leaf count, 4: tree head,
 * 5: quota hash, 6: [audit path], 7: state-root map, 8: checkpoint,
 * 9: node key}.  Decode accepts exactly one encoding: 0, ZERR_CORRUPT,
 * ZERR_TRUNCATED, ZERR_NONCANONICAL, ZERR_LIMIT. */
int ax_fs_proof_encode(const struct ax_fs_proof *p, uint8_t *buf, size_t cap, size_t *len);
int ax_fs_proof_decode(const uint8_t *buf, size_t len, struct ax_fs_proof *p);

/* Checks the three links; *n gets the proven node.  0, or ZERR_CORRUPT /
 * ZERR_BADSIG with a reason in why. */
int ax_fs_proof_verify(const struct ax_fs_proof *p, struct fs_node *n, char *why, size_t cap);

#endif
