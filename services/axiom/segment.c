/*
 * The log as one run of bytes over the disk (docs/formats.md "Log
 * segments").  A format-1 disk keeps its log in the log region as it is;
 * a format-2 disk cuts the region into slots of S bytes, and the log lives
 * in segments allocated from the free slots: segment k, wherever its slot
 * is, holds the log bytes [k·P, (k+1)·P), P = S − 512, after its one-sector
 * header.  Which slots are free is not stored: a slot whose header is zero
 * (or torn before the segment held anything) is free.
 */
#include "base/errors.h"
#include "base/fmt.h"
#include "base/string.h"
#include "crypto/blake3.h"
#include "hal/hal.h"
#include "services/axiom/log.h"
#include "services/axiom/internal/log.h"
#include "services/axiom/internal/segment.h"

#define AXSEG_ZEROS (64u * 1024u)
static const uint8_t axseg_zeros[AXSEG_ZEROS];

void axseg_header_encode(uint8_t out[AXSEG_HEADER], const struct axseg_hdr *h)
{
    memset(out, 0, AXSEG_HEADER);
    memcpy(out, AXSEG_MAGIC, 8);
    axlog_le64(out + 8, h->k);
    axlog_le64(out + 16, h->kind);
    if (h->kind == AXSEG_SNAPSHOT) {
        axlog_le64(out + 24, h->len);
        memcpy(out + 32, h->hash, 32);
    }
    blake3_hash(out, AXSEG_SUM_AT, out + AXSEG_SUM_AT);
}

int axseg_header_decode(const uint8_t *p, size_t n, struct axseg_hdr *h)
{
    uint8_t sum[BLAKE3_OUT_LEN];

    if (n < AXSEG_HEADER) {
        return ZERR_CORRUPT;
    }
    if (axlog_is_zero(p, AXSEG_HEADER)) {
        return ZERR_NOENT;
    }
    blake3_hash(p, AXSEG_SUM_AT, sum);
    if (memcmp(p, AXSEG_MAGIC, 8) != 0 || memcmp(sum, p + AXSEG_SUM_AT, sizeof(sum)) != 0) {
        return ZERR_CORRUPT;
    }
    memset(h, 0, sizeof(*h));
    h->k = axlog_get64(p + 8);
    h->kind = axlog_get64(p + 16);
    if (h->kind == AXSEG_SNAPSHOT) {
        h->len = axlog_get64(p + 24);
        memcpy(h->hash, p + 32, 32);
    }
    size_t zero_from = h->kind == AXSEG_SNAPSHOT ? 64 : 24;
    if (h->kind > AXSEG_SNAPSHOT || h->k >= (UINT64_C(1) << 63) ||
        !axlog_is_zero(p + zero_from, AXSEG_SUM_AT - zero_from) ||
        (h->kind == AXSEG_SNAPSHOT && h->len == 0)) {
        return ZERR_CORRUPT;
    }
    return 0;
}

static size_t axseg_pages(uint64_t nslots)
{
    return (size_t)((nslots * (sizeof(uint32_t) + 1) + HAL_PAGE_SIZE - 1) / HAL_PAGE_SIZE);
}

static int axseg_fail(char *why, size_t cap, int err, const char *what, uint64_t slot)
{
    if (why != NULL && cap > 0) {
        zfmt_snprintf(why, cap, "log segment slot %llu: %s", (unsigned long long)slot, what);
    }
    return err;
}

/* Device offset of slot i. */
static uint64_t axseg_slot_off(const struct ax_logview *v, uint32_t i)
{
    return v->region_off + (uint64_t)i * v->seg;
}

/*
 * Reads slot i's header: 0 with *h for a segment, ZERR_NOENT for a free
 * slot (a zero header, or a damaged one over a zero first sector: an
 * allocation torn before the segment held anything), ZERR_CORRUPT.
 */
