/*
 * Filesystem namespace: paths -> (content hash, size, kind, owner, mode).
 *
 * File bytes live in the content-addressed store (services/cas): a write
 * puts the content first and only then changes the namespace, so a
 * namespace never names content that is not stored.  The namespace is a
 * table of nodes sorted by path (bytewise), so a directory's descendants are
 * one contiguous run.  Its root (fs_root) is a Merkle tree over the encoded
 * nodes in path order, so a node's content hash can be proven against the
 * root with a logarithmic proof (fs_prove, fs_verify); docs/formats.md
 * "Filesystem namespace" has the bytes.
 *
 * Each principal may have a byte quota over the sizes of the files it
 * owns; a write that would pass it is refused.  Every change is checked
 * completely before anything changes (decode, then perform).
 */
#ifndef ZERO_SERVICES_FS_H
#define ZERO_SERVICES_FS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "services/cas/cas.h"

#define FS_PATH_MAX 511 /* bytes of an absolute path */
#define FS_NAME_MAX 255 /* bytes of one component */
#define FS_OWNER_MAX 32 /* bytes of a principal name */
#define FS_QUOTAS 64    /* principals with a quota */

enum fs_kind {
    FS_FILE = 1,
    FS_DIR = 2,
};

struct fs_node {
    char path[FS_PATH_MAX + 1];
    char owner[FS_OWNER_MAX + 1];
    uint8_t hash[CAS_HASH]; /* files: BLAKE3 of the content; directories: zero */
    uint64_t size;
    uint32_t mode;
    uint8_t kind;
    /* The number of the Axiom entry that last created, replaced or moved
     * it (0 outside a node's namespace).  Derived from the log, so not part
     * of the node's encoding or of any root. */
    uint64_t changed;
};

struct fs_quota {
    char owner[FS_OWNER_MAX + 1];
    uint64_t limit;
};

struct fs {
    struct cas *cas;
    struct fs_node *nodes; /* sorted by path; "/" itself is implicit */
    uint32_t cap, count;
    uint8_t (*leaves)[CAS_HASH]; /* cap leaf hashes, for roots and proofs */
    uint8_t *scratch;            /* scratch_cap bytes: appends */
    size_t scratch_cap;
    struct fs_quota quotas[FS_QUOTAS];
    uint32_t nquotas;
};

/* Sets up an empty namespace over cas with caller memory: nodes and leaves
 * of cap entries, scratch of scratch_cap bytes (the largest file an append
 * can extend). */
void fs_init(struct fs *fs, struct cas *cas, struct fs_node *nodes, uint8_t (*leaves)[CAS_HASH],
             uint32_t cap, uint8_t *scratch, size_t scratch_cap);

/* Why a path is not acceptable, or NULL when it is: an absolute path of
 * n bytes ("/" alone, or "/" separated components), no empty component, no
 * "." or "..", no NUL byte, components of at most FS_NAME_MAX bytes, at most
 * FS_PATH_MAX bytes in all. */
const char *fs_path_problem(const char *path, size_t n);

/* True when p[0..n) holds a NUL byte. */
bool fs_has_nul(const void *p, size_t n);

/* Each operation returns 0 or: ZERR_INVAL (a bad path: fs_path_problem
 * says why), ZERR_NOENT (missing, or a missing parent), ZERR_EXIST,
 * ZERR_PERM (a file where a directory is needed or the other way round, a
 * directory that is not empty, a move into itself), ZERR_LIMIT (quota),
 * ZERR_FULL (no node left), or the CAS's error.  Nothing changes on error. */
int fs_mkdir(struct fs *fs, const char *path, const char *owner, uint32_t mode);

/* Writes a file: replaces its content, or with append adds to its end;
 * creates it (owned by owner) when missing.  The content is stored before
 * the namespace changes. */
int fs_write(struct fs *fs, const char *path, const char *owner, uint32_t mode, const void *data,
             uint64_t len, bool append);

int fs_rename(struct fs *fs, const char *from, const char *to);

/* Sets changed to seq on the node at path and on every node below it. */
void fs_stamp(struct fs *fs, const char *path, uint64_t seq);
int fs_delete(struct fs *fs, const char *path); /* a file */
int fs_rmdir(struct fs *fs, const char *path);  /* an empty directory */

/*
 * The namespace alone, for a namespace kept as replicated state (the
 * Axiom's, docs/storage.md): the content is named by hash and size and not
 * touched.  fs_put creates or replaces the file at path (owned by owner
 * when new; an existing file keeps its owner and mode), with the quota of
 * its owner checked against size.  Each fs_check_* says, without changing
 * anything, what the operation of the same name would return.
 */
