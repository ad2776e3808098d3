/*
 * The Axiom sequencer: proposals in, durable batches out.
 *
 * One batch is open for proposals while at most one sealed batch is being
 * written; a batch reaches the device with one write and one flush and is
 * acknowledged only after both return.  A batch is never written before
 * the one before it is durable, so after any crash only the last batch can
 * be torn.  Recovery (axiom_open) relies on that: damage with no intact
 * record of a later batch behind it is a torn tail and is cut back; damage
 * followed by a later batch is corruption and is refused.
 */
#include "base/assert.h"
#include "base/errors.h"
#include "base/fmt.h"
#include "base/string.h"
#include "crypto/blake3.h"
#include "hal/hal.h"
#include "services/axiom/sequencer.h"
#include "services/axiom/internal/disk.h"
#include "services/axiom/internal/log.h"
#include "services/axiom/internal/seqsnap.h"

/* Recovery looks for later batches at sector starts in the next 512 KiB;
 * a record starting there may end up to AX_SLACK bytes past it. */
#define AX_WINDOW (2u * AX_MAX_BATCH)
#define AX_SLACK AX_BLOCK

static size_t ax_pages(size_t bytes)
{
    return (bytes + HAL_PAGE_SIZE - 1) / HAL_PAGE_SIZE;
}

static void ax_say(char *why, size_t cap, const char *what, const char *detail)
{
    if (why != NULL && cap > 0) {
        zfmt_snprintf(why, cap, "%s%s%s", what, detail[0] ? ": " : "", detail);
    }
}

int axiom_sign_with_keys(void *keys, const char *name, uint32_t gen, const void *msg, size_t len,
                         uint8_t sig[AX_SIG_LEN])
{
    return keys_sign(keys, name, gen, msg, len, sig);
}

static void ax_free(struct axiom *ax)
{
    if (ax->st != NULL) {
        hal_page_free(ax->st, ax_pages(sizeof(*ax->st)));
    }
    if (ax->open.buf != NULL) {
        hal_page_free(ax->open.buf, ax_pages(AX_MAX_BATCH));
    }
    if (ax->sealed.buf != NULL) {
        hal_page_free(ax->sealed.buf, ax_pages(AX_MAX_BATCH));
    }
    ax_seqsnap_free(ax);
    ax_logview_close(&ax->log);
    ax->st = NULL;
    ax->open.buf = NULL;
    ax->sealed.buf = NULL;
}

static int ax_alloc(struct axiom *ax)
{
    ax->st = hal_page_alloc(ax_pages(sizeof(*ax->st)));
    ax->open.buf = hal_page_alloc(ax_pages(AX_MAX_BATCH));
    ax->sealed.buf = hal_page_alloc(ax_pages(AX_MAX_BATCH));
    if (ax->st == NULL || ax->open.buf == NULL || ax->sealed.buf == NULL) {
        ax_free(ax);
        return ZERR_NOMEM;
    }
    return 0;
}

/*
 * Classifies what stops the replay at r->off: a clean end (0), a torn tail
 * (ZERR_TRUNCATED, *tail = bytes up to its last non-zero byte), or damage
 * followed by an intact record of a later batch (ZERR_CORRUPT).
 */
static int ax_scan_tail(struct ax_logview *v, struct ax_replay *r, uint8_t *win, uint64_t *tail)
{
    uint64_t off = r->off;
    uint64_t rest = v->end - off;
    size_t len = (size_t)(rest < AX_WINDOW + AX_SLACK ? rest : AX_WINDOW + AX_SLACK);
    size_t starts = len < AX_WINDOW ? len : AX_WINDOW;
    size_t span = len < AX_MAX_BATCH ? len : AX_MAX_BATCH;
    int err = ax_logview_read(v, off, win, len);

    if (err != 0) {
        return err;
    }
    if (axlog_later_batch(win, starts, len, r->batch)) {
        char why[sizeof(r->why)];
        memcpy(why, r->why, sizeof(why));
        zfmt_snprintf(r->why, sizeof(r->why),
                      "%s; later entries follow (corruption, not a torn write)", why);
        return ZERR_CORRUPT;
    }
    for (size_t i = span; i > 0; i--) {
        if (win[i - 1] != 0) {
            *tail = i;
            return ZERR_TRUNCATED;
        }
    }
    return 0;
}