static int axseg_read_slot(struct ax_logview *v, uint32_t i, struct axseg_hdr *h)
{
    uint8_t sec[2 * AXSEG_HEADER];
    int err = blk_read(v->dev, axseg_slot_off(v, i), sec, sizeof(sec));

    if (err != 0) {
        return err;
    }
    err = axseg_header_decode(sec, AXSEG_HEADER, h);
    if (err == ZERR_CORRUPT && axlog_is_zero(sec + AXSEG_HEADER, AXSEG_HEADER)) {
        return ZERR_NOENT;
    }
    return err;
}

/* Notes a snapshot slot; the newest (most entries) is the one start-up uses. */
static void axseg_note_snapshot(struct ax_logview *v, uint32_t i, const struct axseg_hdr *h)
{
    v->used[i] = AXSEG_USED_SNAPSHOT;
    if (v->snap_slot == UINT32_MAX || h->k > v->snap_size) {
        v->snap_slot = i;
        v->snap_size = h->k;
        v->snap_len = h->len;
        memcpy(v->snap_hash, h->hash, sizeof(v->snap_hash));
    }
}

/* Finds the segments of a format-2 log: they must be numbered without a gap. */
static int axseg_scan(struct ax_logview *v, char *why, size_t cap)
{
    uint64_t low = UINT64_MAX;
    struct axseg_hdr h;

    for (uint32_t i = 0; i < v->nslots; i++) {
        int err = axseg_read_slot(v, i, &h);
        if (err == ZERR_NOENT) {
            continue;
        }
        if (err != 0) {
            return axseg_fail(why, cap, err, "damaged segment header", i);
        }
        if (h.kind == AXSEG_SNAPSHOT) {
            axseg_note_snapshot(v, i, &h);
            continue;
        }
        v->used[i] = AXSEG_USED_LOG;
        low = h.k < low ? h.k : low;
    }
    for (uint32_t i = 0; i < v->nslots; i++) {
        if (v->used[i] != AXSEG_USED_LOG) {
            continue;
        }
        (void)axseg_read_slot(v, i, &h);
        if (h.k - low >= v->nslots || v->slot[h.k - low] != UINT32_MAX) {
            return axseg_fail(why, cap, ZERR_CORRUPT, "segment numbers repeat or leave a gap", i);
        }
        v->slot[h.k - low] = i;
        v->kcount++;
    }
    for (uint64_t j = 0; j < v->kcount; j++) {
        if (v->slot[j] == UINT32_MAX) {
            return axseg_fail(why, cap, ZERR_CORRUPT, "segment numbers leave a gap", 0);
        }
    }
    if (v->kcount == 0) {
        return axseg_fail(why, cap, ZERR_CORRUPT, "the log has no segment", 0);
    }
    v->kbase = low;
    return 0;
}

/* How far the log can grow: every slot but the AX_SNAP_SLOTS kept for snapshots. */
static uint64_t axseg_cap(const struct ax_logview *v)
{
    uint64_t log_slots = v->nslots > AX_SNAP_SLOTS ? v->nslots - AX_SNAP_SLOTS : 1;
    return (v->kbase + log_slots) * v->payload;
}

/* Sets v up over lay's log region; for a format-2 disk allocates its slot map. */
static int axseg_init(struct ax_logview *v, struct blk *dev, const struct ax_layout *lay)
{
    memset(v, 0, sizeof(*v));
    v->dev = dev;
    v->region_off = lay->log_off;
    v->region_len = lay->log_len;
    v->seg = lay->seg_size;
    if (v->seg == 0) {
        v->end = v->cap = lay->log_len;
        return 0;
    }
    v->payload = v->seg - AXSEG_HEADER;
    v->nslots = (uint32_t)(lay->log_len / v->seg);
    v->mem = hal_page_alloc(axseg_pages(v->nslots));
    if (v->mem == NULL) {
        return ZERR_NOMEM;
    }
    v->slot = (uint32_t *)v->mem;
    v->used = v->mem + (size_t)v->nslots * sizeof(uint32_t);
    memset(v->slot, 0xff, (size_t)v->nslots * sizeof(uint32_t));
    memset(v->used, 0, v->nslots);
    v->snap_slot = UINT32_MAX;
    return 0;
}

