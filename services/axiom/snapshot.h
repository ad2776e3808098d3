/*
 * State snapshots (docs/formats.md "State snapshot"): the canonical
 * encoding of the Axiom's state and of the replay position after a batch
 * (entries applied, next batch number, head hash, the Merkle frontier), so
 * that a replay can continue from it instead of from genesis.  A snapshot
 * is worth only the checkpoint it matches: ax_snap_check compares the state
 * root recomputed from the decoded state, the tree root, the head and the
 * size with a checkpoint whose signature the caller has verified (or was
 * told to trust).
 *
 * A snapshot file carries one snapshot with the signed checkpoint it
 * matches, the node key that signed it and the log offset of the next
 * batch ("ZEROSNP1", formats.md); `zero snapshot` writes one and `zero
 * verify --snapshot` starts from one.
 */
#ifndef ZERO_SERVICES_AXIOM_SNAPSHOT_H
#define ZERO_SERVICES_AXIOM_SNAPSHOT_H

#include <stddef.h>
#include <stdint.h>

#include "services/axiom/log.h"
#include "services/axiom/svc.h"

#define AX_SNAP_VERSION 1u
/* The largest snapshot a full state can need (every table full). */
#define AX_SNAP_MAX (2u * 1024u * 1024u)

#define AX_SNAPFILE_MAGIC "ZEROSNP1"
#define AX_SNAPFILE_HEADER 64u

/*
 * Encodes the state and position of replay r, which must stand just after
 * a batch (its checkpoint verified), into buf (cap bytes).  0 with *len,
 * ZERR_FULL, or ZERR_UNSUPPORTED for a state with processes or capabilities
 * (state root keys 12 and 13), which snapshots do not carry yet.
 */
int ax_snap_encode(const struct ax_replay *r, uint8_t *buf, size_t cap, size_t *len);

/*
 * Decodes a snapshot of exactly len bytes into r (reinitialised, with
 * r->st as its state; fn and arg are kept): the state, its recomputed root,
 * the head, the Merkle frontier and the next batch.  The bytes must be the
 * canonical encoding of what they decode to.  0 or ZERR_CORRUPT (with
 * r->why), ZERR_FULL (a table over its limit).  r->off is left 0.
 */
int ax_snap_decode(const uint8_t *buf, size_t len, struct ax_replay *r);

/*
 * Checks a decoded snapshot against checkpoint c: state root, tree root,
 * head, size and batch.  0, or ZERR_CORRUPT with r->why.
 */
int ax_snap_check(struct ax_replay *r, const struct ax_checkpoint *c);

/* A snapshot file's parts (pointers into the file's bytes). */
struct ax_snapfile {
    uint64_t log_off; /* log offset of the batch after the snapshot */
    uint8_t key[ID_PUB_LEN];
    const uint8_t *cp; /* the encoded signed checkpoint */
    size_t cp_len;
    const uint8_t *snap; /* the snapshot */
    size_t snap_len;
};

/*
 * Writes a snapshot file for r (just after a batch, r->off the log offset
 * of the next one; its last checkpoint r->last_cp signed by r->last_cp_key)
 * into buf.  0 with *len, or ZERR_FULL.
 */
int ax_snapfile_write(const struct ax_replay *r, uint8_t *buf, size_t cap, size_t *len);

/* Splits a snapshot file of size bytes into f; 0 or ZERR_CORRUPT. */
int ax_snapfile_parse(const uint8_t *buf, size_t size, struct ax_snapfile *f);

/*
 * Loads a snapshot file into r: verifies the checkpoint's signature under
 * the file's key (which must equal key when key is not NULL), decodes the
 * snapshot and checks it against the checkpoint, then leaves r ready to
 * replay the batch at f.log_off (r->off), as if it had replayed everything
 * before.  0, ZERR_BADSIG, ZERR_CORRUPT or ZERR_PERM (another key), with
 * r->why.
 */
int ax_snapfile_load(const uint8_t *buf, size_t size, const uint8_t *key, struct ax_replay *r);

#endif
