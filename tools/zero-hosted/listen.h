/*
 * zero-hosted --listen PATH: signed proposals and read-only queries on a
 * Unix socket (docs/formats.md, "Socket protocol"), served by one thread
 * beside the terminal.  The terminal's commands and the server reach the
 * node only under one lock.
 */
#ifndef ZERO_TOOLS_ZERO_HOSTED_LISTEN_H
#define ZERO_TOOLS_ZERO_HOSTED_LISTEN_H

#include <stddef.h>

#include "services/init/node.h"
#include "services/terminal/terminal.h"

/* Starts serving path for node n, whose console is t (log-in answers
 * reach it); returns 0 or a negative ZERR_* (with a message on stderr).  A stale socket file at
 * path is replaced; anything else there is refused. */
int listen_start(struct node *n, struct term *t, const char *path);

/* Stops the server (if started), closes every connection, removes path. */
void listen_stop(void);

/* The terminal's commands, each run under the node lock; *n gets their count. */
const struct term_cmd *listen_locked_cmds(size_t *n);

#endif
