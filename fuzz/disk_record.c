/*
 * libFuzzer target: the on-disk record decoder and the replay over any
 * bytes taken as a log region, and the superblock reader over any bytes
 * taken as a disk.  Nothing may crash; a log that verifies must have
 * consumed exactly its input.
 */
#include <stddef.h>
#include <stdint.h>

#include "base/assert.h"
#include "base/string.h"
#include "services/axiom/axiom.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static struct ax_state st;
    static uint8_t disk[4 * AX_BLOCK];
    struct ax_replay r;
    struct ax_layout lay;
    struct blk dev;

    ax_replay_init(&r, &st, NULL, NULL);
    if (ax_verify_log(data, size, &r) == 0) {
        ZASSERT(r.off == size && st.applied > 0, "a verified log is consumed whole");
    }
    memset(disk, 0, sizeof(disk));
    memcpy(disk, data, size < sizeof(disk) ? size : sizeof(disk));
    blk_open_mem(&dev, disk, NULL, sizeof(disk));
    (void)ax_read_super(&dev, &lay, NULL, NULL, 0);
    return 0;
}