int axiom_scan(struct blk *dev, const struct ax_layout *lay, struct ax_replay *r, uint64_t *tail)
{
    struct ax_logview v;
    int err = ax_logview_open(&v, dev, lay, r->why, sizeof(r->why));

    *tail = 0;
    if (err != 0) {
        r->bad_seq = AX_NO_ENTRY;
        return err;
    }
    err = ax_scan_view(&v, r, tail);
    ax_logview_close(&v);
    return err;
}

int ax_scan_view(struct ax_logview *v, struct ax_replay *r, uint64_t *tail)
{
    uint64_t wstart = r->off;
    uint64_t wlen = 0;
    uint8_t *win;
    int err = 0;

    *tail = 0;
    if (r->off < v->start) {
        r->bad_seq = r->st->applied;
        r->bad_off = r->off;
        zfmt_snprintf(r->why, sizeof(r->why),
                      "the log before offset %llu was pruned: start from a snapshot or an export",
                      (unsigned long long)v->start);
        return ZERR_NOENT;
    }
    win = hal_page_alloc(ax_pages(AX_WINDOW + AX_SLACK));
    if (win == NULL) {
        return ZERR_NOMEM;
    }
    while (r->off < v->end) {
        uint64_t off = r->off;
        size_t used = 0;
        if (off + AX_MAX_BATCH > wstart + wlen && wstart + wlen < v->end) {
            wstart = off;
            wlen = v->end - off < AX_WINDOW ? v->end - off : AX_WINDOW;
            err = ax_logview_read(v, wstart, win, (size_t)wlen);
            if (err != 0) {
                zfmt_snprintf(r->why, sizeof(r->why), "cannot read the log: %s", zerr_text(err));
                break;
            }
        }
        err = ax_replay_batch(r, win + (off - wstart), (size_t)(wstart + wlen - off), &used);
        if (err == ZERR_NOENT || err == ZERR_TRUNCATED) {
            err = ax_scan_tail(v, r, win, tail);
            break;
        }
        if (err != 0) {
            break;
        }
    }
    if (err == 0) {
        err = ax_replay_flush(r);
    }
    hal_page_free(win, ax_pages(AX_WINDOW + AX_SLACK));
    return err;
}

/* Writes n bytes at device offset off and flushes: 0 once they are durable. */
static int ax_write_durably(struct blk *dev, uint64_t off, const void *buf, size_t n)
{
    int err = blk_write(dev, off, buf, n);

    if (err != 0) {
        return err;
    }
    return blk_flush(dev);
}

/* Zeroes a torn tail of len bytes at log offset off, durably. */
static int ax_cut_tail(struct axiom *ax, uint64_t off, uint64_t len)
{
    uint64_t n = (len + HAL_BLK_SECTOR - 1) / HAL_BLK_SECTOR * HAL_BLK_SECTOR;

    if (n > ax->log.end - off) {
        n = ax->log.end - off;
    }
    memset(ax->open.buf, 0, (size_t)n);
    int err = ax_logview_write(&ax->log, off, ax->open.buf, (size_t)n);
    return err != 0 ? err : blk_flush(ax->dev);
}

static void ax_adopt(struct axiom *ax, const struct ax_replay *r)
{
    ax->tree = r->tree;
    memcpy(ax->head, r->head, AX_HASH_LEN);
    ax->next_seq = r->st->applied;
    ax->durable = r->st->applied;
    ax->end = r->off;
    ax->next_batch = r->batch;
}

/* Scans the log into ax->st and cuts a torn tail; fills rec. */
static int ax_recover(struct axiom *ax, struct ax_recovery *rec)
{
    struct ax_replay r;
    uint64_t tail = 0;
    int err;

    ax_replay_init(&r, ax->st, NULL, NULL);
    err = ax_logview_open(&ax->log, ax->dev, &ax->lay, rec->why, sizeof(rec->why));
    if (err != 0) {
        return err;
    }
    ax_seqsnap_start(ax, &r, rec);
    err = ax_scan_view(&ax->log, &r, &tail);
    if (err == ZERR_TRUNCATED && r.st->applied > 0) {
        zfmt_snprintf(rec->why, sizeof(rec->why),
                      "cut %llu bytes of torn tail after entry #%llu%s%s", (unsigned long long)tail,
                      (unsigned long long)(r.st->applied - 1), r.why[0] ? ": " : "", r.why);
        rec->cut_bytes = tail;
        err = ax_cut_tail(ax, r.off, tail);
    } else if (err != 0) {
        zfmt_snprintf(rec->why, sizeof(rec->why), "entry #%llu at log offset %llu: %s",
                      (unsigned long long)r.bad_seq, (unsigned long long)r.bad_off, r.why);
        return err == ZERR_TRUNCATED ? ZERR_CORRUPT : err;
    }
    if (err == 0 && r.st->applied == 0) {
        ax_say(rec->why, sizeof(rec->why), "the log has no genesis entry", "");
        err = ZERR_CORRUPT;
    }
    if (err == 0) {
        rec->entries = r.st->applied;
        rec->batches = r.batch;
        ax_adopt(ax, &r);
    }
    return err;
}

