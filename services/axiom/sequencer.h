/*
 * The sequencer: opens the Axiom on a device, takes proposals into the
 * open batch, and makes batches durable with one write and one flush
 * (group commit), each closed by a checkpoint the node key signs.
 */
#ifndef ZERO_SERVICES_AXIOM_SEQUENCER_H
#define ZERO_SERVICES_AXIOM_SEQUENCER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "block/block.h"
#include "services/axiom/entry.h"
#include "services/axiom/log.h"
#include "services/axiom/merkle.h"
#include "services/axiom/state.h"
#include "services/policy/policy.h"

struct ax_batch {
    uint8_t *buf;
    size_t len;     /* bytes of records so far */
    uint64_t off;   /* log offset where it goes */
    uint64_t first; /* seq of its first entry */
    uint64_t count; /* entries */
    uint64_t number;
    uint32_t key_gen; /* node key generation in effect when the batch opened */
    bool snap;        /* a snapshot after this batch waits in the Axiom's snapshot buffer */
};

struct ax_recovery {
    uint64_t entries;
    uint64_t batches;
    uint64_t cut_bytes;     /* bytes of torn tail cut back (0 if none) */
    uint64_t from_snapshot; /* entries a snapshot on the disk supplied (0: replayed from genesis) */
    char why[160];          /* why the tail was cut, or why opening failed */
};

/* Signs msg as principal name at key generation gen (the key service). */
typedef int (*ax_sign_fn)(void *ctx, const char *name, uint32_t gen, const void *msg, size_t len,
                          uint8_t sig[AX_SIG_LEN]);

struct axiom {
    uint8_t format; /* entry format of new entries: AX_ENTRY_VERSION (tests set 1 to
                       write version-1 logs) */
    struct blk *dev;
    ax_sign_fn sign;
    void *sign_ctx;
    struct ax_layout lay;
    struct ax_logview log; /* the log's bytes on dev (its segments) */
    struct ax_state *st;
    struct ax_merkle tree;
    uint8_t head[AX_HASH_LEN];
    uint64_t next_seq;
    uint64_t durable;       /* entries durable */
    uint64_t end;           /* log offset after the last durable batch */
    uint64_t next_batch;    /* number the next opened batch gets */
    struct ax_batch open;   /* accepting proposals */
    struct ax_batch sealed; /* being written */
    bool inflight;
    bool broken; /* a durable write failed: reopen before going on */
    /* State snapshots (docs/axiom.md "Snapshots"): one is written after the
     * batch that brings the log snap_every entries past the last one. */
    uint64_t snap_every; /* 0: never (AX_SNAP_EVERY when opened) */
    uint64_t snap_done;  /* entries the newest snapshot on the disk covers */
    uint8_t *snap_mem;   /* snapshot file of the sealed batch (allocated at the first) */
    size_t snap_len;
};

/* Entries between two snapshots a node writes, unless told otherwise. */
#define AX_SNAP_EVERY 65536u

/*
 * Opens the Axiom on a formatted device: reads the superblock and key slot,
 * replays and verifies the whole log, cuts a torn tail back (zeroing it
 * durably), and refuses corruption in the middle.  sign makes checkpoint
 * signatures.  Returns 0 or a ZERR_* code with rec->why explaining.
 */
int axiom_open(struct axiom *ax, struct blk *dev, ax_sign_fn sign, void *sign_ctx,
               struct ax_recovery *rec);

void axiom_close(struct axiom *ax);

/*
 * Proposes an action.  On 0 the entry is applied and waits in the open
 * batch as number *seq with hash `hash`; it is acknowledged only when the
 * batch is durable (axiom_durable() > seq).  ZERR_DENIED: the policy said
 * no (*d names the rule); other errors: the action is invalid.  why gets a
 * reason whenever the result is not 0.  ZERR_AGAIN: the open batch is full,
 * commit first.  Nothing is changed unless 0 is returned.
 */
int axiom_propose(struct axiom *ax, const struct ax_action *a, struct policy_decision *d,
                  uint64_t *seq, uint8_t hash[AX_HASH_LEN], char *why, size_t whycap);

/*
 * Closes the open batch with a signed checkpoint and hands it out for
 * writing.  Returns 0, ZERR_NOENT if nothing waits, ZERR_BUSY if a batch is
 * still being written, ZERR_IO if the Axiom is broken.
 */
int axiom_seal(struct axiom *ax, struct ax_batch **out);

/* Writes and flushes a sealed batch (one write, one flush).  Touches only the device. */
int axiom_write(struct axiom *ax, struct ax_batch *b);

/* Finishes a sealed batch with the result of axiom_write; an error breaks the Axiom. */
void axiom_complete(struct axiom *ax, struct ax_batch *b, int err);

/* seal + write + complete, for single-threaded callers.  0 also when nothing waits. */
int axiom_commit(struct axiom *ax);

/* Entries durable so far. */
uint64_t axiom_durable(const struct axiom *ax);

/* An ax_sign_fn over a struct keys (format, tests, tools). */
int axiom_sign_with_keys(void *keys, const char *name, uint32_t gen, const void *msg, size_t len,
                         uint8_t sig[AX_SIG_LEN]);

#endif
