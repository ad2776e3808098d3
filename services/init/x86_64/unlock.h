/*
 * The terminal's side of a sealed key slot on x86_64 (docs/identity.md):
 * only the terminal holds console input, so it asks the operator for the
 * passphrase and gives it to the key process over IPC (KP_OP_PASS on an
 * endpoint badged KEYS_BADGE_UNLOCK, docs/services.md), at start and for
 * `login NAME` as a principal whose key the node derives.
 */
#ifndef ZERO_SERVICES_INIT_X86_64_UNLOCK_H
#define ZERO_SERVICES_INIT_X86_64_UNLOCK_H

#include <stddef.h>
#include <stdint.h>

#include "services/terminal/terminal.h"

/*
 * Opens the channel to the key process at ep (ZERO_CAP_NONE: none, and
 * there is nothing to unlock) and, while the node's key slot is sealed and
 * locked, asks for the passphrase at the console, up to three times.
 * Returns 0 once the keys are ready (or the key process is gone: the
 * caller's next call to the Axiom says so), ZERR_BADSIG after three wrong
 * passphrases, ZERR_IO at the end of input.  Nothing on the disk changes.
 */
int unlock_at_start(struct term *t, uint64_t ep);

/*
 * The shell's check_pass on x86_64 (ctx unused): the key process checks
 * pass against the opened sealed slot.  0, ZERR_BADSIG for a wrong one,
 * ZERR_UNSUPPORTED when the slot is not sealed, ZERR_PERM when it is and
 * pass is NULL, or the IPC's error.
 */
int unlock_check_pass(void *ctx, const char *pass, size_t len);

#endif
