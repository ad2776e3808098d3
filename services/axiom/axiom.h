/*
 * The Axiom: one totally ordered, append-only, hash-chained log, and the
 * control-plane state that is a pure function of it.
 *
 * Execution proposes; the Policy Engine authorizes; the Axiom commits.
 * axiom_propose() checks a proposal against the current state and policy,
 * and if allowed applies it and appends the entry to the open batch;
 * axiom_seal/axiom_write/axiom_complete make the batch durable with one
 * write and one flush (group commit) and close it with a checkpoint signed
 * by the node key.  Nothing is acknowledged before that flush returns.
 *
 * Byte layouts (entries, checkpoints, records, superblock, key slot) are in
 * docs/formats.md; the state machine and the verification rules in
 * docs/axiom.md.
 */
#ifndef ZERO_SERVICES_AXIOM_H
#define ZERO_SERVICES_AXIOM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "cbor/cbor.h"
#include "crypto/ed25519.h"
#include "services/block/block.h"
#include "services/identity/identity.h"
#include "services/keys/keys.h"
#include "services/keys/slot.h"
#include "services/policy/policy.h"

#define AX_HASH_LEN 32
#define AX_SIG_LEN 64
#define AX_NOTE_MAX 1024
#define AX_ENTRY_MAX 2048 /* largest encoded entry */
#define AX_VERSION 1
/* Entry format written by this code: 2 adds signed-proposal numbers
 * (docs/formats.md); version-1 entries are still read. */
#define AX_ENTRY_VERSION 2

/* Action kinds.  The numbers are internal; the encoding uses the names. */
enum ax_kind {
    AX_GENESIS = 1,
    AX_ID_CREATE,
    AX_ID_ROTATE,
    AX_ID_REVOKE,
    AX_POLICY_ADD,
    AX_POLICY_REMOVE,
    AX_NOTE,
    AX_KIND_END
};

/* A proposal: who wants which state transition. */
struct ax_action {
    uint8_t kind; /* enum ax_kind */
    char proposer[ID_NAME_MAX + 1];
    /* id.create, id.rotate, id.revoke, genesis */
    char name[ID_NAME_MAX + 1];
    uint8_t id_kind;
    uint8_t pub[ID_PUB_LEN];
    /* id.create, id.rotate: the key is held outside the node (format 2) */
    bool external;
    /* policy.add, policy.remove */
    uint8_t effect;
    uint32_t rule_id;
    char rule[POLICY_TEXT_MAX + 1];
    /* note: points into caller memory (or into the decoded buffer) */
    const uint8_t *data;
    size_t data_len;
    /* a proposal from outside the node carries its proposer's signature */
    bool has_sig;
    uint8_t sig[AX_SIG_LEN];
    /* and, in entry format 2, the proposer's next signed-proposal number
     * (1, 2, ...), which the signature covers: a replay is refused */
    bool has_nonce;
    uint64_t nonce;
    /* entry format it is (to be) written in: 1 or 2; 0 when proposing (the
     * sequencer writes AX_ENTRY_VERSION) */
    uint8_t format;
};

struct ax_entry {
    uint64_t seq;
    uint8_t prev[AX_HASH_LEN];
    struct ax_action a;
    struct policy_decision dec;
    uint8_t state_root[AX_HASH_LEN];
};

struct ax_checkpoint {
    uint64_t batch;
    uint64_t size; /* entries in the log: last seq + 1 */
    uint8_t head[AX_HASH_LEN];
    uint8_t state_root[AX_HASH_LEN];
    uint8_t tree_root[AX_HASH_LEN];
    uint8_t sig[AX_SIG_LEN];
};

/* ---- entry codec (deterministic CBOR) -------------------------------------- */

/* Name of an action kind ("id.create"), or "?" */
const char *ax_kind_name(uint8_t kind);

/* Encodes e; returns 0 with *len, or ZERR_FULL / ZERR_INVAL. */
int ax_entry_encode(const struct ax_entry *e, uint8_t *buf, size_t cap, size_t *len);

/*
 * Decodes one canonical entry occupying exactly len bytes.  Returns 0, or
 * ZERR_NONCANONICAL / ZERR_CORRUPT / ZERR_TRUNCATED / ZERR_INVAL.  A note's
 * data points into buf.
 */
