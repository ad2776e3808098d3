/*
 * Space: uberblock ring, block allocator, copy-on-write commit.
 */
#include "services/space/space.h"

#include "base/endian.h"
#include "base/errors.h"
#include "base/string.h"
#include "crypto/blake3.h"

static const uint8_t uber_magic[8] = {'Z', 'S', 'P', 'A', 'C', 'E', 0, 1};

/* Device writes and flushes, each shown to the trace hook. */
static int sp_write(struct blk *dev, space_trace_fn trace, void *ctx, uint64_t off, const void *p,
                    size_t n)
{
    if (trace != NULL) {
        trace(ctx, false, off, p, n);
    }
    return blk_write(dev, off, p, n);
}

static int sp_flush(struct blk *dev, space_trace_fn trace, void *ctx)
{
    if (trace != NULL) {
        trace(ctx, true, 0, NULL, 0);
    }
    return blk_flush(dev);
}

/* Encodes the uberblock of generation gen into u (SPACE_UBER_BYTES). */
static void uber_encode(uint8_t *u, uint64_t region_len, uint64_t gen, uint64_t root_start,
                        uint64_t root_len, const uint8_t root_hash[32])
{
    memset(u, 0, SPACE_UBER_BYTES);
    memcpy(u, uber_magic, sizeof(uber_magic));
    le32_put(u + 8, 1);
    le32_put(u + 12, SPACE_BLOCK);
    le64_put(u + 16, region_len);
    le64_put(u + 24, gen);
    le64_put(u + 32, root_start);
    le64_put(u + 40, root_len);
    memcpy(u + 48, root_hash, 32);
    blake3_hash(u, 480, u + 480);
}

static bool all_zero(const uint8_t *p, size_t n)
{
    uint8_t acc = 0;

    for (size_t i = 0; i < n; i++) {
        acc |= p[i];
    }
    return acc == 0;
}

/* Checks an uberblock read from the region of nblocks; 0 or ZERR_CORRUPT. */
static int uber_check(const uint8_t *u, uint64_t nblocks)
{
    uint8_t h[32];
    uint64_t gen = le64_get(u + 24), start = le64_get(u + 32), len = le64_get(u + 40);
    uint64_t blocks = (len + SPACE_BLOCK - 1) / SPACE_BLOCK;

    blake3_hash(u, 480, h);
    if (memcmp(h, u + 480, 32) != 0 || memcmp(u, uber_magic, sizeof(uber_magic)) != 0 ||
        le32_get(u + 8) != 1 || le32_get(u + 12) != SPACE_BLOCK ||
        le64_get(u + 16) != nblocks * SPACE_BLOCK || gen == 0 || !all_zero(u + 80, 400)) {
        return ZERR_CORRUPT;
    }
    if (len == 0 ? start != 0 : start < SPACE_RING || start > nblocks || blocks > nblocks - start) {
        return ZERR_CORRUPT;
    }
    return 0;
}

int space_format(struct blk *dev, uint64_t base, uint64_t len, space_trace_fn trace, void *ctx)
{
    uint8_t ring[SPACE_RING * SPACE_BLOCK];
    uint64_t nblocks = len / SPACE_BLOCK;
    uint8_t none[32];

    if (base % SPACE_BLOCK != 0 || nblocks < SPACE_MIN_BLOCKS || base > blk_size(dev) ||
        nblocks * SPACE_BLOCK > blk_size(dev) - base) {
        return ZERR_RANGE;
    }
    blake3_hash(NULL, 0, none);
    memset(ring, 0, sizeof(ring));
    uber_encode(ring + SPACE_BLOCK, nblocks * SPACE_BLOCK, 1, 0, 0, none);
    int err = sp_write(dev, trace, ctx, base, ring, sizeof(ring));
    if (err != 0) {
        return err;
    }
    return sp_flush(dev, trace, ctx);
}

static bool bit(const uint8_t *m, uint64_t i)
{
    return (m[i / 8] >> (i % 8)) & 1;
}

static void bit_set(uint8_t *m, uint64_t i, bool v)
{
    if (v) {
        m[i / 8] |= (uint8_t)(1u << (i % 8));
    } else {
        m[i / 8] &= (uint8_t) ~(1u << (i % 8));
    }
}

