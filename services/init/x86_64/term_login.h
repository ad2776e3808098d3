/*
 * The x86_64 terminal's second thread (docs/identity.md, "Logging in at
 * the console"): it serves the terminal's endpoint, where the COM2 server
 * hands on the answers to log-in challenges that come from the host
 * (services/listen/frame.h, LSN_TERM_OP_LOGIN), and checks each with the
 * terminal's own code (shell_login_answer).  The console's commands and
 * those checks take turns under one lock, as zero-hosted --listen does.
 */
#ifndef ZERO_SERVICES_INIT_X86_64_TERM_LOGIN_H
#define ZERO_SERVICES_INIT_X86_64_TERM_LOGIN_H

#include <stddef.h>

#include "services/terminal/terminal.h"

/* The shell's commands, each run under the lock; *n gets their count. */
const struct term_cmd *term_login_cmds(size_t *n);

/* Starts the thread serving the terminal's endpoint for the console t.  0 or ZERR_*. */
int term_login_start(struct term *t);

#endif
