/*
 * Building a receipt from a device (disk or export): replay and verify the
 * log, collect every entry's Merkle leaf, and prove entry seq against the
 * tree of the latest signed checkpoint (docs/formats.md "Receipt").  The
 * leaves live in pages from hal_page_alloc, grown by doubling.
 */
#include "base/errors.h"
#include "base/fmt.h"
#include "base/string.h"
#include "hal/hal.h"
#include "services/axiom/log.h"
#include "services/axiom/merkle.h"
#include "services/axiom/receipt.h"

struct rb_leaves {
    uint8_t (*leaf)[AX_HASH_LEN];
    uint64_t n, cap;
    uint64_t want;
    uint8_t entry[AX_ENTRY_MAX];
    size_t entry_len;
    int err;
};

static size_t rb_pages(uint64_t cap)
{
    return (size_t)((cap * AX_HASH_LEN + HAL_PAGE_SIZE - 1) / HAL_PAGE_SIZE);
}

static void rb_collect(void *arg, const struct ax_entry *e, const uint8_t hash[AX_HASH_LEN])
{
    struct rb_leaves *l = arg;

    if (l->err == 0 && l->n == l->cap) {
        uint64_t cap = l->cap ? l->cap * 2 : 1024;
        void *p = hal_page_alloc(rb_pages(cap));
        if (p == NULL) {
            l->err = ZERR_NOMEM;
            return;
        }
        if (l->leaf != NULL) {
            memcpy(p, l->leaf, (size_t)l->n * AX_HASH_LEN);
            hal_page_free(l->leaf, rb_pages(l->cap));
        }
        l->leaf = p;
        l->cap = cap;
    }
    if (l->err != 0) {
        return;
    }
    ax_merkle_leaf(hash, l->leaf[l->n++]);
    if (e->seq == l->want && ax_entry_encode(e, l->entry, sizeof(l->entry), &l->entry_len) != 0) {
        l->err = ZERR_INVAL;
    }
}

int ax_receipt_build(struct blk *dev, uint64_t seq, uint8_t *buf, size_t cap, size_t *len,
                     char *why, size_t whycap)
{
    size_t st_pages = (sizeof(struct ax_state) + HAL_PAGE_SIZE - 1) / HAL_PAGE_SIZE;
    struct ax_state *st = hal_page_alloc(st_pages);
    static struct ax_receipt rc;
    static struct rb_leaves l;
    struct ax_replay r;
    uint8_t kind = 0;
    uint64_t tail = 0;
    int err = st != NULL ? 0 : ZERR_NOMEM;

    memset(&l, 0, sizeof(l));
    l.want = seq;
    if (err == 0) {
        ax_replay_init(&r, st, rb_collect, &l);
        err = axiom_replay_device(dev, &r, &kind, &tail);
        err = err == ZERR_TRUNCATED ? 0 : err;
        err = err == 0 ? l.err : err;
        if (err != 0) {
            zfmt_snprintf(why, whycap, "the log does not verify: %s", r.why);
        } else if (seq >= r.last_cp.size) {
            zfmt_snprintf(why, whycap, "no entry #%llu", (unsigned long long)seq);
            err = ZERR_NOENT;
        }
    }
    if (err == 0) {
        rc.entry = l.entry;
        rc.entry_len = l.entry_len;
        rc.cp = r.last_cp;
        memcpy(rc.node_pub, r.last_cp_key, ID_PUB_LEN);
        err = ax_merkle_inclusion_proof((const uint8_t(*)[AX_HASH_LEN])l.leaf, rc.cp.size, seq,
                                        rc.proof, 64, &rc.proof_len);
        err = err == 0 ? ax_receipt_encode(&rc, buf, cap, len) : err;
        if (err != 0) {
            zfmt_snprintf(why, whycap, "cannot make the receipt: %s", zerr_text(err));
        }
    }
    if (l.leaf != NULL) {
        hal_page_free(l.leaf, rb_pages(l.cap));
    }
    if (st != NULL) {
        hal_page_free(st, st_pages);
    }
    return err;
}