/* Reads the ring and picks the newest valid uberblock into s. */
static int space_pick(struct space *s)
{
    uint8_t u[SPACE_UBER_BYTES];
    bool any = false, seen = false;

    for (uint32_t i = 0; i < SPACE_RING; i++) {
        int err = blk_read(s->dev, s->base + (uint64_t)i * SPACE_BLOCK, u, sizeof(u));
        if (err != 0) {
            return err;
        }
        seen |= !all_zero(u, sizeof(u));
        if (uber_check(u, s->nblocks) != 0 || le64_get(u + 24) % SPACE_RING != i ||
            (any && le64_get(u + 24) <= s->gen)) {
            continue;
        }
        any = true;
        s->gen = le64_get(u + 24);
        s->root_start = le64_get(u + 32);
        s->root_len = le64_get(u + 40);
        memcpy(s->root_hash, u + 48, 32);
    }
    if (!any) {
        return seen ? ZERR_CORRUPT : ZERR_NOENT;
    }
    return 0;
}

int space_mount(struct space *s, struct blk *dev, uint64_t base, uint64_t len, uint8_t *used,
                uint8_t *freed)
{
    memset(s, 0, sizeof(*s));
    s->dev = dev;
    s->base = base;
    s->nblocks = len / SPACE_BLOCK;
    s->used = used;
    s->freed = freed;
    if (base % SPACE_BLOCK != 0 || s->nblocks < SPACE_MIN_BLOCKS || base > blk_size(dev) ||
        s->nblocks * SPACE_BLOCK > blk_size(dev) - base) {
        return ZERR_RANGE;
    }
    memset(used, 0, SPACE_MAP_BYTES(s->nblocks));
    memset(freed, 0, SPACE_MAP_BYTES(s->nblocks));
    for (uint64_t i = 0; i < SPACE_RING; i++) {
        bit_set(used, i, true);
    }
    s->free_blocks = s->nblocks - SPACE_RING;
    s->cursor = SPACE_RING;
    int err = space_pick(s);
    if (err == 0 && s->root_len > 0) {
        err = space_mark(s, s->root_start, s->root_len);
    }
    return err;
}

int space_mark(struct space *s, uint64_t start, uint64_t n)
{
    uint64_t blocks = (n + SPACE_BLOCK - 1) / SPACE_BLOCK;

    if (n == 0 || start < SPACE_RING || start > s->nblocks || blocks > s->nblocks - start) {
        return ZERR_CORRUPT;
    }
    for (uint64_t i = start; i < start + blocks; i++) {
        if (bit(s->used, i)) {
            return ZERR_CORRUPT;
        }
    }
    for (uint64_t i = start; i < start + blocks; i++) {
        bit_set(s->used, i, true);
    }
    s->free_blocks -= blocks;
    return 0;
}

/* First run of k free blocks in [from, to), or 0. */
static uint64_t space_find(const struct space *s, uint64_t from, uint64_t to, uint64_t k)
{
    uint64_t run = 0;

    for (uint64_t i = from; i < to; i++) {
        if (i % 8 == 0 && run == 0 && i + 8 <= to && s->used[i / 8] == 0xFF) {
            i += 7;
            continue;
        }
        run = bit(s->used, i) ? 0 : run + 1;
        if (run == k) {
            return i + 1 - k;
        }
    }
    return 0;
}

/* Allocates k contiguous blocks, next fit from the cursor.  0 or ZERR_FULL. */
static int space_alloc(struct space *s, uint64_t k, uint64_t *start)
{
    uint64_t at = 0;

    if (k <= s->free_blocks) {
        at = space_find(s, s->cursor, s->nblocks, k);
        if (at == 0) {
            at = space_find(s, SPACE_RING, s->nblocks, k);
        }
    }
    if (at == 0) {
        return ZERR_FULL;
    }
    for (uint64_t i = at; i < at + k; i++) {
        bit_set(s->used, i, true);
    }
    s->free_blocks -= k;
    s->cursor = at + k;
    *start = at;
    return 0;
}

/* Writes n bytes at block start: whole sectors straight from p, the tail
 * through one zero-padded sector. */
static int space_write_at(struct space *s, uint64_t start, const uint8_t *p, uint64_t n)
{
    uint64_t off = s->base + start * SPACE_BLOCK;
    uint64_t whole = n / BLK_SECTOR * BLK_SECTOR;
    uint8_t tail[BLK_SECTOR];
    int err = 0;

    if (whole > 0) {
        err = sp_write(s->dev, s->trace, s->trace_ctx, off, p, whole);
    }
    if (err == 0 && whole < n) {
        memset(tail, 0, sizeof(tail));
        memcpy(tail, p + whole, n - whole);
        err = sp_write(s->dev, s->trace, s->trace_ctx, off + whole, tail, sizeof(tail));
    }
    return err;
}

