#include "block/block.h"

#include "base/errors.h"
#include "base/string.h"

int blk_open(struct blk *b, const char *name, uint64_t create_bytes)
{
    memset(b, 0, sizeof(*b));
    int err = hal_blk_open(name, create_bytes, &b->hal);
    if (err != 0) {
        return err;
    }
    b->size = hal_blk_size(b->hal);
    return 0;
}

void blk_open_mem(struct blk *b, uint8_t *mem, uint8_t *durable, uint64_t size)
{
    memset(b, 0, sizeof(*b));
    b->mem = mem;
    b->durable = durable;
    b->size = size / BLK_SECTOR * BLK_SECTOR;
}

void blk_set_fault(struct blk *b, uint64_t at, uint8_t mode)
{
    b->fault_at = at == 0 ? 0 : b->ops + at;
    b->fault_mode = mode;
}

uint64_t blk_size(const struct blk *b)
{
    return b->size;
}

static int blk_check(const struct blk *b, uint64_t off, size_t n)
{
    if (off % BLK_SECTOR != 0 || n % BLK_SECTOR != 0) {
        return ZERR_INVAL;
    }
    if (off > b->size || n > b->size - off) {
        return ZERR_RANGE;
    }
    return 0;
}

int blk_read(struct blk *b, uint64_t off, void *buf, size_t n)
{
    int err = blk_check(b, off, n);

    if (err != 0) {
        return err;
    }
    if (b->dead) {
        return ZERR_IO;
    }
    if (b->hal != NULL) {
        return hal_blk_read(b->hal, off, buf, n);
    }
    memcpy(buf, b->mem + off, n);
    return 0;
}

static int blk_raw_write(struct blk *b, uint64_t off, const void *buf, size_t n)
{
    if (b->hal != NULL) {
        return hal_blk_write(b->hal, off, buf, n);
    }
    memcpy(b->mem + off, buf, n);
    return 0;
}

/* Counts one operation; returns the fault to inject now, if any. */
static uint8_t blk_tick(struct blk *b)
{
    b->ops++;
    return b->fault_at != 0 && b->ops == b->fault_at ? b->fault_mode : BLK_FAULT_NONE;
}

int blk_write(struct blk *b, uint64_t off, const void *buf, size_t n)
{
    int err = blk_check(b, off, n);

    if (err != 0) {
        return err;
    }
    if (b->dead) {
        return ZERR_IO;
    }
    switch (blk_tick(b)) {
    case BLK_FAULT_FAIL:
        return ZERR_IO;
    case BLK_FAULT_CUT: {
        size_t part = (n / BLK_SECTOR) / 2 * BLK_SECTOR;
        if (part > 0) {
            (void)blk_raw_write(b, off, buf, part);
        }
        b->dead = true;
        return ZERR_IO;
    }
    case BLK_FAULT_CUT_REORDER: {
        size_t skip = (n / BLK_SECTOR) / 2 * BLK_SECTOR;
        if (skip < n && n > BLK_SECTOR) {
            (void)blk_raw_write(b, off + skip, (const uint8_t *)buf + skip, n - skip);
        }
        b->dead = true;
        return ZERR_IO;
    }
    default:
        return blk_raw_write(b, off, buf, n);
    }
}

int blk_flush(struct blk *b)
{
    if (b->dead) {
        return ZERR_IO;
    }
    switch (blk_tick(b)) {
    case BLK_FAULT_FAIL:
        return ZERR_IO;
    case BLK_FAULT_CUT:
    case BLK_FAULT_CUT_REORDER:
        b->dead = true;
        return ZERR_IO;
    default:
        break;
    }
    if (b->hal != NULL) {
        return hal_blk_flush(b->hal);
    }
    if (b->durable != NULL) {
        memcpy(b->durable, b->mem, b->size);
    }
    return 0;
}

void blk_close(struct blk *b)
{
    if (b->hal != NULL) {
        hal_blk_close(b->hal);
    }
    memset(b, 0, sizeof(*b));
}