int ax_logview_open(struct ax_logview *v, struct blk *dev, const struct ax_layout *lay, char *why,
                    size_t cap)
{
    int err = axseg_init(v, dev, lay);

    if (err != 0 || v->seg == 0) {
        return err;
    }
    err = axseg_scan(v, why, cap);
    if (err != 0) {
        ax_logview_close(v);
        return err;
    }
    v->start = v->kbase * v->payload;
    v->end = (v->kbase + v->kcount) * v->payload;
    v->cap = axseg_cap(v);
    return 0;
}

void ax_logview_close(struct ax_logview *v)
{
    if (v->mem != NULL) {
        hal_page_free(v->mem, axseg_pages(v->nslots));
    }
    memset(v, 0, sizeof(*v));
}

/* Reads (write false) or writes n bytes at log offset off, segment by segment. */
static int axseg_io(struct ax_logview *v, bool write, uint64_t off, uint8_t *buf, size_t n)
{
    if (off < v->start || off > v->end || n > v->end - off) {
        return ZERR_RANGE;
    }
    if (v->seg == 0) {
        return write ? blk_write(v->dev, v->region_off + off, buf, n)
                     : blk_read(v->dev, v->region_off + off, buf, n);
    }
    while (n > 0) {
        uint64_t k = off / v->payload;
        uint64_t in = off % v->payload;
        size_t piece = v->payload - in < n ? (size_t)(v->payload - in) : n;
        uint64_t at = axseg_slot_off(v, v->slot[k - v->kbase]) + AXSEG_HEADER + in;
        int err = write ? blk_write(v->dev, at, buf, piece) : blk_read(v->dev, at, buf, piece);
        if (err != 0) {
            return err;
        }
        off += piece;
        buf += piece;
        n -= piece;
    }
    return 0;
}

int ax_logview_read(struct ax_logview *v, uint64_t off, void *buf, size_t n)
{
    return axseg_io(v, false, off, buf, n);
}

int ax_logview_write(struct ax_logview *v, uint64_t off, const void *buf, size_t n)
{
    return axseg_io(v, true, off, (uint8_t *)(uintptr_t)buf, n);
}

/* Zeroes n bytes at device offset off (not flushed). */
static int axseg_zero(struct blk *dev, uint64_t off, uint64_t n)
{
    while (n > 0) {
        size_t piece = n < AXSEG_ZEROS ? (size_t)n : AXSEG_ZEROS;
        int err = blk_write(dev, off, axseg_zeros, piece);
        if (err != 0) {
            return err;
        }
        off += piece;
        n -= piece;
    }
    return 0;
}

/*
 * Allocates the next segment in the lowest free slot: zeroes its body and
 * flushes, then writes its header and flushes.  A crash before the second
 * flush leaves the slot free (a zero or torn header over a zero body).
 */
static int axseg_allocate(struct ax_logview *v)
{
    uint8_t hdr[AXSEG_HEADER];
    uint32_t i = 0;
    uint64_t k = v->kbase + v->kcount;

    struct axseg_hdr h = {AXSEG_LOG, k, 0, {0}};

    while (i < v->nslots && v->used[i] != 0) {
        i++;
    }
    if (i == v->nslots) {
        return ZERR_FULL;
    }
    int err = axseg_zero(v->dev, axseg_slot_off(v, i) + AXSEG_HEADER, v->payload);
    if (err == 0) {
        err = blk_flush(v->dev);
    }
    axseg_header_encode(hdr, &h);
    if (err == 0) {
        err = blk_write(v->dev, axseg_slot_off(v, i), hdr, sizeof(hdr));
    }
    if (err == 0) {
        err = blk_flush(v->dev);
    }
    if (err != 0) {
        return err;
    }
    v->used[i] = AXSEG_USED_LOG;
    v->slot[v->kcount++] = i;
    v->end += v->payload;
    return 0;
}

