/*
 * Space: an allocator over a region of a block device, committed
 * copy-on-write through a ring of uberblocks (as ZFS's uberblock ring or
 * LMDB's alternating meta pages).
 *
 * The region is cut into 4096-byte blocks.  Blocks 0..3 are the uberblock
 * ring; the rest hold extents.  Nothing live is ever overwritten: new data
 * and a new root (an opaque blob the client encodes: its index, its
 * namespace) go to free blocks, a flush makes them durable, then the
 * uberblock of generation g+1 is written into ring slot (g+1) mod 4 and
 * flushed.  That second flush is the commit point: a crash before it leaves
 * generation g, after it g+1, and mounting picks the highest generation
 * whose uberblock and root verify.  docs/formats.md "Space" has the bytes.
 *
 * Which blocks are free is not stored: at mount the client marks every
 * extent its root refers to (space_mark), so a block is either reachable
 * from the committed root or free, and no free map can disagree with it.
 * Blocks freed in an open commit stay allocated until that commit is
 * durable, so the committed generation stays whole whatever happens.
 */
#ifndef ZERO_SERVICES_SPACE_H
#define ZERO_SERVICES_SPACE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "block/block.h"

#define SPACE_BLOCK 4096u
#define SPACE_RING 4u
#define SPACE_UBER_BYTES 512u
/* The smallest region: the ring and a few blocks. */
#define SPACE_MIN_BLOCKS (SPACE_RING + 4u)

/* Bytes of bitmap a region of nblocks needs (each of the two maps). */
#define SPACE_MAP_BYTES(nblocks) (((nblocks) + 7u) / 8u)

/* Observes every device write and flush the space issues (crash tests
 * record them); off is the device offset. */
typedef void (*space_trace_fn)(void *ctx, bool flush, uint64_t off, const void *p, size_t n);

struct space {
    struct blk *dev;
    uint64_t base;    /* region start on the device, a block multiple */
    uint64_t nblocks; /* region length in blocks */
    uint8_t *used;    /* bit per block: live or allocated since the last commit */
    uint8_t *freed;   /* bit per block: freed since the last commit */
    uint64_t cursor;  /* next-fit search start */
    uint64_t free_blocks;
    uint64_t gen;        /* committed generation */
    uint64_t root_start; /* committed root extent (block), 0 when empty */
    uint64_t root_len;   /* bytes */
    uint8_t root_hash[32];
    bool broken; /* a commit failed midway: remount before using the space */
    space_trace_fn trace;
    void *trace_ctx;
};

/* Writes an empty space (generation 1, no root) over [base, base+len) of dev
 * and flushes.  len is rounded down to blocks.  0, ZERR_RANGE (too small or
 * past the device) or ZERR_IO. */
int space_format(struct blk *dev, uint64_t base, uint64_t len, space_trace_fn trace, void *ctx);

/* Opens the space over [base, base+len) of dev with caller bitmaps (each
 * SPACE_MAP_BYTES(len / SPACE_BLOCK) bytes): finds the newest valid
 * uberblock.  The caller then reads the root (space_read_root), marks every
 * extent it refers to (space_mark) and may allocate.  Returns 0, ZERR_NOENT
 * (never formatted: no uberblock at all), ZERR_CORRUPT (no valid uberblock)
 * or ZERR_IO. */
int space_mount(struct space *s, struct blk *dev, uint64_t base, uint64_t len, uint8_t *used,
                uint8_t *freed);

/* Reads the committed root into buf (cap bytes) and checks it against its
 * hash; *n is its length (0: empty).  0, ZERR_LIMIT, ZERR_CORRUPT, ZERR_IO. */
int space_read_root(struct space *s, void *buf, size_t cap, size_t *n);

/* Marks an extent of n bytes at block start as live (at mount).  ZERR_CORRUPT
 * when it leaves the region or overlaps a block already marked. */
int space_mark(struct space *s, uint64_t start, uint64_t n);

/* Allocates blocks for n bytes (n > 0), writes p there (not yet durable) and
 * returns the first block.  0, ZERR_FULL, ZERR_IO. */
int space_put(struct space *s, const void *p, uint64_t n, uint64_t *start);

/* Reads n bytes of the extent at block start.  0, ZERR_RANGE, ZERR_IO. */
int space_get(struct space *s, uint64_t start, void *p, uint64_t n);

/* Frees the extent of n bytes at block start once the open commit is durable. */
void space_free(struct space *s, uint64_t start, uint64_t n);

/* Commits: writes root (n bytes, may be 0) to free blocks, flushes, writes and
 * flushes the next uberblock.  On return 0 the new generation is durable and
 * the blocks freed before it are free.  On an error the space is broken until
 * remounted (the device holds the old or the new generation). */
int space_commit(struct space *s, const void *root, size_t n);

/* Blocks in the region outside the ring, and how many are free. */
uint64_t space_total_blocks(const struct space *s);
uint64_t space_free_blocks(const struct space *s);

#endif
