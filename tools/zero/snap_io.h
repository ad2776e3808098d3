/*
 * Snapshot files on the host: write one after verifying a disk or export
 * (zero snapshot), and start a verification from one (zero verify
 * --snapshot).
 */
#ifndef ZERO_TOOLS_ZERO_SNAP_IO_H
#define ZERO_TOOLS_ZERO_SNAP_IO_H

#include <stdint.h>

#include "block/block.h"
#include "services/axiom/log.h"

/*
 * Loads the snapshot file at file into r (whose st is set), trusting the
 * key it names or, when key is not NULL, only that key, and checks that
 * dev (a disk or an export) holds the snapshot's checkpoint right before
 * the log offset where r continues.  Prints the reason and returns an exit
 * status on failure; 0 when r is ready for axiom_replay_device.
 */
int zero_snap_start(const char *file, const uint8_t *key, struct blk *dev, struct ax_replay *r);

#endif