int axiom_open(struct axiom *ax, struct blk *dev, ax_sign_fn sign, void *sign_ctx,
               struct ax_recovery *rec)
{
    int err;

    memset(ax, 0, sizeof(*ax));
    memset(rec, 0, sizeof(*rec));
    ax->format = AX_ENTRY_VERSION;
    ax->snap_every = AX_SNAP_EVERY;
    ax->dev = dev;
    ax->sign = sign;
    ax->sign_ctx = sign_ctx;
    err = ax_read_super(dev, &ax->lay, NULL, rec->why, sizeof(rec->why));
    if (err == ZERR_NOENT) {
        ax_say(rec->why, sizeof(rec->why), "the disk is not formatted", "");
    }
    if (err != 0) {
        return err;
    }
    err = ax_alloc(ax);
    if (err != 0) {
        return err;
    }
    err = ax_recover(ax, rec);
    if (err != 0) {
        ax_free(ax);
    }
    return err;
}

void axiom_close(struct axiom *ax)
{
    ax_free(ax);
    memset(ax, 0, sizeof(*ax));
}

/* Bytes of log already claimed by durable, sealed and open batches. */
static uint64_t ax_claimed(const struct axiom *ax)
{
    return ax->end + (ax->inflight ? ax->sealed.len : 0) + ax->open.len;
}

static int ax_room(const struct axiom *ax, size_t need, char *why, size_t whycap)
{
    if (ax->open.len + need + AXLOG_CP_RESERVE > AX_MAX_BATCH) {
        ax_say(why, whycap, "the open batch is full; commit first", "");
        return ZERR_AGAIN;
    }
    if (ax_claimed(ax) + need + AXLOG_CP_RESERVE > ax->log.cap) {
        ax_say(why, whycap, "the disk is full: no free log segment is left (prune old segments)",
               "");
        return ZERR_FULL;
    }
    return 0;
}

int axiom_propose(struct axiom *ax, const struct ax_action *a, struct policy_decision *d,
                  uint64_t *seq, uint8_t hash[AX_HASH_LEN], char *why, size_t whycap)
{
    struct ax_entry e;
    uint8_t buf[AX_ENTRY_MAX];
    size_t len = 0;
    int err;

    if (ax->broken) {
        ax_say(why, whycap, "a durable write failed; the Axiom must be reopened", "");
        return ZERR_IO;
    }
    memset(&e, 0, sizeof(e));
    e.a = *a;
    e.a.format = ax->format; /* never the proposer's choice */
    err = ax_state_decide(ax->st, &e.a, d, why, whycap);
    if (err != 0) {
        return err;
    }
    e.seq = ax->next_seq;
    memcpy(e.prev, ax->head, AX_HASH_LEN);
    e.dec = *d;
    /* Decode-then-perform: size the entry (the root has a fixed size) before applying. */
    err = ax_entry_encode(&e, buf, sizeof(buf), &len);
    if (err == 0) {
        err = ax_room(ax, axlog_rec_size(len), why, whycap);
    }
    if (err != 0) {
        if (err == ZERR_FULL && why != NULL && why[0] == '\0') {
            ax_say(why, whycap, "entry too large", "");
        }
        return err == ZERR_FULL && len > AX_ENTRY_MAX ? ZERR_LIMIT : err;
    }
    /* The batch is signed with the node key in effect before its entries. */
    if (ax->open.count == 0) {
        const struct id_principal *node = id_find(&ax->st->ids, ax->st->node);
        ax->open.number = ax->next_batch++;
        ax->open.first = e.seq;
        ax->open.key_gen = node != NULL ? node->key_gen : 0;
    }
    ax_state_perform(ax->st, &e.a);
    memcpy(e.state_root, ax->st->root, AX_HASH_LEN);
    err = ax_entry_encode(&e, buf, sizeof(buf), &len);
    ZASSERT(err == 0, "an entry sized before perform encodes after it (the root has a fixed size)");
    err = axlog_put(ax->open.buf, AX_MAX_BATCH, &ax->open.len, AXLOG_ENTRY, ax->open.number, e.seq,
                    buf, len);
    ZASSERT(err == 0, "the open batch has the room ax_room reserved for the entry");
    ax->open.count++;
    blake3_hash(buf, len, ax->head);
    ax_merkle_append(&ax->tree, ax->head);
    memcpy(hash, ax->head, AX_HASH_LEN);
    *seq = e.seq;
    ax->next_seq++;
    return 0;
}

