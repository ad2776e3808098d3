/*
 * zero-forge: builds Axiom logs and disks that break exactly one rule of
 * docs/formats.md (and controls that break none), with everything else
 * correct: entries are encoded by the project's codec, state roots come
 * from its state machine (performed without the decide step, so a broken
 * rule is recorded as if it held), hash links, Merkle roots, record
 * checksums and signatures (checkpoints and proposals) are recomputed with
 * the node's real keys.  tests/tools/forged.t runs both verifiers on every
 * case and on mutations of the valid ones (forge_fuzz.c).
 *
 * Adding a case: write a function that builds the log through the fg_*
 * calls below (and, for container rules, an image edit) and add a line to
 * the table in forge_cases.c naming the verdict docs/formats.md gives.
 */
#ifndef ZERO_TESTS_TOOLS_FORGE_H
#define ZERO_TESTS_TOOLS_FORGE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "services/axiom/axiom.h"

#define FG_DISK (2u * 1024u * 1024u) /* the disks forged: 2 MiB */
#define FG_IMAGE_CAP (FG_DISK + 64u * 1024u)
#define FG_NODE "root"

/* A log under construction, and the state it leads to. */
struct forge {
    struct keys keys;
    struct ax_state *st;
    struct ax_merkle tree;
    uint8_t head[AX_HASH_LEN];
    uint64_t seq;   /* sequence number of the next entry */
    uint64_t batch; /* number of the open batch */
    struct ax_layout lay;
    uint8_t *log;   /* the log region of the disk, lay.log_len bytes */
    size_t end;     /* bytes of sealed batches */
    size_t open;    /* bytes of the open batch after end */
    uint32_t count; /* entries in the open batch */
    uint32_t gen0;  /* node key generation when the open batch began */
    size_t last;    /* log offset of the last record written */
    /* what a verifier reports: the sealed batches, or those before fg_keep */
    bool kept;
    size_t good; /* their end */
    uint64_t ok_entries;
    uint8_t ok_head[AX_HASH_LEN];
    uint8_t ok_root[AX_HASH_LEN];
};

/* How to break one entry (all zero: break nothing). */
struct fg_opt {
    uint8_t format;     /* entry format; 0: 2 */
    const char *signer; /* sign the proposal with signer's key of generation gen */
    uint32_t gen;
    uint64_t number;   /* proposal number (format 2 with a signer); 0: the next one */
    bool no_number;    /* a format-2 signature without its number */
    int rule;          /* recorded rule when decide refuses; 0: rule 1 (genesis: 0) */
    bool record_deny;  /* record [false, rule] */
    int rule_delta;    /* add this to the rule decide gives */
    int64_t seq_delta; /* the entry says seq + seq_delta */
    bool bad_prev;     /* prev is not the hash of the entry before */
    bool bad_root;     /* the recorded state root is not the one after the entry */
    bool flip_sig;     /* the proposer signature has one bit changed */
    /* rewrites the encoded entry (cap bytes of room) before it is framed */
    void (*edit)(uint8_t *buf, size_t *len, size_t cap);
};

/* How to break one checkpoint. */
struct fg_cpopt {
    const char *sign_name; /* signer; NULL: the node */
    bool set_gen;          /* sign with key generation gen, not the one in effect */
    uint32_t gen;          /* when the batch began */
    bool flip_sig;
    void (*edit)(struct ax_checkpoint *c);
};

void fg_init(struct forge *f);
void fg_free(struct forge *f);

/* Appends an entry for a to the open batch (o may be NULL). */
void fg_put(struct forge *f, struct ax_action a, const struct fg_opt *o);
/* Closes the open batch with its checkpoint (o may be NULL). */
void fg_seal(struct forge *f, const struct fg_cpopt *o);
/* The batches sealed so far are all a verifier accepts: what follows
 * breaks framing, and on a disk is a torn tail. */
void fg_keep(struct forge *f);
/* Appends raw bytes after the sealed batches (at log offset end + at). */
void fg_raw(struct forge *f, size_t at, const uint8_t *p, size_t n);
/* Appends a record of the given type to the open batch, payload as is. */
void fg_record(struct forge *f, uint8_t type, uint64_t batch, uint64_t seq, const uint8_t *p,
               size_t n);
/* Changes byte at (offset into the record at log offset rec) by xor, then
 * recomputes the record's checksum if resum. */
void fg_rec_xor(struct forge *f, size_t rec, size_t at, uint8_t xor, bool resum);
/* Recomputes the checksum of the record at log offset rec. */
void fg_rec_resum(struct forge *f, size_t rec);

/* Actions (the public keys are the principals' real ones). */
struct ax_action fg_genesis(struct forge *f, const char *name);
struct ax_action fg_create(struct forge *f, const char *by, const char *name, uint8_t kind);
struct ax_action fg_rotate(struct forge *f, const char *by, const char *name, uint32_t gen);
struct ax_action fg_revoke(const char *by, const char *name);
struct ax_action fg_add(const char *by, uint8_t effect, const char *rule);
struct ax_action fg_remove(const char *by, uint32_t id);
struct ax_action fg_note(const char *by, const char *text);

/* The log most cases extend: genesis, three batches, a user, a service,
 * an agent and four rules (forge.c says which). */
void fg_base(struct forge *f);

/* Writes the log as an export or a disk image into img; returns its length. */
size_t fg_export_image(const struct forge *f, uint8_t *img);
size_t fg_disk_image(const struct forge *f, uint8_t *img);
/* Reseals the superblock or key slot of a disk image after an edit. */
void fg_reseal(uint8_t *block);

/* A case: builds a log; edit (optional) changes the image written. */
enum { FG_OUT_EXPORT = 1, FG_OUT_DISK = 2, FG_OUT_BOTH = 3 };
struct fg_case {
    const char *name;
    const char
        *verdict; /* "accept", "reject", "torn" (a disk accepted with a torn tail), "unusable" */
    uint8_t outs;
    void (*build)(struct forge *f);
    /* changes the image (len bytes, FG_IMAGE_CAP room); may change len */
    void (*edit)(uint8_t *img, size_t *len);
};

extern const struct fg_case fg_cases[];
extern const size_t fg_ncases;

/* Writes count mutants of the valid logs into dir (seeded); returns 0. */
int fg_fuzz(const char *dir, uint64_t seed, unsigned count);

#endif
