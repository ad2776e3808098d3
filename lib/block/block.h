/*
 * Block layer: the device under the Axiom's disk format, with fault
 * injection for crash tests.
 *
 * A device is either a HAL block device (hosted: a file; x86_64: virtio-blk)
 * or a memory image owned by the caller (tests, tools).  A memory device
 * models a volatile cache: writes land in `mem` at once and reach `durable`
 * only at blk_flush, so a test can take either image as "the disk after a
 * power cut".
 *
 * Fault injection counts write and flush operations from 1.  At operation
 * fault_at the device fails (BLK_FAULT_FAIL: nothing written, ZERR_IO, later
 * operations work) or is cut (BLK_FAULT_CUT: the first half of the sectors
 * of that write land, then the device is dead and every later operation
 * returns ZERR_IO, like a power cut; BLK_FAULT_CUT_REORDER: the same, but
 * the second half lands instead, as when a disk reorders sector writes).
 */
#ifndef ZERO_BLOCK_BLOCK_H
#define ZERO_BLOCK_BLOCK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "hal/hal.h"

#define BLK_SECTOR HAL_BLK_SECTOR

enum blk_fault {
    BLK_FAULT_NONE = 0,
    BLK_FAULT_FAIL = 1,
    BLK_FAULT_CUT = 2,
    BLK_FAULT_CUT_REORDER = 3,
};

struct blk {
    struct hal_blk *hal; /* NULL for a memory device */
    uint8_t *mem;        /* memory device: what reads see */
    uint8_t *durable;    /* memory device: what survives a power cut (may be NULL) */
    uint64_t size;
    uint64_t ops;      /* writes and flushes so far */
    uint64_t fault_at; /* 0: no fault */
    uint8_t fault_mode;
    bool dead;
};

/* Opens a HAL device (see hal_blk_open).  Returns 0 or a ZERR_* code. */
int blk_open(struct blk *b, const char *name, uint64_t create_bytes);

/* Makes b a memory device over mem (size bytes, a sector multiple); durable may be NULL. */
void blk_open_mem(struct blk *b, uint8_t *mem, uint8_t *durable, uint64_t size);

/* Arms a fault at operation number at (counted from the next one, 1-based). */
void blk_set_fault(struct blk *b, uint64_t at, uint8_t mode);

uint64_t blk_size(const struct blk *b);

/* Sector-aligned I/O inside the device: 0 or ZERR_INVAL / ZERR_RANGE / ZERR_IO. */
int blk_read(struct blk *b, uint64_t off, void *buf, size_t n);
int blk_write(struct blk *b, uint64_t off, const void *buf, size_t n);
int blk_flush(struct blk *b);

void blk_close(struct blk *b);

#endif