int ax_logview_grow(struct ax_logview *v, uint64_t end)
{
    if (end > v->cap) {
        return ZERR_FULL;
    }
    while (v->end < end) {
        int err = v->seg == 0 ? ZERR_FULL : axseg_allocate(v);
        if (err != 0) {
            return err;
        }
    }
    return 0;
}

int ax_logview_format(struct ax_logview *v, struct blk *dev, const struct ax_layout *lay)
{
    int err = axseg_init(v, dev, lay);

    if (err != 0 || v->seg == 0) {
        return err;
    }
    v->cap = axseg_cap(v);
    err = axseg_allocate(v);
    if (err != 0) {
        ax_logview_close(v);
    }
    return err;
}

/* Frees slot i (a snapshot's) by zeroing its header; not flushed. */
static int axseg_release(struct ax_logview *v, uint32_t i)
{
    int err = blk_write(v->dev, axseg_slot_off(v, i), axseg_zeros, AXSEG_HEADER);

    if (err == 0) {
        v->used[i] = 0;
    }
    return err;
}

int ax_logview_put_snapshot(struct ax_logview *v, uint64_t size, const uint8_t *file, size_t len)
{
    struct axseg_hdr h = {AXSEG_SNAPSHOT, size, len, {0}};
    uint8_t hdr[AXSEG_HEADER];
    uint32_t i = 0;
    size_t whole = len / HAL_BLK_SECTOR * HAL_BLK_SECTOR;

    if (v->seg == 0 || len == 0 || len > v->payload) {
        return ZERR_LIMIT;
    }
    while (i < v->nslots && v->used[i] != 0) {
        i++;
    }
    if (i == v->nslots) {
        return ZERR_FULL;
    }
    uint64_t at = axseg_slot_off(v, i) + AXSEG_HEADER;
    int err = whole > 0 ? blk_write(v->dev, at, file, whole) : 0;
    if (err == 0 && whole < len) {
        uint8_t last[HAL_BLK_SECTOR];
        memset(last, 0, sizeof(last));
        memcpy(last, file + whole, len - whole);
        err = blk_write(v->dev, at + whole, last, sizeof(last));
    }
    if (err == 0) {
        err = blk_flush(v->dev); /* the snapshot, then the header that makes it count */
    }
    blake3_hash(file, len, h.hash);
    axseg_header_encode(hdr, &h);
    if (err == 0) {
        err = blk_write(v->dev, axseg_slot_off(v, i), hdr, sizeof(hdr));
    }
    if (err == 0) {
        err = blk_flush(v->dev);
    }
    if (err != 0) {
        return err;
    }
    for (uint32_t j = 0; j < v->nslots && err == 0; j++) {
        if (j != i && v->used[j] == AXSEG_USED_SNAPSHOT) {
            err = axseg_release(v, j);
        }
    }
    v->used[i] = AXSEG_USED_SNAPSHOT;
    v->snap_slot = i;
    v->snap_size = size;
    v->snap_len = len;
    memcpy(v->snap_hash, h.hash, sizeof(v->snap_hash));
    return err != 0 ? err : blk_flush(v->dev);
}

int ax_logview_get_snapshot(struct ax_logview *v, uint8_t *buf, size_t cap, size_t *len)
{
    uint8_t sum[BLAKE3_OUT_LEN];
    size_t n = (size_t)((v->snap_len + HAL_BLK_SECTOR - 1) / HAL_BLK_SECTOR * HAL_BLK_SECTOR);

    if (v->snap_slot == UINT32_MAX) {
        return ZERR_NOENT;
    }
    if (v->snap_len > v->payload || n > cap) {
        return ZERR_CORRUPT;
    }
    int err = blk_read(v->dev, axseg_slot_off(v, v->snap_slot) + AXSEG_HEADER, buf, n);
    if (err != 0) {
        return err;
    }
    blake3_hash(buf, (size_t)v->snap_len, sum);
    if (memcmp(sum, v->snap_hash, sizeof(sum)) != 0) {
        return ZERR_CORRUPT;
    }
    *len = (size_t)v->snap_len;
    return 0;
}