int space_put(struct space *s, const void *p, uint64_t n, uint64_t *start)
{
    uint64_t k = (n + SPACE_BLOCK - 1) / SPACE_BLOCK;

    if (s->broken) {
        return ZERR_IO;
    }
    if (n == 0) {
        return ZERR_INVAL;
    }
    int err = space_alloc(s, k, start);
    if (err != 0) {
        return err;
    }
    err = space_write_at(s, *start, p, n);
    if (err != 0) {
        for (uint64_t i = *start; i < *start + k; i++) {
            bit_set(s->used, i, false);
        }
        s->free_blocks += k;
    }
    return err;
}

int space_get(struct space *s, uint64_t start, void *p, uint64_t n)
{
    uint64_t blocks = (n + SPACE_BLOCK - 1) / SPACE_BLOCK;
    uint64_t off = s->base + start * SPACE_BLOCK;
    uint64_t whole = n / BLK_SECTOR * BLK_SECTOR;
    uint8_t tail[BLK_SECTOR];
    int err = 0;

    if (start < SPACE_RING || start > s->nblocks || blocks > s->nblocks - start) {
        return ZERR_RANGE;
    }
    if (whole > 0) {
        err = blk_read(s->dev, off, p, whole);
    }
    if (err == 0 && whole < n) {
        err = blk_read(s->dev, off + whole, tail, sizeof(tail));
        if (err == 0) {
            memcpy((uint8_t *)p + whole, tail, n - whole);
        }
    }
    return err;
}

void space_free(struct space *s, uint64_t start, uint64_t n)
{
    uint64_t blocks = (n + SPACE_BLOCK - 1) / SPACE_BLOCK;

    for (uint64_t i = start; i < start + blocks && i < s->nblocks; i++) {
        bit_set(s->freed, i, true);
    }
}

int space_read_root(struct space *s, void *buf, size_t cap, size_t *n)
{
    uint8_t h[32];

    *n = 0;
    if (s->root_len > cap) {
        return ZERR_LIMIT;
    }
    if (s->root_len > 0) {
        int err = space_get(s, s->root_start, buf, s->root_len);
        if (err != 0) {
            return err;
        }
    }
    blake3_hash(buf, s->root_len, h);
    if (memcmp(h, s->root_hash, 32) != 0) {
        return ZERR_CORRUPT;
    }
    *n = (size_t)s->root_len;
    return 0;
}

/* After a durable commit: blocks freed during it and the previous root's
 * blocks become free. */
static void space_release(struct space *s, uint64_t old_start, uint64_t old_len)
{
    if (old_len > 0) {
        space_free(s, old_start, old_len);
    }
    for (uint64_t i = SPACE_RING; i < s->nblocks; i++) {
        if (bit(s->freed, i)) {
            bit_set(s->freed, i, false);
            if (bit(s->used, i)) {
                bit_set(s->used, i, false);
                s->free_blocks++;
            }
        }
    }
}

int space_commit(struct space *s, const void *root, size_t n)
{
    uint8_t u[SPACE_UBER_BYTES], h[32];
    uint64_t start = 0, old_start = s->root_start, old_len = s->root_len;
    uint64_t gen = s->gen + 1;
    int err = s->broken ? ZERR_IO : 0;

    if (err == 0 && n > 0) {
        err = space_put(s, root, n, &start);
    }
    if (err == ZERR_FULL) {
        return err; /* nothing written: the space is still sound */
    }
    blake3_hash(root, n, h);
    uber_encode(u, s->nblocks * SPACE_BLOCK, gen, start, n, h);
    if (err == 0) {
        err = sp_flush(s->dev, s->trace, s->trace_ctx);
    }
    if (err == 0) {
        err = sp_write(s->dev, s->trace, s->trace_ctx, s->base + (gen % SPACE_RING) * SPACE_BLOCK,
                       u, sizeof(u));
    }
    if (err == 0) {
        err = sp_flush(s->dev, s->trace, s->trace_ctx);
    }
    if (err != 0) {
        s->broken = true;
        return err;
    }
    s->gen = gen;
    s->root_start = start;
    s->root_len = n;
    memcpy(s->root_hash, h, 32);
    space_release(s, old_start, old_len);
    return 0;
}

uint64_t space_total_blocks(const struct space *s)
{
    return s->nblocks - SPACE_RING;
}

uint64_t space_free_blocks(const struct space *s)
{
    return s->free_blocks;
}