int ax_entry_decode(const uint8_t *buf, size_t len, struct ax_entry *out);

/* The bytes a proposer signs: "Zero OS proposal v1" NUL, CBOR [proposer, action, payload];
 * with a proposal number, "Zero OS proposal v2" NUL, CBOR [proposer, action, payload, number]. */
int ax_proposal_message(const struct ax_action *a, uint8_t *buf, size_t cap, size_t *len);

/*
 * A signed proposal as it travels from outside the node (docs/formats.md):
 * CBOR {0: 1, 1: proposer, 2: action, 3: payload, 4: number, 5: signature}.
 * Encode needs a->has_sig and a->has_nonce.  Decode accepts exactly one
 * canonical encoding and fills a (a note's data points into buf); returns
 * 0 or ZERR_NONCANONICAL / ZERR_CORRUPT / ZERR_TRUNCATED / ZERR_INVAL.
 */
#define AX_PROPOSAL_MAX 1400
int ax_proposal_encode(const struct ax_action *a, uint8_t *buf, size_t cap, size_t *len);
int ax_proposal_decode(const uint8_t *buf, size_t len, struct ax_action *a);

/* The entry format a is (to be) written in: a->format, or AX_ENTRY_VERSION when 0. */
unsigned ax_action_format(const struct ax_action *a);

int ax_checkpoint_encode(const struct ax_checkpoint *c, uint8_t *buf, size_t cap, size_t *len);
int ax_checkpoint_decode(const uint8_t *buf, size_t len, struct ax_checkpoint *out);

/* The bytes the node signs: "Zero OS checkpoint v1" NUL, then the checkpoint without its signature.
 */
int ax_checkpoint_message(const struct ax_checkpoint *c, uint8_t *buf, size_t cap, size_t *len);

/* ---- Merkle tree (RFC 9162 shape, BLAKE3) ---------------------------------- */

struct ax_merkle {
    uint64_t size;
    uint8_t n;                      /* subtree roots on the stack */
    uint8_t stack[64][AX_HASH_LEN]; /* perfect subtrees, largest first */
};

void ax_merkle_init(struct ax_merkle *m);
/* Appends the leaf for an entry: BLAKE3(0x00 || entry_hash). */
void ax_merkle_append(struct ax_merkle *m, const uint8_t entry_hash[AX_HASH_LEN]);
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

/* ---- state machine ---------------------------------------------------------- */

struct ax_state {
    uint64_t applied; /* entries applied so far (next seq) */
    char node[ID_NAME_MAX + 1];
    uint64_t notes;
    uint8_t format; /* the highest entry format applied (1 before any format-2 entry) */
    bool ids_dirty, pol_dirty;
    uint8_t ids_hash[AX_HASH_LEN];
    uint8_t pol_hash[AX_HASH_LEN];
    uint8_t root[AX_HASH_LEN];
    struct id_table ids;
    struct policy_set pol;
};

/* Empty state (before genesis). */
void ax_state_init(struct ax_state *s);

/*
 * Decides whether action a may be appended to state s as entry number
 * s->applied: structure and identity checks, the proposer's signature if
 * any, then the policy.  Returns 0 (allowed, *d names the rule), ZERR_DENIED
 * (policy said no, *d names the rule), or another ZERR_* for an action that
 * cannot apply at all; why (whycap bytes) gets a one-line reason whenever
 * the result is not 0.  Pure: reads s only.
 */
int ax_state_decide(const struct ax_state *s, const struct ax_action *a, struct policy_decision *d,
                    char *why, size_t whycap);

/* Applies an action that ax_state_decide allowed and updates the state root.  Cannot fail. */
void ax_state_perform(struct ax_state *s, const struct ax_action *a);

/*
 * apply(state, entry) for replay: checks seq, re-evaluates the decision,
 * performs, and compares the state root.  Returns 0 or ZERR_CORRUPT /
 * ZERR_DENIED / ZERR_BADSIG with a reason in why; on error s is unchanged
 * unless the state root alone mismatched.
 */
int ax_apply(struct ax_state *s, const struct ax_entry *e, char *why, size_t whycap);

/* ---- disk ------------------------------------------------------------------- */

