/*
 * libFuzzer target: log segment headers (log and snapshot slots) and the
 * segment scan of a format-2 disk.  The input's first 512 bytes are decoded as one header
 * (what decodes must encode back to the same bytes); then the input, cut
 * into 1024-byte pieces, is laid over the first sector pair of each slot
 * of a 1 MiB disk with 8 KiB segments, and the log is opened and replayed
 * across whatever segments it finds.  Nothing may crash; a view that opens
 * has its segments numbered without a gap.
 */
#include <stddef.h>
#include <stdint.h>

#include "base/assert.h"
#include "base/string.h"
#include "services/axiom/axiom.h"
#include "services/axiom/internal/disk.h"
#include "services/axiom/internal/segment.h"

#define FZ_DISK (1024u * 1024u)
#define FZ_SEG 8192u

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static uint8_t disk[FZ_DISK];
    static struct ax_state st;
    uint8_t again[AXSEG_HEADER];
    struct ax_layout lay;
    struct ax_logview v;
    struct ax_replay r;
    struct blk dev;
    struct axseg_hdr h;
    uint64_t tail = 0;

    if (size >= AXSEG_HEADER && axseg_header_decode(data, size, &h) == 0) {
        axseg_header_encode(again, &h);
        ZASSERT(memcmp(again, data, AXSEG_HEADER) == 0, "a segment header has one encoding");
    }
    memset(disk, 0, sizeof(disk));
    ax_layout_for(FZ_DISK, &lay);
    lay.seg_size = FZ_SEG;
    ax_super_encode(&lay, disk);
    for (size_t i = 0, at = 0; at < size && i < lay.log_len / FZ_SEG; i++, at += 1024) {
        size_t n = size - at < 1024 ? size - at : 1024;
        memcpy(disk + lay.log_off + i * FZ_SEG, data + at, n);
    }
    blk_open_mem(&dev, disk, NULL, sizeof(disk));
    if (ax_logview_open(&v, &dev, &lay, NULL, 0) == 0) {
        static uint8_t snap[FZ_SEG];
        size_t len = 0;
        ZASSERT(v.end - v.start == v.kcount * v.payload, "live segments are consecutive");
        (void)ax_logview_get_snapshot(&v, snap, sizeof(snap), &len);
        ax_logview_close(&v);
    }
    ax_replay_init(&r, &st, NULL, NULL);
    (void)axiom_scan(&dev, &lay, &r, &tail);
    return 0;
}
