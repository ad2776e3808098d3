/*
 * Space: format and mount, extents that round-trip, a commit that survives
 * a remount, blocks freed only once their commit is durable, a full region
 * refused cleanly, a damaged newest uberblock falling back to the one
 * before, overlapping extents refused, and a write or flush failing at
 * every point of a commit leaving the old or the new generation.
 */
#include <stdlib.h>
#include <string.h>

#include "base/errors.h"
#include "services/space/space.h"
#include "tap.h"

#define DISK (1u << 20)
#define BASE 8192u
#define LEN (DISK - BASE)
#define NB (LEN / SPACE_BLOCK)

static uint8_t disk[DISK], durable[DISK];
static uint8_t used[SPACE_MAP_BYTES(NB)], freed[SPACE_MAP_BYTES(NB)];
static struct blk dev;
static struct space sp;

static int remount(void)
{
    blk_open_mem(&dev, disk, durable, DISK);
    return space_mount(&sp, &dev, BASE, LEN, used, freed);
}

static void test_format_mount(void)
{
    uint8_t root[64];
    size_t n = 1;

    blk_open_mem(&dev, disk, durable, DISK);
    is_int(space_mount(&sp, &dev, BASE, LEN, used, freed), ZERR_NOENT, "a blank region: no entry");
    is_int(space_format(&dev, BASE, 4096 * 3, NULL, NULL), ZERR_RANGE, "a region too small");
    is_int(space_format(&dev, BASE, DISK, NULL, NULL), ZERR_RANGE, "a region past the device");
    is_int(space_format(&dev, BASE, LEN, NULL, NULL), 0, "format");
    is_int(remount(), 0, "mount a formatted region");
    ok(sp.gen == 1 && space_read_root(&sp, root, sizeof(root), &n) == 0 && n == 0,
       "generation 1, empty root");
    is_int(space_free_blocks(&sp), NB - SPACE_RING, "all blocks but the ring are free");
}

static void test_commit(void)
{
    static uint8_t a[10000], back[10000];
    uint8_t root[64];
    uint64_t at, at2;
    size_t n;

    for (size_t i = 0; i < sizeof(a); i++) {
        a[i] = (uint8_t)(i * 7);
    }
    is_int(space_put(&sp, a, sizeof(a), &at), 0, "put 10000 bytes");
    ok(space_get(&sp, at, back, sizeof(a)) == 0 && memcmp(a, back, sizeof(a)) == 0,
       "read them back before commit");
    uint8_t r[16] = "root-one";
    memcpy(r + 8, &at, 8);
    is_int(space_commit(&sp, r, sizeof(r)), 0, "commit");
    is_int(remount(), 0, "remount");
    ok(sp.gen == 2 && space_read_root(&sp, root, sizeof(root), &n) == 0 && n == 16 &&
           memcmp(root, r, 16) == 0,
       "generation 2 with its root");
    is_int(space_mark(&sp, at, sizeof(a)), 0, "the client marks its extent");
    is_int(space_mark(&sp, at + 1, 100), ZERR_CORRUPT, "an overlapping extent is refused");
    is_int(space_mark(&sp, NB - 1, 2 * SPACE_BLOCK), ZERR_CORRUPT, "an extent past the end");
    ok(space_get(&sp, at, back, sizeof(a)) == 0 && memcmp(a, back, sizeof(a)) == 0,
       "the extent survived");
    uint64_t before = space_free_blocks(&sp);
    space_free(&sp, at, sizeof(a));
    is_int(space_free_blocks(&sp), before, "a freed extent stays allocated until commit");
    is_int(space_put(&sp, a, 100, &at2), 0, "put during the commit");
    ok(at2 < at || at2 >= at + 3, "it does not reuse the freed blocks");
    is_int(space_commit(&sp, r, 8), 0, "commit the free");
    /* The put and the new root took a block each; the extent (3) and the old root (1) came back. */
    is_int(space_free_blocks(&sp), before - 1 - 1 + 3 + 1, "freed blocks are back after commit");
}

static void test_full(void)
{
    static uint8_t big[64 * SPACE_BLOCK];
    uint64_t at;
    int err = 0;
    int n = 0;

    while (err == 0) {
        err = space_put(&sp, big, sizeof(big), &at);
        n += err == 0;
    }
    is_int(err, ZERR_FULL, "a full region says so");
    ok(n > 0 && space_free_blocks(&sp) < 64, "after %d extents", n);
    is_int(space_commit(&sp, big, 100 * SPACE_BLOCK), ZERR_FULL, "a root that does not fit");
    ok(!sp.broken, "a refused commit leaves the space usable");
}

static void test_fallback(void)
{
    uint8_t root[64];
    size_t n;

    ok(remount() == 0 && space_commit(&sp, "gen-a", 5) == 0 && space_commit(&sp, "gen-b", 5) == 0,
       "two more commits");
    uint64_t g = sp.gen;
    durable[BASE + (g % SPACE_RING) * SPACE_BLOCK + 100] ^= 1;
    memcpy(disk, durable, DISK);
    is_int(remount(), 0, "mount with the newest uberblock damaged");
    ok(sp.gen == g - 1 && space_read_root(&sp, root, sizeof(root), &n) == 0 && n == 5 &&
           memcmp(root, "gen-a", 5) == 0,
       "falls back to the generation before");
    for (uint32_t i = 0; i < SPACE_RING; i++) {
        durable[BASE + i * SPACE_BLOCK + 7] ^= 1;
    }
    memcpy(disk, durable, DISK);
    is_int(remount(), ZERR_CORRUPT, "no valid uberblock: corrupt");
}

/* A fault at every write and flush of a commit: old or new generation. */
static void test_faults(void)
{
    uint8_t root[64];
    size_t n;
    int bad = 0, newer = 0;

    memset(durable, 0, sizeof(durable));
    for (uint64_t at = 1; at <= 6; at++) {
        for (int mode = BLK_FAULT_FAIL; mode <= BLK_FAULT_CUT_REORDER; mode++) {
            memset(disk, 0, sizeof(disk));
            memset(durable, 0, sizeof(durable));
            blk_open_mem(&dev, disk, durable, DISK);
            (void)space_format(&dev, BASE, LEN, NULL, NULL);
            (void)remount();
            (void)space_commit(&sp, "old-root", 8);
            static uint8_t data[3 * SPACE_BLOCK];
            uint64_t x;
            blk_set_fault(&dev, at, (uint8_t)mode);
            int err = space_put(&sp, data, sizeof(data), &x);
            if (err == 0) {
                err = space_commit(&sp, "new-root", 8);
            }
            memcpy(disk, durable, DISK);
            if (remount() != 0 || space_read_root(&sp, root, sizeof(root), &n) != 0 || n != 8) {
                bad++;
                continue;
            }
            bad += memcmp(root, "old-root", 8) != 0 && memcmp(root, "new-root", 8) != 0;
            bad += err == 0 && memcmp(root, "new-root", 8) != 0;
            newer += memcmp(root, "new-root", 8) == 0;
        }
    }
    is_int(bad, 0, "every cut commit leaves the old or the new root, acknowledged ones new");
    ok(newer > 0, "some runs got far enough to commit (%d)", newer);
}

int main(void)
{
    tap_no_plan();
    test_format_mount();
    test_commit();
    test_full();
    test_fallback();
    test_faults();
    return tap_done();
}