static int ax_make_checkpoint(struct axiom *ax, uint8_t *out, size_t cap, size_t *len)
{
    struct ax_checkpoint c;
    uint8_t msg[AXLOG_CP_MAX + 32];
    size_t mlen = 0;
    const struct id_principal *node = id_find(&ax->st->ids, ax->st->node);
    int err;

    memset(&c, 0, sizeof(c));
    c.batch = ax->open.number;
    c.size = ax->next_seq;
    memcpy(c.head, ax->head, AX_HASH_LEN);
    memcpy(c.state_root, ax->st->root, AX_HASH_LEN);
    ax_merkle_root(&ax->tree, c.tree_root);
    if (node == NULL || ax->sign == NULL) {
        return ZERR_INVAL;
    }
    err = ax_checkpoint_message(&c, msg, sizeof(msg), &mlen);
    if (err != 0) {
        return err;
    }
    err = ax->sign(ax->sign_ctx, node->name, ax->open.key_gen, msg, mlen, c.sig);
    if (err != 0) {
        return err;
    }
    return ax_checkpoint_encode(&c, out, cap, len);
}

int axiom_seal(struct axiom *ax, struct ax_batch **out)
{
    uint8_t cp[AXLOG_CP_MAX];
    size_t len = 0;
    struct ax_batch tmp;
    int err;

    if (ax->broken) {
        return ZERR_IO;
    }
    if (ax->inflight) {
        return ZERR_BUSY;
    }
    if (ax->open.count == 0) {
        return ZERR_NOENT;
    }
    err = ax_make_checkpoint(ax, cp, sizeof(cp), &len);
    if (err == 0) {
        err = axlog_put(ax->open.buf, AX_MAX_BATCH, &ax->open.len, AXLOG_CHECKPOINT,
                        ax->open.number, ax->next_seq, cp, len);
    }
    if (err != 0) {
        ax->broken = true;
        return err;
    }
    size_t padded = (ax->open.len + HAL_BLK_SECTOR - 1) / HAL_BLK_SECTOR * HAL_BLK_SECTOR;
    memset(ax->open.buf + ax->open.len, 0, padded - ax->open.len);
    ax->open.len = padded;
    ax->open.off = ax->end;
    ax_seqsnap_prepare(ax, &ax->open, cp, len, ax->end + padded);
    tmp = ax->sealed;
    ax->sealed = ax->open;
    ax->open = tmp;
    ax->open.len = 0;
    ax->open.count = 0;
    ax->inflight = true;
    *out = &ax->sealed;
    return 0;
}

int axiom_write(struct axiom *ax, struct ax_batch *b)
{
    int err = ax_logview_grow(&ax->log, b->off + b->len);

    if (err == 0) {
        err = ax_logview_write(&ax->log, b->off, b->buf, b->len);
    }
    if (err == 0) {
        err = blk_flush(ax->dev);
    }
    if (err == 0) {
        err = ax_seqsnap_write(ax, b);
    }
    return err;
}

void axiom_complete(struct axiom *ax, struct ax_batch *b, int err)
{
    ax->inflight = false;
    if (err != 0) {
        ax->broken = true;
        return;
    }
    ax->durable = b->first + b->count;
    ax->end = b->off + b->len;
}

int axiom_commit(struct axiom *ax)
{
    struct ax_batch *b = NULL;
    int err = axiom_seal(ax, &b);

    if (err == ZERR_NOENT) {
        return 0;
    }
    if (err != 0) {
        return err;
    }
    err = axiom_write(ax, b);
    axiom_complete(ax, b, err);
    return err;
}

uint64_t axiom_durable(const struct axiom *ax)
{
    return ax->durable;
}

/* ---- formatting ---- */

