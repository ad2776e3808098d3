/*
 * Starting a verification from a snapshot file (docs/formats.md
 * "Snapshot file").
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/errors.h"
#include "services/axiom/snapshot.h"
#include "tools/zero/snap_io.h"
#include "tools/zero/zero.h"

/* The bytes before the next batch that can hold the closing checkpoint's
 * record: its header, at most 256 bytes of checkpoint, sector padding. */
#define SNAP_LOOK_BACK 1024u

/* Reads a whole file into a new buffer; NULL if unreadable or over max. */
static uint8_t *snap_slurp(const char *path, size_t max, size_t *len)
{
    FILE *f = fopen(path, "rb");
    uint8_t *buf = f != NULL ? malloc(max + 1) : NULL;

    if (buf != NULL) {
        *len = fread(buf, 1, max + 1, f);
        if (*len > max) {
            free(buf);
            buf = NULL;
        }
    }
    if (f != NULL) {
        fclose(f);
    }
    return buf;
}

/* Reads n bytes of the log at log offset off: an export's body or a disk's log (its segments). */
static int snap_log_read(struct blk *dev, uint64_t off, void *buf, size_t n)
{
    uint8_t hdr[AX_EXPORT_HEADER];
    struct ax_layout lay;
    struct ax_logview v;
    char why[128];

    if (blk_size(dev) < sizeof(hdr) || blk_read(dev, 0, hdr, sizeof(hdr)) != 0) {
        return ZERR_IO;
    }
    if (memcmp(hdr, AX_EXPORT_MAGIC, 8) == 0) {
        return AX_EXPORT_HEADER + off > blk_size(dev)
                   ? ZERR_RANGE
                   : blk_read(dev, AX_EXPORT_HEADER + off, buf, n);
    }
    int err = ax_read_super(dev, &lay, NULL, why, sizeof(why));
    if (err == 0) {
        err = ax_logview_open(&v, dev, &lay, why, sizeof(why));
    }
    if (err == 0) {
        err = ax_logview_read(&v, off, buf, n);
        ax_logview_close(&v);
    }
    return err;
}

/* True if the log on dev has the checkpoint cp (n bytes) just before log offset off. */
static bool snap_dev_has_checkpoint(struct blk *dev, uint64_t off, const uint8_t *cp, size_t n)
{
    uint8_t win[SNAP_LOOK_BACK];

    if (off < sizeof(win) || snap_log_read(dev, off - sizeof(win), win, sizeof(win)) != 0) {
        return false;
    }
    for (size_t i = 0; i + n <= sizeof(win); i += 8) {
        if (memcmp(win + i, cp, n) == 0) {
            return true;
        }
    }
    return false;
}

int zero_snap_start(const char *file, const uint8_t *key, struct blk *dev, struct ax_replay *r)
{
    struct ax_snapfile f;
    size_t len = 0;
    uint8_t *buf = snap_slurp(file, AX_SNAPFILE_HEADER + 256u + AX_SNAP_MAX, &len);

    if (buf == NULL) {
        fprintf(stderr, "zero verify: cannot read the snapshot file %s\n", file);
        return ZERO_EXIT_USAGE;
    }
    int err = ax_snapfile_load(buf, len, key, r);
    if (err != 0) {
        printf("FAILED: %s: %s (%s)\n", file, r->why, zerr_name(err));
        free(buf);
        return ZERO_EXIT_NO;
    }
    (void)ax_snapfile_parse(buf, len, &f);
    bool there = snap_dev_has_checkpoint(dev, f.log_off, f.cp, f.cp_len);
    free(buf);
    if (!there) {
        printf("FAILED: %s: the log does not hold the snapshot's checkpoint (batch %llu) before "
               "offset %llu\n",
               file, (unsigned long long)r->last_cp.batch, (unsigned long long)r->off);
        return ZERO_EXIT_NO;
    }
    return ZERO_EXIT_OK;
}
