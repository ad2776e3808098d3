/*
 * libFuzzer target: axiom_replay_device, the entry point of zero verify,
 * zero log, zero export and zero proof, over any export or disk.  The first
 * byte chooses what the rest is:
 *   0  a whole export file (sector padded, as a device sees it);
 *   1  the log region of a 1 MiB disk whose superblock and key slot are good;
 *   2  the first 512 bytes of that disk's superblock, then of its key slot,
 *      checksums made good so the fields themselves are reached.
 * Nothing may crash, and what the tools rely on must hold: a replay that
 * succeeds, or ends in a torn tail, has a genesis entry and a node principal.
 */
#include <stddef.h>
#include <stdint.h>

#include "base/assert.h"
#include "base/errors.h"
#include "base/string.h"
#include "crypto/blake3.h"
#include "services/axiom/axiom.h"
#include "services/axiom/internal/disk.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define IMG_EXPORT_MAX (64u * 1024u)

static uint8_t img[AX_MIN_DISK];

/* A 1 MiB disk with a good superblock and key slot and an empty log. */
static void fuzz_disk(void)
{
    static const uint8_t root[KEYS_SECRET_LEN] = {1};
    struct ax_layout lay;

    memset(img, 0, sizeof(img));
    ax_layout_for(sizeof(img), &lay);
    memset(lay.node_pub, 7, sizeof(lay.node_pub));
    ax_super_encode(&lay, img);
    ax_keyslot_encode(root, lay.node_pub, img + AX_BLOCK);
}

static void fuzz_replay(uint64_t size)
{
    static struct ax_state st;
    struct ax_replay r;
    struct blk dev;
    uint8_t kind = 0;
    uint64_t tail = 0;

    blk_open_mem(&dev, img, NULL, size);
    ax_replay_init(&r, &st, NULL, NULL);
    int err = axiom_replay_device(&dev, &r, &kind, &tail);
    if (err == 0 || err == ZERR_TRUNCATED) {
        ZASSERT(st.applied > 0 && id_find(&st.ids, st.node) != NULL,
                "a log that verifies has a genesis entry and a node");
        ZASSERT(kind == AX_SOURCE_DISK || (err == 0 && r.off + AX_EXPORT_HEADER == size),
                "an export verifies whole, with no tail");
        ZASSERT(err == 0 || tail > 0, "a torn tail has bytes");
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1) {
        return 0;
    }
    uint8_t mode = data[0] % 3;
    data++;
    size--;
    if (mode == 0) {
        size_t n = size < IMG_EXPORT_MAX ? size : IMG_EXPORT_MAX;
        memset(img, 0, IMG_EXPORT_MAX);
        memcpy(img, data, n);
        fuzz_replay((n + HAL_BLK_SECTOR - 1) / HAL_BLK_SECTOR * HAL_BLK_SECTOR);
        return 0;
    }
    fuzz_disk();
    if (mode == 1) {
        size_t room = sizeof(img) - 2 * AX_BLOCK;
        memcpy(img + 2 * AX_BLOCK, data, size < room ? size : room);
    } else {
        memcpy(img, data, size < 512 ? size : 512);
        if (size > 512) {
            memcpy(img + AX_BLOCK, data + 512, size - 512 < 512 ? size - 512 : 512);
        }
        blake3_hash(img, 480, img + 480);
        blake3_hash(img + AX_BLOCK, 480, img + AX_BLOCK + 480);
    }
    fuzz_replay(sizeof(img));
    return 0;
}
