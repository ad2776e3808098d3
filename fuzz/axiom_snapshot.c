/*
 * libFuzzer target: the state snapshot decoder and the snapshot file
 * loader on any bytes.  Bytes that start as a snapshot file go through the
 * loader (header, checkpoint, signature, snapshot, check); any others are
 * decoded as a bare snapshot, which must then encode back to exactly the
 * same bytes (the decoder accepts canonical snapshots only).
 */
#include <stddef.h>
#include <stdint.h>

#include "base/assert.h"
#include "base/string.h"
#include "services/axiom/snapshot.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static struct ax_state st;
    static struct ax_replay r;
    static uint8_t out[AX_SNAP_MAX];
    size_t len = 0;

    r.st = &st;
    if (size >= 8 && memcmp(data, AX_SNAPFILE_MAGIC, 8) == 0) {
        (void)ax_snapfile_load(data, size, NULL, &r);
        return 0;
    }
    if (ax_snap_decode(data, size, &r) == 0) {
        ZASSERT(ax_snap_encode(&r, out, sizeof(out), &len) == 0, "a decoded snapshot re-encodes");
        ZASSERT(len == size && memcmp(out, data, size) == 0, "snapshot encoding is canonical");
    }
    return 0;
}