static int ax_format_genesis(struct axiom *ax, struct keys *k, const char *node_name)
{
    struct ax_action a;
    struct policy_decision d;
    struct ax_batch *b = NULL;
    uint8_t hash[AX_HASH_LEN];
    uint64_t seq = 0;
    int err;

    memset(&a, 0, sizeof(a));
    a.kind = AX_GENESIS;
    memcpy(a.proposer, node_name, strlen(node_name));
    memcpy(a.name, node_name, strlen(node_name));
    a.id_kind = ID_KIND_NODE;
    memcpy(a.pub, ax->lay.node_pub, ID_PUB_LEN);
    ax->sign = axiom_sign_with_keys;
    ax->sign_ctx = k;
    err = ax_logview_format(&ax->log, ax->dev, &ax->lay);
    if (err != 0) {
        return err;
    }
    err = axiom_propose(ax, &a, &d, &seq, hash, NULL, 0);
    if (err != 0) {
        return err;
    }
    err = axiom_seal(ax, &b);
    if (err != 0) {
        return err;
    }
    /* The genesis batch goes out with zeros up to AX_MAX_BATCH: a clean tail. */
    size_t len = ax->log.end < AX_MAX_BATCH ? (size_t)ax->log.end : AX_MAX_BATCH;
    if (len < b->len) {
        return ZERR_RANGE;
    }
    memset(b->buf + b->len, 0, len - b->len);
    return ax_logview_write(&ax->log, 0, b->buf, len);
}

int ax_format(struct blk *dev, const uint8_t root_secret[KEYS_SECRET_LEN],
              const uint8_t disk_id[16], const char *node_name)
{
    return ax_format_sealed(dev, root_secret, disk_id, node_name, NULL, 0, NULL);
}

static int ax_format_any(struct blk *dev, const uint8_t root_secret[KEYS_SECRET_LEN],
                         const uint8_t disk_id[16], const char *node_name, const void *pass,
                         size_t pass_len, const struct keyslot_kdf *kdf, const uint64_t *seg);

int ax_format_seg(struct blk *dev, const uint8_t root_secret[KEYS_SECRET_LEN],
                  const uint8_t disk_id[16], const char *node_name, uint64_t seg_size)
{
    return ax_format_any(dev, root_secret, disk_id, node_name, NULL, 0, NULL, &seg_size);
}

/* The key slot block of a new disk: plain, or sealed under pass. */
static int ax_format_slot(const uint8_t root[KEYS_SECRET_LEN], const uint8_t node_pub[ID_PUB_LEN],
                          const void *pass, size_t pass_len, const struct keyslot_kdf *kdf,
                          uint8_t blk[AX_BLOCK])
{
    static const struct keyslot_kdf defaults = {KEYSLOT_T_COST, KEYSLOT_M_KIB, KEYSLOT_LANES};

    if (pass == NULL) {
        ax_keyslot_encode(root, node_pub, blk);
        return 0;
    }
    memset(blk, 0, AX_BLOCK);
    return keyslot_seal(root, node_pub, pass, pass_len, kdf != NULL ? kdf : &defaults, blk);
}

/* Writes the genesis entry, then the key slot, then the superblock that
 * makes the disk a Zero OS disk; blk is scratch the caller wipes. */
static int ax_format_write(struct axiom *ax, struct keys *k, const char *node_name,
                           const uint8_t root_secret[KEYS_SECRET_LEN], const void *pass,
                           size_t pass_len, const struct keyslot_kdf *kdf, uint8_t blk[AX_BLOCK])
{
    int err = ax_alloc(ax);
    if (err != 0) {
        return err;
    }
    ax_state_init(ax->st);
    ax_merkle_init(&ax->tree);
    err = ax_format_genesis(ax, k, node_name);
    if (err != 0) {
        return err;
    }
    err = ax_format_slot(root_secret, ax->lay.node_pub, pass, pass_len, kdf, blk);
    if (err != 0) {
        return err;
    }
    err = ax_write_durably(ax->dev, ax->lay.keyslot_off, blk, AX_BLOCK);
    if (err != 0) {
        return err;
    }
    ax_super_encode(&ax->lay, blk);
    return ax_write_durably(ax->dev, 0, blk, AX_BLOCK);
}

int ax_format_sealed(struct blk *dev, const uint8_t root_secret[KEYS_SECRET_LEN],
                     const uint8_t disk_id[16], const char *node_name, const void *pass,
                     size_t pass_len, const struct keyslot_kdf *kdf)
{
    return ax_format_any(dev, root_secret, disk_id, node_name, pass, pass_len, kdf, NULL);
}

