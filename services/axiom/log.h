/*
 * The Axiom on a disk: the region layout, formatting, the superblock and
 * key slot, replay and verification of the log from genesis, and exports
 * of the log (docs/formats.md, docs/axiom.md).
 */
#ifndef ZERO_SERVICES_AXIOM_LOG_H
#define ZERO_SERVICES_AXIOM_LOG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "block/block.h"
#include "crypto/ed25519.h"
#include "services/axiom/entry.h"
#include "services/axiom/merkle.h"
#include "services/axiom/state.h"
#include "services/keys/keys.h"
#include "services/keys/slot.h"

#define AX_BLOCK 4096u
#define AX_MAX_BATCH (256u * 1024u)
#define AX_MIN_DISK (1024u * 1024u)
/* Superblock format of a disk whose log is kept in segments (format 1: in its region). */
#define AX_DISK_SEGMENTED 2u
/* Log segments: the size a formatter prefers, and the slot counts it and readers keep to. */
#define AX_SEGMENT (1024u * 1024u)
#define AX_SEGMENT_MIN_SLOTS 4u
#define AX_SEGMENT_FORMAT_SLOTS 4096u
#define AX_SEGMENT_MAX_SLOTS 65536u

struct ax_layout {
    uint64_t disk_size;
    uint64_t keyslot_off, keyslot_len;
    uint64_t log_off, log_len;
    uint64_t cas_off, cas_len;
    uint64_t fs_off, fs_len;
    uint64_t seg_size; /* log segment size S (format 2); 0: the log fills its region (format 1) */
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

/*
 * Computes the region layout for a device of disk_size bytes, with the
 * default log segment size (format 2).
 */
void ax_layout_for(uint64_t disk_size, struct ax_layout *lay);

/* The segment size a formatter picks for a log region of log_len bytes. */
uint64_t ax_segment_default(uint64_t log_len);

/* True if s is a segment size a reader accepts for a log region of log_len bytes. */
bool ax_segment_valid(uint64_t s, uint64_t log_len);

/*
 * ax_format with a chosen segment size (0: a format-1 disk whose log
 * fills its region, as older nodes wrote; tests use small segments).
 */
int ax_format_seg(struct blk *dev, const uint8_t root_secret[KEYS_SECRET_LEN],
                  const uint8_t disk_id[16], const char *node_name, uint64_t seg_size);

/*
 * The log as one run of bytes (docs/formats.md "Log segments"): the log
 * region itself on a format-1 disk or in an export, the live segments on
 * a format-2 disk.  Log offsets [start, end) are held; the log can grow to
 * cap by allocating the free slots.
 */
struct ax_logview {
    struct blk *dev;
    uint64_t region_off, region_len;
    uint64_t seg;     /* segment size S; 0: the region is the log */
    uint64_t payload; /* log bytes per segment, S - 512 */
    uint32_t nslots;
    uint32_t *slot; /* slot[k - kbase]: the slot of live segment k */
    uint8_t *used;  /* used[i]: slot i holds a live segment */
    uint8_t *mem;
    uint64_t kbase, kcount; /* live segments kbase .. kbase + kcount - 1 */
    uint64_t start, end, cap;
    uint32_t snap_slot; /* the newest snapshot's slot; UINT32_MAX: none */
    uint64_t snap_size; /* the entries it covers */
    uint64_t snap_len;  /* its snapshot file's length */
    uint8_t snap_hash[32];
};

/* used[i] of a slot holding a log segment, or a snapshot. */
#define AXSEG_USED_LOG 1u
#define AXSEG_USED_SNAPSHOT 2u
/* Slots of a format-2 disk the log leaves for snapshots (a new one is
 * written before the old one is freed). */
#define AX_SNAP_SLOTS 2u

/*
 * Opens the log of a disk ax_read_super accepted (or an export's, with
 * lay->seg_size 0): finds the live segments.  0, ZERR_NOMEM, an I/O error,
 * or ZERR_CORRUPT with why (a damaged header, a gap or repeat in the
 * segment numbers, no segment at all).
 */
int ax_logview_open(struct ax_logview *v, struct blk *dev, const struct ax_layout *lay, char *why,
                    size_t cap);

/* For a new disk whose log region reads as zeros: allocates segment 0. */
int ax_logview_format(struct ax_logview *v, struct blk *dev, const struct ax_layout *lay);

void ax_logview_close(struct ax_logview *v);

/* Sector-aligned I/O at log offsets inside [start, end): 0, ZERR_RANGE or an I/O error.
 * Writes are not flushed. */
int ax_logview_read(struct ax_logview *v, uint64_t off, void *buf, size_t n);
int ax_logview_write(struct ax_logview *v, uint64_t off, const void *buf, size_t n);

/*
 * Writes a snapshot file (len bytes, covering size entries) into a free
 * slot, durably, then frees the slots of older snapshots.  0, ZERR_LIMIT
 * (larger than a segment, or a format-1 disk), ZERR_FULL, or an I/O error.
 */
int ax_logview_put_snapshot(struct ax_logview *v, uint64_t size, const uint8_t *file, size_t len);

/* Reads the newest snapshot file into buf (cap bytes, rounded up to a sector
 * inside): 0 with *len, ZERR_NOENT (none), ZERR_CORRUPT (its hash fails). */
int ax_logview_get_snapshot(struct ax_logview *v, uint8_t *buf, size_t cap, size_t *len);

/*
 * Allocates segments until the log holds offsets up to end (each durable
 * before it returns).  0, ZERR_FULL (no free slot: the disk is full) or an
 * I/O error.  Touches only the device and v.
 */
int ax_logview_grow(struct ax_logview *v, uint64_t end);

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

/* Replay and verification. */

/* Called for each entry applied by a replay, with its hash. */
typedef void (*ax_entry_fn)(void *arg, const struct ax_entry *e, const uint8_t hash[AX_HASH_LEN]);
/* Called after each checkpoint verifies, with the node key that signed it. */
typedef void (*ax_checkpoint_fn)(void *arg, const struct ax_checkpoint *c,
                                 const uint8_t key[ID_PUB_LEN]);

/*
 * Checkpoint signatures a replay holds back to verify together
 * (ed25519_verify_batch), with what it does once each verifies.  Optional:
 * a caller that sets ax_replay.cpw gets the same answers, and the same
 * r->why, bad_seq and bad_off for the first bad signature, as without it.
 */
#define AX_CP_WINDOW 32
#define AX_CP_MSG_MAX 288 /* AXLOG_CP_MAX + 32 */
struct ax_cp_window {
    size_t n;
    struct ax_checkpoint cp[AX_CP_WINDOW];
    uint8_t key[AX_CP_WINDOW][ID_PUB_LEN];
    uint8_t msg[AX_CP_WINDOW][AX_CP_MSG_MAX];
    size_t len[AX_CP_WINDOW];
    uint64_t seq[AX_CP_WINDOW];
    uint64_t off[AX_CP_WINDOW];
};

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
    ax_checkpoint_fn cp_fn;   /* optional (set after ax_replay_init); gets arg too */
    uint64_t snap_size;       /* entries a trusted snapshot supplied (0: from genesis) */
    struct ax_cp_window *cpw; /* optional (set after ax_replay_init): batch the signatures */
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
 * Verifies the checkpoint signatures r->cpw holds back (nothing without
 * one): 0, or ZERR_BADSIG with r->why, bad_seq and bad_off naming the first
 * bad one, exactly as ax_replay_batch would have without the window.
 * ax_replay_batch calls it before any error and when the window fills, and
 * axiom_scan and ax_verify_log at the end of the log; a caller driving
 * ax_replay_batch itself calls it after its last batch.  A replay with a
 * window has verified a batch's signature only after this returns 0.
 */
int ax_replay_flush(struct ax_replay *r);

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

/* axiom_scan over an open view of the log, from r->off (at least v->start). */
int ax_scan_view(struct ax_logview *v, struct ax_replay *r, uint64_t *tail);

/*
 * Verifies a whole log held in memory (an export's body): every batch must
 * verify and the log must end exactly at len, with no torn tail allowed.
 * Returns 0 or a ZERR_* code with r->why, bad_seq, bad_off.
 */
int ax_verify_log(const uint8_t *log, size_t len, struct ax_replay *r);

/* Exports. */

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

#endif
