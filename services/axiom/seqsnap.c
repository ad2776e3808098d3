/*
 * The sequencer's state snapshots: every snap_every entries the node
 * writes the snapshot file of the state after a batch (the "ZEROSNP1" file
 * of docs/formats.md, whose checkpoint is the batch's signed checkpoint)
 * into a slot of the log pool, and start-up replays only the log after the
 * newest one (docs/axiom.md "Snapshots").
 */
#include "base/errors.h"
#include "base/fmt.h"
#include "base/string.h"
#include "hal/hal.h"
#include "services/axiom/snapshot.h"
#include "services/axiom/internal/seqsnap.h"

/* The snapshot buffer: a replay position, then the file (at most one segment). */
struct ax_snapbuf {
    struct ax_replay r;
    uint8_t file[];
};

static size_t ax_snapbuf_pages(const struct axiom *ax)
{
    return (size_t)((sizeof(struct ax_snapbuf) + ax->log.payload + HAL_PAGE_SIZE - 1) /
                    HAL_PAGE_SIZE);
}

void ax_seqsnap_free(struct axiom *ax)
{
    if (ax->snap_mem != NULL) {
        hal_page_free(ax->snap_mem, ax_snapbuf_pages(ax));
        ax->snap_mem = NULL;
    }
}

/* True if the batch being sealed is due a snapshot and may have one. */
static bool ax_seqsnap_due(const struct axiom *ax)
{
    const struct id_principal *node = id_find(&ax->st->ids, ax->st->node);

    return ax->snap_every != 0 && ax->log.seg != 0 && node != NULL &&
           node->key_gen == ax->open.key_gen && ax->next_seq - ax->snap_done >= ax->snap_every;
}

void ax_seqsnap_prepare(struct axiom *ax, struct ax_batch *b, const uint8_t *cp, size_t cp_len,
                        uint64_t end)
{
    b->snap = false;
    if (!ax_seqsnap_due(ax)) {
        return;
    }
    if (ax->snap_mem == NULL) {
        ax->snap_mem = hal_page_alloc(ax_snapbuf_pages(ax));
    }
    struct ax_snapbuf *sb = (struct ax_snapbuf *)(void *)ax->snap_mem;
    const struct id_principal *node = id_find(&ax->st->ids, ax->st->node);
    if (sb == NULL || ax_checkpoint_decode(cp, cp_len, &sb->r.last_cp) != 0) {
        return;
    }
    sb->r.st = ax->st;
    sb->r.tree = ax->tree;
    sb->r.batch = b->number + 1;
    memcpy(sb->r.head, ax->head, AX_HASH_LEN);
    sb->r.off = end;
    memcpy(sb->r.last_cp_key, node->pub, ID_PUB_LEN);
    if (ax_snapfile_write(&sb->r, sb->file, (size_t)ax->log.payload, &ax->snap_len) == 0) {
        b->snap = true;
    }
}

int ax_seqsnap_write(struct axiom *ax, struct ax_batch *b)
{
    struct ax_snapbuf *sb = (struct ax_snapbuf *)(void *)ax->snap_mem;

    if (!b->snap || sb == NULL) {
        return 0;
    }
    b->snap = false;
    int err = ax_logview_put_snapshot(&ax->log, b->first + b->count, sb->file, ax->snap_len);
    if (err == 0) {
        ax->snap_done = b->first + b->count;
    }
    /* No room for a snapshot only means a longer start-up; a failed write is the device's. */
    return err == ZERR_FULL || err == ZERR_LIMIT ? 0 : err;
}

/* Loads the newest snapshot on the disk into r; 0 or why not. */
static int ax_seqsnap_load(struct axiom *ax, struct ax_replay *r)
{
    size_t len = 0;
    size_t pages =
        (size_t)((ax->log.snap_len + HAL_BLK_SECTOR + HAL_PAGE_SIZE - 1) / HAL_PAGE_SIZE);
    uint8_t *buf = hal_page_alloc(pages);

    if (buf == NULL) {
        return ZERR_NOMEM;
    }
    int err = ax_logview_get_snapshot(&ax->log, buf, pages * HAL_PAGE_SIZE, &len);
    if (err == 0) {
        err = ax_snapfile_load(buf, len, NULL, r);
    }
    hal_page_free(buf, pages);
    if (err != 0) {
        return err;
    }
    /* the snapshot's checkpoint must be signed by the node key of its own state */
    const struct id_principal *node = id_find(&r->st->ids, r->st->node);
    if (node == NULL || memcmp(node->pub, r->last_cp_key, ID_PUB_LEN) != 0 ||
        r->off < ax->log.start || r->off > ax->log.end) {
        return ZERR_CORRUPT;
    }
    return 0;
}

void ax_seqsnap_start(struct axiom *ax, struct ax_replay *r, struct ax_recovery *rec)
{
    if (ax->log.snap_slot == UINT32_MAX) {
        return;
    }
    int err = ax_seqsnap_load(ax, r);
    if (err != 0) {
        ax_replay_init(r, ax->st, NULL, NULL); /* from genesis, the long way */
        zfmt_snprintf(rec->why, sizeof(rec->why), "the snapshot on the disk was not used: %s",
                      zerr_text(err));
        return;
    }
    ax->snap_done = r->snap_size;
    rec->from_snapshot = r->snap_size;
}
