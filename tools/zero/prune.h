/* Pruning old log segments, and replaying an export ahead of a disk. */
#ifndef ZERO_TOOLS_ZERO_PRUNE_H
#define ZERO_TOOLS_ZERO_PRUNE_H

#include <stdint.h>

#include "services/axiom/log.h"

/*
 * Replays and verifies the export at file through r (initialised by the
 * caller; fn and arg are set on it), leaving r at the export's end, ready
 * to go on with a disk whose older segments were pruned.  Returns an exit
 * status, having said why when it is not ZERO_EXIT_OK.
 */
int zero_export_start(const char *file, struct ax_replay *r, ax_entry_fn fn, void *arg);

/* zero prune PATH --before SEQ --export FILE; returns an exit status. */
int zero_prune_disk(const char *path, uint64_t before, const char *file);

#endif