#define AX_BLOCK 4096u
#define AX_MAX_BATCH (256u * 1024u)
#define AX_MIN_DISK (1024u * 1024u)

struct ax_layout {
    uint64_t disk_size;
    uint64_t keyslot_off, keyslot_len;
    uint64_t log_off, log_len;
    uint64_t cas_off, cas_len;
    uint64_t fs_off, fs_len;
    uint8_t disk_id[16];
    uint8_t node_pub[ID_PUB_LEN];
};

/*
 * Writes a fresh superblock and key slot to dev (whose log region must read
 * as zeros) and the genesis batch for node name under the root secret.
 * Returns 0 or a ZERR_* code.
 */
int ax_format(struct blk *dev, const uint8_t root_secret[KEYS_SECRET_LEN],
              const uint8_t disk_id[16], const char *node_name);

/*
 * ax_format with the key slot sealed under pass (pass_len bytes) with kdf
 * (NULL: the defaults of services/keys/slot.h); pass NULL writes a plain
 * slot.  The root secret never reaches the disk in the clear.
 */
int ax_format_sealed(struct blk *dev, const uint8_t root_secret[KEYS_SECRET_LEN],
                     const uint8_t disk_id[16], const char *node_name, const void *pass,
                     size_t pass_len, const struct keyslot_kdf *kdf);

/* Computes the region layout for a device of disk_size bytes. */
void ax_layout_for(uint64_t disk_size, struct ax_layout *lay);

/*
 * Reads and checks the superblock and key slot.  Returns 0, ZERR_NOENT for
 * an all-zero device (never formatted), ZERR_CORRUPT with a reason, or I/O
 * errors.  root_secret may be NULL; when it is not and the slot is sealed,
 * returns ZERR_PERM (open the slot with ax_read_keyslot and keyslot_open).
 */
int ax_read_super(struct blk *dev, struct ax_layout *lay, uint8_t root_secret[KEYS_SECRET_LEN],
                  char *why, size_t whycap);

/* Reads the key slot of a disk ax_read_super accepted into slot; 0,
 * ZERR_CORRUPT or an I/O error. */
int ax_read_keyslot(struct blk *dev, const struct ax_layout *lay, uint8_t slot[KEYSLOT_LEN]);

/* Replaces the key slot (with one for the same node key) and flushes; 0,
 * ZERR_INVAL for a slot keyslot_check refuses, or an I/O error.  A torn
 * write leaves a slot whose checksum fails: keep a copy until it is done. */
int ax_write_keyslot(struct blk *dev, const struct ax_layout *lay, const uint8_t slot[KEYSLOT_LEN]);

/* ---- replay and verification ------------------------------------------------ */

/* Called for each entry applied by a replay, with its hash. */
typedef void (*ax_entry_fn)(void *arg, const struct ax_entry *e, const uint8_t hash[AX_HASH_LEN]);
/* Called after each checkpoint verifies, with the node key that signed it. */
typedef void (*ax_checkpoint_fn)(void *arg, const struct ax_checkpoint *c,
                                 const uint8_t key[ID_PUB_LEN]);

struct ax_replay {
    struct ax_state *st;
    struct ax_merkle tree;
    uint64_t batch; /* number of the next batch */
    uint8_t head[AX_HASH_LEN];
    uint64_t off; /* bytes of log accepted so far */
    uint64_t checkpoints;
    struct ax_checkpoint last_cp;    /* the latest verified checkpoint */
    uint8_t last_cp_key[ID_PUB_LEN]; /* the node key that signed it */
    uint8_t genesis_key[ID_PUB_LEN]; /* the node key the genesis entry installed */
    ed25519_vkey node_vk;            /* the node key, decoded once for all its checkpoints */
    ax_entry_fn fn;
    void *arg;
    ax_checkpoint_fn cp_fn; /* optional (set after ax_replay_init); gets arg too */
    /* the first problem found */
    uint64_t bad_seq;
    uint64_t bad_off;
    char why[160];
};

/* Starts a replay from genesis into st (which it initialises). */
void ax_replay_init(struct ax_replay *r, struct ax_state *st, ax_entry_fn fn, void *arg);

