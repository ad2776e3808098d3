/*
 * An Axiom on a formatted memory disk: what the tests of one entry family
 * (boot_test, svc_test, proc_test) propose against, close and reopen to
 * check that replay reaches the same state.
 */
#ifndef ZERO_TESTS_AXIOM_WORLD_H
#define ZERO_TESTS_AXIOM_WORLD_H

#include <stdint.h>

#include "services/axiom/axiom.h"

#define AX_WORLD_DISK (2u * 1024u * 1024u)

struct ax_world {
    uint8_t *mem;
    struct blk dev;
    struct keys keys;
    struct axiom ax;
    struct ax_recovery rec;
};

/* A zeroed memory disk formatted for "root"; 0 or a ZERR_* code. */
int ax_world_make(struct ax_world *w, const uint8_t secret[KEYS_SECRET_LEN],
                  const uint8_t disk_id[16]);

/* Opens the Axiom on the disk (again, after axiom_close): reads the key
 * from the superblock and replays the log. 0 or a ZERR_* code. */
int ax_world_open(struct ax_world *w);

#endif