int fs_put(struct fs *fs, const char *path, const char *owner, uint32_t mode,
           const uint8_t hash[CAS_HASH], uint64_t size);
int fs_check_put(const struct fs *fs, const char *path, const char *owner, uint64_t size);
int fs_check_mkdir(const struct fs *fs, const char *path, const char *owner);
int fs_check_rename(const struct fs *fs, const char *from, const char *to);
int fs_check_delete(const struct fs *fs, const char *path);
int fs_check_rmdir(const struct fs *fs, const char *path);

/* The node at path ("/" is a directory owned by nobody): 0, ZERR_INVAL, ZERR_NOENT. */
int fs_stat(const struct fs *fs, const char *path, struct fs_node *out);

/* Why a read failed: the path and the damaged object. */
struct fs_fault {
    char path[FS_PATH_MAX + 1];
    struct cas_fault cas;
};

/* Reads up to n bytes from offset off of the file at path, verified (see
 * cas_read).  0, ZERR_INVAL, ZERR_NOENT, ZERR_PERM (a directory),
 * ZERR_RANGE, ZERR_CORRUPT with *f naming the path and the chunk. */
int fs_read(struct fs *fs, const char *path, uint64_t off, void *buf, size_t n, size_t *got,
            struct fs_fault *f);

/* One line for a fault: "PATH: chunk I at offset O (HASH) is damaged". */
size_t fs_fault_text(const struct fs_fault *f, char *out, size_t cap);

/* Reports a path whose content a damaged object breaks. */
typedef void (*fs_damage_fn)(void *ctx, const char *path, const uint8_t object[CAS_HASH]);

/* Verifies every stored object (cas_scrub) and reports each damaged one
 * with every path that uses it; *damaged_paths counts the reports.
 * Returns 0 when everything verified, ZERR_CORRUPT when something did not. */
int fs_scrub(struct fs *fs, fs_damage_fn fn, void *ctx, uint64_t *damaged_paths);

/* Calls fn for each child of directory path in name order. */
int fs_list(const struct fs *fs, const char *path, void (*fn)(void *ctx, const struct fs_node *n),
            void *ctx);

/* Bytes of files owned by owner, and its quota (0: none). */
uint64_t fs_used(const struct fs *fs, const char *owner);
int fs_set_quota(struct fs *fs, const char *owner, uint64_t limit);

/* Marks every file's content live in the CAS and sweeps the rest. */
uint64_t fs_gc(struct fs *fs);

/* ---- encoding, root, proofs (docs/formats.md) ---------------------------- */

/* Encoded node (a Merkle leaf's data) into out (FS_NODE_MAX bytes); returns its length. */
#define FS_NODE_MAX (2 + FS_PATH_MAX + 1 + 4 + 1 + FS_OWNER_MAX + 8 + CAS_HASH)
size_t fs_node_encode(const struct fs_node *n, uint8_t *out);

/* The namespace root: BLAKE3(0x02 || Merkle root of the nodes || BLAKE3 of the quotas). */
void fs_root(struct fs *fs, uint8_t out[CAS_HASH]);

/* The namespace as bytes (the store's client root); fs_encoded_size bounds it. */
size_t fs_encoded_size(const struct fs *fs);
int fs_encode(const struct fs *fs, uint8_t *out, size_t cap, size_t *n);
/* Replaces the namespace by decoded bytes: 0, ZERR_TRUNCATED, ZERR_CORRUPT
 * (bad magic, bad path, unsorted or duplicate paths, a node without its
 * parent directory, bad kind or owner), ZERR_NONCANONICAL, ZERR_FULL. */
int fs_decode(struct fs *fs, const uint8_t *p, size_t n);

/* A proof that a node is in a namespace with a given root. */
struct fs_proof {
    uint8_t node[FS_NODE_MAX]; /* the encoded node */
    size_t node_len;
    uint64_t index, count;      /* its leaf index, the number of leaves */
    uint8_t tree[CAS_HASH];     /* the Merkle root of the nodes */
    uint8_t quotas[CAS_HASH];   /* the BLAKE3 of the quota part */
    uint8_t path[64][CAS_HASH]; /* the audit path */
    size_t path_len;
};

/* Proof for the node at path.  0, ZERR_INVAL, ZERR_NOENT. */
int fs_prove(struct fs *fs, const char *path, struct fs_proof *pr);

/* True when pr proves its node under root; *out is the decoded node. */
bool fs_verify(const struct fs_proof *pr, const uint8_t root[CAS_HASH], struct fs_node *out);

#endif