/*
 * Replays the batch at the start of buf (avail bytes, the log from r->off
 * onwards).  Returns 0 with *used set (the batch's length, sector padding
 * included) and r->off advanced, ZERR_NOENT if buf starts with a zero
 * sector (the end of the log), ZERR_TRUNCATED if the records are damaged or
 * incomplete (what a torn write looks like; nothing was applied), or
 * ZERR_CORRUPT / ZERR_DENIED / ZERR_BADSIG if intact records fail
 * verification (hash link, decision, state root, signature).  On error
 * r->why, bad_seq and bad_off describe it; after a verification failure
 * the state is not to be trusted further.
 */
int ax_replay_batch(struct ax_replay *r, const uint8_t *buf, size_t avail, size_t *used);

/*
 * True if buf (avail bytes at log offset off) holds, at some sector start,
 * an intact record of a batch numbered after batch: proof that damage at off
 * is not a torn tail but corruption in the middle of the log.
 */
bool ax_later_batch_exists(const uint8_t *buf, size_t avail, uint64_t batch);

/*
 * Replays the log region of dev from genesis through r (initialised by the
 * caller).  Returns 0 at a clean end of the log; ZERR_TRUNCATED if it ends
 * in a torn tail (*tail: its length in bytes, at log offset r->off); other
 * codes for corruption, described by r->why, r->bad_seq and r->bad_off
 * (damage with an intact later batch behind it is ZERR_CORRUPT).
 */
int axiom_scan(struct blk *dev, const struct ax_layout *lay, struct ax_replay *r, uint64_t *tail);

/*
 * Verifies a whole log held in memory (an export's body): every batch must
 * verify and the log must end exactly at len, with no torn tail allowed.
 * Returns 0 or a ZERR_* code with r->why, bad_seq, bad_off.
 */
int ax_verify_log(const uint8_t *log, size_t len, struct ax_replay *r);

/* ---- export ------------------------------------------------------------------ */

/*
 * An export is one 512-byte header sector ("ZEROLOG1", the log length as 8
 * bytes little-endian, zeros) followed by the log region's bytes up to the
 * end of the last batch, unchanged.  Both parts are sector multiples, so an
 * export can be read as a block device like a disk.
 */
#define AX_EXPORT_MAGIC "ZEROLOG1"
#define AX_EXPORT_HEADER 512u

/* Writes the export header for a log of len bytes. */
void ax_export_header(uint8_t out[AX_EXPORT_HEADER], uint64_t len);

/* Checks an export header against the file size; returns the log length or ZERR_CORRUPT. */
int64_t ax_export_check(const uint8_t *buf, size_t size);

/* Verifies a whole export held in memory (header and log).  As ax_verify_log. */
int ax_verify_export(const uint8_t *buf, size_t size, struct ax_replay *r);

enum ax_source { AX_SOURCE_DISK = 1, AX_SOURCE_EXPORT = 2 };

/* r->bad_seq when the problem is not in an entry (superblock, export header). */
#define AX_NO_ENTRY UINT64_MAX

/*
 * Replays and verifies whatever dev holds, a Zero OS disk or an export,
 * through r (initialised by the caller).  Returns 0 if everything verified;
 * ZERR_TRUNCATED for a disk whose log ends in a torn tail (*tail bytes,
 * which recovery would cut; everything before verified); ZERR_UNSUPPORTED
 * if dev is neither; other codes for a failed check, described in r->why
 * (r->bad_seq and r->bad_off name the first bad entry).  *kind tells which
 * source it was.
 */
int axiom_replay_device(struct blk *dev, struct ax_replay *r, uint8_t *kind, uint64_t *tail);

/* ---- receipts ------------------------------------------------------------------ */

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

/* ---- consistency proofs ---------------------------------------------------------- */

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

/* ---- the sequencer ------------------------------------------------------------ */

struct ax_batch {
    uint8_t *buf;
    size_t len;     /* bytes of records so far */
    uint64_t off;   /* log offset where it goes */
    uint64_t first; /* seq of its first entry */
    uint64_t count; /* entries */
    uint64_t number;
    uint32_t key_gen; /* node key generation in effect when the batch opened */
};

struct ax_recovery {
    uint64_t entries;
    uint64_t batches;
    uint64_t cut_bytes; /* bytes of torn tail cut back (0 if none) */
    char why[160];      /* why the tail was cut, or why opening failed */
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
};

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
