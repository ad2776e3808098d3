/*
 * Log records, the Merkle tree, replay (verification from genesis) and the
 * export header.  Record layout and padding rules: docs/formats.md.
 */
#include "base/errors.h"
#include "base/fmt.h"
#include "base/string.h"
#include "crypto/blake3.h"
#include "crypto/ed25519.h"
#include "services/axiom/log.h"
#include "services/axiom/internal/log.h"

void axlog_le64(uint8_t *p, uint64_t v)
{
    for (int i = 0; i < 8; i++) {
        p[i] = (uint8_t)(v >> (8 * i));
    }
}

uint64_t axlog_get64(const uint8_t *p)
{
    uint64_t v = 0;

    for (int i = 7; i >= 0; i--) {
        v = (v << 8) | p[i];
    }
    return v;
}

void axlog_le32(uint8_t *p, uint32_t v)
{
    for (int i = 0; i < 4; i++) {
        p[i] = (uint8_t)(v >> (8 * i));
    }
}

uint32_t axlog_get32(const uint8_t *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

int axlog_is_zero(const uint8_t *p, size_t n)
{
    uint8_t acc = 0;

    for (size_t i = 0; i < n; i++) {
        acc |= p[i];
    }
    return acc == 0;
}

size_t axlog_rec_size(size_t n)
{
    return AXLOG_HEADER + (n + 7) / 8 * 8;
}

static void axlog_sum(const uint8_t *hdr, const uint8_t *payload, size_t n, uint8_t *out)
{
    blake3_hasher h;

    blake3_init(&h);
    blake3_update(&h, hdr, 32);
    blake3_update(&h, payload, n);
    blake3_finalize(&h, out, AXLOG_SUM_LEN);
}

int axlog_put(uint8_t *buf, size_t cap, size_t *off, uint8_t type, uint64_t batch, uint64_t seq,
              const uint8_t *payload, size_t n)
{
    size_t total = axlog_rec_size(n);
    uint8_t *h = buf + *off;

    if (*off > cap || total > cap - *off || n > UINT32_MAX) {
        return ZERR_FULL;
    }
    memset(h, 0, total);
    h[0] = 'Z';
    h[1] = 'L';
    h[2] = 'R';
    h[3] = '1';
    h[4] = type;
    axlog_le32(h + 8, (uint32_t)n);
    axlog_le64(h + 16, batch);
    axlog_le64(h + 24, seq);
    memcpy(h + AXLOG_HEADER, payload, n);
    axlog_sum(h, payload, n, h + 32);
    *off += total;
    return 0;
}

/* axlog_parse without the checksum, which the caller checks (the replay,
 * many records at once).  The checksum comes first in axlog_parse. */
static int axlog_parse_frame(const uint8_t *buf, size_t avail, struct axlog_rec *r,
                             const char **why)
{
    if (avail < AXLOG_HEADER) {
        *why = "record header runs past the end";
        return ZERR_TRUNCATED;
    }
    if (memcmp(buf, AXLOG_MAGIC, 4) != 0 || (buf[4] != AXLOG_ENTRY && buf[4] != AXLOG_CHECKPOINT) ||
        !axlog_is_zero(buf + 5, 3) || !axlog_is_zero(buf + 12, 4)) {
        *why = "bad record header";
        return ZERR_CORRUPT;
    }
    r->type = buf[4];
    r->len = axlog_get32(buf + 8);
    r->batch = axlog_get64(buf + 16);
    r->seq = axlog_get64(buf + 24);
    if (r->len == 0 || r->len > (r->type == AXLOG_ENTRY ? AX_ENTRY_MAX : AXLOG_CP_MAX)) {
        *why = "record length out of range";
        return ZERR_CORRUPT;
    }
    r->total = axlog_rec_size(r->len);
    if (r->total > avail) {
        *why = "record runs past the end";
        return ZERR_TRUNCATED;
    }
    r->payload = buf + AXLOG_HEADER;
    if (!axlog_is_zero(r->payload + r->len, r->total - AXLOG_HEADER - r->len)) {
        *why = "non-zero record padding";
        return ZERR_CORRUPT;
    }
    return 0;
}

int axlog_parse(const uint8_t *buf, size_t avail, struct axlog_rec *r, const char **why)
{
    uint8_t sum[AXLOG_SUM_LEN];
    int err = axlog_parse_frame(buf, avail, r, why);

    if (err != 0) {
        return err;
    }
    axlog_sum(buf, r->payload, r->len, sum);
    if (memcmp(sum, buf + 32, AXLOG_SUM_LEN) != 0) {
        *why = "record checksum mismatch";
        return ZERR_CORRUPT;
    }
    return 0;
}

/* Reads the header of a record that axlog_parse already accepted. */
static void axlog_reread(const uint8_t *buf, struct axlog_rec *r)
{
    r->type = buf[4];
    r->len = axlog_get32(buf + 8);
    r->batch = axlog_get64(buf + 16);
    r->seq = axlog_get64(buf + 24);
    r->payload = buf + AXLOG_HEADER;
    r->total = axlog_rec_size(r->len);
}

/* ---- replay ---- */

void ax_replay_init(struct ax_replay *r, struct ax_state *st, ax_entry_fn fn, void *arg)
{
    memset(r, 0, sizeof(*r));
    r->st = st;
    r->fn = fn;
    r->arg = arg;
    ax_state_init(st);
    ax_merkle_init(&r->tree);
}

static int ax_replay_fail(struct ax_replay *r, int err, uint64_t seq, uint64_t off,
                          const char *what, const char *detail)
{
    r->bad_seq = seq;
    r->bad_off = off;
    zfmt_snprintf(r->why, sizeof(r->why), "%s%s%s", what, detail[0] ? ": " : "", detail);
    return err;
}

/* Records whose checksums the replay checks together (blake3_hash_short_many). */
#define AXLOG_SUM_GROUP 16

struct axlog_sums {
    size_t n;
    blake3_msg msg[AXLOG_SUM_GROUP];
    size_t off[AXLOG_SUM_GROUP];
    uint64_t seq[AXLOG_SUM_GROUP];
    const uint8_t *rec[AXLOG_SUM_GROUP];
};

/* Checks the pending checksums; reports the first mismatch, in log order. */
static int ax_replay_sums(struct ax_replay *r, struct axlog_sums *p)
{
    uint8_t sum[AXLOG_SUM_GROUP][BLAKE3_OUT_LEN];
    size_t n = p->n;

    p->n = 0;
    blake3_hash_short_many(p->msg, n, sum);
    for (size_t i = 0; i < n; i++) {
        if (memcmp(sum[i], p->rec[i] + 32, AXLOG_SUM_LEN) != 0) {
            return ax_replay_fail(r, ZERR_TRUNCATED, p->seq[i], r->off + p->off[i],
                                  "damaged record", "record checksum mismatch");
        }
    }
    return 0;
}

/*
 * Pass 1: frames every record of the batch at buf and checks checksums,
 * numbering and padding without applying anything.  Sets *cp_at to the
 * checkpoint's offset and *used to the padded batch length.  Checksums are
 * checked AXLOG_SUM_GROUP records at a time, and always before a later
 * record's fault is reported, so the first damaged record in log order is
 * the one named, as if each were checked as it was read.
 */
static int ax_replay_frame(struct ax_replay *r, const uint8_t *buf, size_t avail, size_t *cp_at,
                           size_t *used)
{
    size_t off = 0;
    uint64_t seq = r->st->applied;
    struct axlog_rec rec;
    struct axlog_sums sums;
    const char *why = "";
    int err;

    if (avail > AX_MAX_BATCH) {
        avail = AX_MAX_BATCH;
    }
    if (avail < HAL_BLK_SECTOR || axlog_is_zero(buf, HAL_BLK_SECTOR)) {
        return ZERR_NOENT;
    }
    sums.n = 0;
    for (;;) {
        err = axlog_parse_frame(buf + off, avail - off, &rec, &why);
        if (err == 0 && rec.batch != r->batch) {
            err = ZERR_CORRUPT;
            why = "record of another batch";
        } else if (err == 0 && rec.type == AXLOG_ENTRY && rec.seq != seq) {
            err = ZERR_CORRUPT;
            why = "record out of sequence";
        }
        if (err != 0) {
            err = ax_replay_sums(r, &sums);
            if (err != 0) {
                return err;
            }
            return ax_replay_fail(r, ZERR_TRUNCATED, seq, r->off + off, "damaged record", why);
        }
        sums.msg[sums.n] = (blake3_msg){buf + off, 32, rec.payload, rec.len};
        sums.rec[sums.n] = buf + off;
        sums.off[sums.n] = off;
        sums.seq[sums.n++] = seq;
        if (sums.n == AXLOG_SUM_GROUP && (err = ax_replay_sums(r, &sums)) != 0) {
            return err;
        }
        if (rec.type == AXLOG_CHECKPOINT) {
            break;
        }
        off += rec.total;
        seq++;
    }
    err = ax_replay_sums(r, &sums);
    if (err != 0) {
        return err;
    }
    *cp_at = off;
    off += rec.total;
    size_t end = (off + HAL_BLK_SECTOR - 1) / HAL_BLK_SECTOR * HAL_BLK_SECTOR;
    if (seq == r->st->applied || end > avail || !axlog_is_zero(buf + off, end - off)) {
        return ax_replay_fail(r, ZERR_TRUNCATED, seq, r->off + off, "damaged batch",
                              seq == r->st->applied ? "no entries" : "bad padding");
    }
    *used = end;
    return 0;
}

/* Applies one entry record whose BLAKE3 (the entry hash) is hash and
 * whose Merkle leaf hash is leaf. */
static int ax_replay_entry(struct ax_replay *r, const struct axlog_rec *rec, uint64_t off,
                           const uint8_t hash[AX_HASH_LEN], const uint8_t leaf[AX_HASH_LEN])
{
    struct ax_entry e;
    char why[128];
    int err = ax_entry_decode(rec->payload, rec->len, &e);

    if (err != 0) {
        return ax_replay_fail(r, ZERR_CORRUPT, rec->seq, off, "entry does not decode",
                              zerr_text(err));
    }
    if (e.seq != rec->seq) {
        return ax_replay_fail(r, ZERR_CORRUPT, rec->seq, off, "entry sequence differs from record",
                              "");
    }
    if (memcmp(e.prev, r->head, AX_HASH_LEN) != 0) {
        return ax_replay_fail(r, ZERR_CORRUPT, rec->seq, off, "previous-hash link broken", "");
    }
    err = ax_apply(r->st, &e, why, sizeof(why));
    if (err != 0) {
        return ax_replay_fail(r, err, rec->seq, off, why, "");
    }
    if (e.seq == 0) {
        memcpy(r->genesis_key, e.a.pub, AX_HASH_LEN);
    }
    ax_merkle_append_leaf(&r->tree, leaf);
    memcpy(r->head, hash, AX_HASH_LEN);
    if (r->fn != NULL) {
        r->fn(r->arg, &e, hash);
    }
    return 0;
}

/* What follows a checkpoint's verified signature. */
static void ax_replay_verified(struct ax_replay *r, const struct ax_checkpoint *c,
                               const uint8_t key[AX_HASH_LEN])
{
    r->checkpoints++;
    r->last_cp = *c;
    memcpy(r->last_cp_key, key, AX_HASH_LEN);
    if (r->cp_fn != NULL) {
        r->cp_fn(r->arg, c, key);
    }
}

_Static_assert(AXLOG_CP_MAX + 32 <= AX_CP_MSG_MAX, "AX_CP_MSG_MAX below a checkpoint message");

int ax_replay_flush(struct ax_replay *r)
{
    struct ax_cp_window *w = r->cpw;
    ed25519_batch_item items[AX_CP_WINDOW];

    if (w == NULL || w->n == 0) {
        return 0;
    }
    for (size_t i = 0; i < w->n; i++) {
        items[i] = (ed25519_batch_item){w->cp[i].sig, w->msg[i], w->len[i], &r->node_vk};
    }
    size_t n = w->n;
    size_t bad = ed25519_verify_batch(items, n);
    w->n = 0;
    for (size_t i = 0; i < bad; i++) {
        ax_replay_verified(r, &w->cp[i], w->key[i]);
    }
    if (bad < n) {
        return ax_replay_fail(r, ZERR_BADSIG, w->seq[bad], w->off[bad],
                              "checkpoint signature is not the node's", "");
    }
    return 0;
}

/* Holds back the signature of checkpoint c (message msg, under r->node_vk)
 * for ax_replay_flush; flushes a full window. */
static int ax_replay_hold(struct ax_replay *r, const struct ax_checkpoint *c,
                          const uint8_t key[AX_HASH_LEN], const uint8_t *msg, size_t len,
                          uint64_t seq, uint64_t off)
{
    struct ax_cp_window *w = r->cpw;
    size_t i = w->n++;

    w->cp[i] = *c;
    memcpy(w->key[i], key, AX_HASH_LEN);
    memcpy(w->msg[i], msg, len);
    w->len[i] = len;
    w->seq[i] = seq;
    w->off[i] = off;
    return w->n == AX_CP_WINDOW ? ax_replay_flush(r) : 0;
}

/*
 * Checks the checkpoint closing a batch against the entries replayed and
 * the node key in effect when the batch began (key: NULL for the genesis
 * batch, which the key it installs signs).  A rotation of the node key thus
 * takes effect from the next batch, and is itself signed by the old key.
 */
static int ax_replay_checkpoint(struct ax_replay *r, const struct axlog_rec *rec, uint64_t off,
                                const uint8_t *key)
{
    struct ax_checkpoint c;
    uint8_t msg[AXLOG_CP_MAX + 32];
    uint8_t tree[AX_HASH_LEN];
    size_t len = 0;
    uint64_t last = r->st->applied - 1;

    if (ax_checkpoint_decode(rec->payload, rec->len, &c) != 0) {
        return ax_replay_fail(r, ZERR_CORRUPT, last, off, "checkpoint does not decode", "");
    }
    ax_merkle_root(&r->tree, tree);
    if (c.batch != r->batch || c.size != r->st->applied || rec->seq != c.size ||
        memcmp(c.head, r->head, AX_HASH_LEN) != 0 ||
        memcmp(c.state_root, r->st->root, AX_HASH_LEN) != 0 ||
        memcmp(c.tree_root, tree, AX_HASH_LEN) != 0) {
        return ax_replay_fail(r, ZERR_CORRUPT, last, off,
                              "checkpoint does not match the entries before it", "");
    }
    if (key == NULL) {
        key = r->genesis_key;
    }
    if (!r->node_vk.valid || memcmp(r->node_vk.pub, key, AX_HASH_LEN) != 0) {
        /* Held-back signatures are checked under the key they were made with. */
        int err = ax_replay_flush(r);
        if (err != 0) {
            return err;
        }
        ed25519_pubkey_expand(&r->node_vk, key); /* a bad key leaves it invalid */
    }
    if (ax_checkpoint_message(&c, msg, sizeof(msg), &len) != 0) {
        return ax_replay_fail(r, ZERR_BADSIG, last, off, "checkpoint signature is not the node's",
                              "");
    }
    if (r->cpw != NULL) {
        return ax_replay_hold(r, &c, key, msg, len, last, off);
    }
    if (ed25519_verify_expanded(c.sig, msg, len, &r->node_vk) != 0) {
        return ax_replay_fail(r, ZERR_BADSIG, last, off, "checkpoint signature is not the node's",
                              "");
    }
    ax_replay_verified(r, &c, key);
    return 0;
}

/* ax_replay_batch without the flush on error. */
static int ax_replay_batch_one(struct ax_replay *r, const uint8_t *buf, size_t avail, size_t *used)
{
    size_t cp_at = 0;
    size_t off = 0;
    struct axlog_rec rec;
    uint8_t key[AX_HASH_LEN];
    const struct id_principal *node = id_find(&r->st->ids, r->st->node);
    int err = ax_replay_frame(r, buf, avail, &cp_at, used);

    if (err != 0) {
        return err;
    }
    if (node != NULL) {
        memcpy(key, node->pub, AX_HASH_LEN);
    }
    /* Entry hashes, then their Merkle leaves (docs/formats.md: BLAKE3 of
     * 0x00 || entry hash), AXLOG_SUM_GROUP at a time, ahead of the entries. */
    static const uint8_t leaf_tag[1] = {0x00};
    uint8_t hash[AXLOG_SUM_GROUP][AX_HASH_LEN], leaf[AXLOG_SUM_GROUP][AX_HASH_LEN];
    size_t have = 0, next = 0, ahead = 0;
    while (off < cp_at) {
        if (next == have) {
            blake3_msg m[AXLOG_SUM_GROUP];
            for (have = 0; have < AXLOG_SUM_GROUP && ahead < cp_at; have++) {
                axlog_reread(buf + ahead, &rec);
                m[have] = (blake3_msg){NULL, 0, rec.payload, rec.len};
                ahead += rec.total;
            }
            blake3_hash_short_many(m, have, hash);
            for (size_t i = 0; i < have; i++) {
                m[i] = (blake3_msg){leaf_tag, 1, hash[i], AX_HASH_LEN};
            }
            blake3_hash_short_many(m, have, leaf);
            next = 0;
        }
        axlog_reread(buf + off, &rec);
        err = ax_replay_entry(r, &rec, r->off + off, hash[next], leaf[next]);
        next++;
        if (err != 0) {
            return err;
        }
        off += rec.total;
    }
    axlog_reread(buf + cp_at, &rec);
    err = ax_replay_checkpoint(r, &rec, r->off + cp_at, node != NULL ? key : NULL);
    if (err != 0) {
        return err;
    }
    r->batch++;
    r->off += *used;
    return 0;
}

int ax_replay_batch(struct ax_replay *r, const uint8_t *buf, size_t avail, size_t *used)
{
    int err = ax_replay_batch_one(r, buf, avail, used);

    if (err != 0) {
        /* A bad signature held back comes before this problem. */
        int first = ax_replay_flush(r);
        return first != 0 ? first : err;
    }
    return 0;
}

bool ax_later_batch_exists(const uint8_t *buf, size_t avail, uint64_t batch)
{
    return axlog_later_batch(buf, avail, avail, batch);
}

bool axlog_later_batch(const uint8_t *buf, size_t starts, size_t avail, uint64_t batch)
{
    struct axlog_rec rec;
    const char *why;

    for (size_t off = 0; off < starts && off + AXLOG_HEADER <= avail; off += HAL_BLK_SECTOR) {
        if (axlog_parse(buf + off, avail - off, &rec, &why) == 0 && rec.batch > batch) {
            return true;
        }
    }
    return false;
}

/* ---- export ---- */

void ax_export_header(uint8_t out[AX_EXPORT_HEADER], uint64_t len)
{
    memset(out, 0, AX_EXPORT_HEADER);
    for (size_t i = 0; i < 8; i++) {
        out[i] = (uint8_t)AX_EXPORT_MAGIC[i];
    }
    axlog_le64(out + 8, len);
}

int64_t ax_export_check(const uint8_t *buf, size_t size)
{
    if (size < AX_EXPORT_HEADER || memcmp(buf, AX_EXPORT_MAGIC, 8) != 0 ||
        !axlog_is_zero(buf + 16, AX_EXPORT_HEADER - 16)) {
        return ZERR_CORRUPT;
    }
    uint64_t len = axlog_get64(buf + 8);
    if (len != size - AX_EXPORT_HEADER || len > INT64_MAX || len % HAL_BLK_SECTOR != 0) {
        return ZERR_CORRUPT;
    }
    return (int64_t)len;
}

int ax_verify_export(const uint8_t *buf, size_t size, struct ax_replay *r)
{
    int64_t len = ax_export_check(buf, size);

    if (len < 0) {
        zfmt_snprintf(r->why, sizeof(r->why), "%s", "bad export header");
        return ZERR_CORRUPT;
    }
    return ax_verify_log(buf + AX_EXPORT_HEADER, (size_t)len, r);
}

int ax_verify_log(const uint8_t *log, size_t len, struct ax_replay *r)
{
    for (;;) {
        size_t used = 0;
        int err = ax_replay_batch(r, log + r->off, len - (size_t)r->off, &used);
        if (err == ZERR_NOENT && r->off == len) {
            break;
        }
        if (err == ZERR_NOENT || err == ZERR_TRUNCATED) {
            if (err == ZERR_NOENT) {
                r->bad_seq = r->st->applied;
                r->bad_off = r->off;
                zfmt_snprintf(r->why, sizeof(r->why), "%s",
                              "unexpected bytes where the log should continue or end");
            }
            return ZERR_CORRUPT;
        }
        if (err != 0) {
            return err;
        }
    }
    if (r->st->applied == 0) {
        zfmt_snprintf(r->why, sizeof(r->why), "%s", "the log has no genesis entry");
        return ZERR_CORRUPT;
    }
    return 0;
}