/* ax_format_sealed with a segment size (NULL: the default for the disk). */
static int ax_format_any(struct blk *dev, const uint8_t root_secret[KEYS_SECRET_LEN],
                         const uint8_t disk_id[16], const char *node_name, const void *pass,
                         size_t pass_len, const struct keyslot_kdf *kdf, const uint64_t *seg)
{
    struct axiom ax;
    struct keys k;
    uint8_t blk[AX_BLOCK];
    int err;

    if (blk_size(dev) < AX_MIN_DISK) {
        return ZERR_RANGE;
    }
    if (!id_name_valid(node_name, strlen(node_name))) {
        return ZERR_INVAL;
    }
    memset(&ax, 0, sizeof(ax));
    ax.dev = dev;
    ax_layout_for(blk_size(dev), &ax.lay);
    if (seg != NULL) {
        if (*seg != 0 && !ax_segment_valid(*seg, ax.lay.log_len)) {
            return ZERR_INVAL;
        }
        ax.lay.seg_size = *seg;
    }
    memcpy(ax.lay.disk_id, disk_id, 16);
    keys_init(&k, root_secret);
    err = keys_public(&k, node_name, 0, ax.lay.node_pub);
    if (err == 0) {
        err = ax_format_write(&ax, &k, node_name, root_secret, pass, pass_len, kdf, blk);
    }
    memset(blk, 0, sizeof(blk));
    keys_wipe(&k);
    ax_free(&ax);
    return err;
}

/* Replays an export on dev: the log must end exactly where the header says. */
static int ax_replay_export(struct blk *dev, const uint8_t *hdr, struct ax_replay *r)
{
    struct ax_layout lay;
    uint64_t tail = 0;
    int64_t len = ax_export_check(hdr, (size_t)blk_size(dev));
    int err;

    if (len < 0) {
        zfmt_snprintf(r->why, sizeof(r->why), "%s", "bad export header (length or reserved bytes)");
        r->bad_seq = AX_NO_ENTRY;
        return ZERR_CORRUPT;
    }
    memset(&lay, 0, sizeof(lay));
    lay.log_off = AX_EXPORT_HEADER;
    lay.log_len = (uint64_t)len;
    err = axiom_scan(dev, &lay, r, &tail);
    if (err == 0 && r->off != (uint64_t)len) {
        r->bad_seq = r->st->applied;
        r->bad_off = r->off;
        zfmt_snprintf(r->why, sizeof(r->why), "%s", "bytes after the last batch");
        err = ZERR_CORRUPT;
    }
    if (err == ZERR_TRUNCATED) {
        err = ZERR_CORRUPT; /* an export has no torn tail: it was cut or altered */
    }
    if (err == 0 && r->st->applied == 0) {
        zfmt_snprintf(r->why, sizeof(r->why), "%s", "the log has no genesis entry");
        err = ZERR_CORRUPT;
    }
    return err;
}

int axiom_replay_device(struct blk *dev, struct ax_replay *r, uint8_t *kind, uint64_t *tail)
{
    uint8_t hdr[AX_EXPORT_HEADER];
    struct ax_layout lay;
    int err;

    *tail = 0;
    *kind = 0;
    if (blk_size(dev) < AX_EXPORT_HEADER || blk_read(dev, 0, hdr, sizeof(hdr)) != 0) {
        zfmt_snprintf(r->why, sizeof(r->why), "%s", "too small or unreadable");
        return ZERR_UNSUPPORTED;
    }
    if (memcmp(hdr, AX_EXPORT_MAGIC, 8) == 0) {
        *kind = AX_SOURCE_EXPORT;
        return ax_replay_export(dev, hdr, r);
    }
    err = ax_read_super(dev, &lay, NULL, r->why, sizeof(r->why));
    if (err == ZERR_NOENT || (err == ZERR_CORRUPT && memcmp(hdr, "ZEROOS", 6) != 0)) {
        zfmt_snprintf(r->why, sizeof(r->why), "%s", "neither a Zero OS disk nor a log export");
        return ZERR_UNSUPPORTED;
    }
    *kind = AX_SOURCE_DISK;
    if (err != 0) {
        r->bad_seq = AX_NO_ENTRY;
        return err;
    }
    err = axiom_scan(dev, &lay, r, tail);
    if ((err == 0 || err == ZERR_TRUNCATED) && r->st->applied == 0) {
        /* a torn genesis batch leaves no log: recovery refuses it too */
        char why[sizeof(r->why)];
        memcpy(why, r->why, sizeof(why));
        zfmt_snprintf(r->why, sizeof(r->why), "the log has no genesis entry%s%s",
                      why[0] != '\0' ? ": " : "", why);
        r->bad_seq = 0;
        r->bad_off = 0;
        *tail = 0;
        err = ZERR_CORRUPT;
    }
    return err;
}
