/* Shared conventions of the zero host tool's subcommands. */
#ifndef ZERO_TOOLS_ZERO_H
#define ZERO_TOOLS_ZERO_H

#include <stddef.h>
#include <stdint.h>

/* Exit statuses every subcommand uses. */
#define ZERO_EXIT_OK 0
#define ZERO_EXIT_NO 1    /* a negative answer: invalid signature, trap, failed check */
#define ZERO_EXIT_USAGE 2 /* bad arguments or unreadable input */

/* Returns true if argv holds "--help" or "-h" before any "--". */
int zero_wants_help(int argc, char **argv);

struct blk;

/*
 * Opens the disk image or export at path read-only into dev.  Returns 0;
 * ZERR_TRUNCATED if it starts like a Zero OS disk or export but is not a
 * whole number of 512-byte sectors, which neither format can be
 * (docs/formats.md); or the error of the open.
 */
int zero_open_image(const char *path, struct blk *dev);

/* zero job verify DISK SEQ (tools/zero/job_verify.c); argv[0] is "job". */
int zero_job_verify(int argc, char **argv);

/* Sends one request body (docs/formats.md, "Socket protocol") to the socket
 * at path and prints the answer; the exit status: 0, 1 for "denied:", 2
 * for "error:" or no answer (cmd_submit.c). */
int zero_submit_exchange(const char *path, const uint8_t *body, size_t len);

/* What zero_open_image's ZERR_TRUNCATED means, for messages. */
#define ZERO_PARTIAL_SECTOR "not a whole number of 512-byte sectors"

#endif
