/* The sequencer's state snapshots (docs/axiom.md "Snapshots"). */
#ifndef ZERO_SERVICES_AXIOM_INTERNAL_SEQSNAP_H
#define ZERO_SERVICES_AXIOM_INTERNAL_SEQSNAP_H

#include <stddef.h>
#include <stdint.h>

#include "services/axiom/sequencer.h"

/*
 * At seal: if this batch brings the log snap_every entries past the last
 * snapshot, encodes the snapshot file of the state after it (checkpoint cp,
 * cp_len bytes; the batch ends at log offset end) and marks b.  Skips
 * (leaving b unmarked) a state snapshots cannot carry, a batch that changed
 * the node key, and a file larger than a segment.
 */
void ax_seqsnap_prepare(struct axiom *ax, struct ax_batch *b, const uint8_t *cp, size_t cp_len,
                        uint64_t end);

/*
 * After b is durable: writes its snapshot, if it has one.  Touches only the
 * device.  0 (also when there was no room for it), or the device's error.
 */
int ax_seqsnap_write(struct axiom *ax, struct ax_batch *b);

/*
 * At open, before the scan: starts r (initialised) from the newest
 * snapshot on the disk if it loads and checks, and sets rec->from_snapshot.
 * Otherwise leaves r at genesis.
 */
void ax_seqsnap_start(struct axiom *ax, struct ax_replay *r, struct ax_recovery *rec);

/* Frees the snapshot buffer. */
void ax_seqsnap_free(struct axiom *ax);

#endif
