/*
 * The operator's passphrase on the host: one line from a file descriptor
 * (scripts: --passphrase-fd N), or typed at the controlling terminal with
 * echo off.
 */
#ifndef ZERO_TOOLS_PASSPHRASE_H
#define ZERO_TOOLS_PASSPHRASE_H

#include <stdbool.h>
#include <stddef.h>

/*
 * Reads a passphrase into buf (at most cap bytes, not NUL-terminated) and
 * returns its length.  fd >= 0: the first line of fd (without its newline;
 * the rest of fd is not read).  fd < 0: asks at /dev/tty with prompt, and
 * when confirm asks again and requires the same answer.  Returns
 * ZERR_INVAL for an empty or over-long passphrase or two different ones,
 * ZERR_UNSUPPORTED when there is no terminal, ZERR_IO on a read error.
 */
long pass_read(int fd, const char *prompt, bool confirm, char *buf, size_t cap);

/* Turns echo of standard input off or on again, when it is a terminal
 * (struct term's echo hook: the terminal's log-in asks secrets there). */
void pass_stdin_echo(bool on);

/* Parses the N of --passphrase-fd N; returns it or -1. */
int pass_parse_fd(const char *s);

#endif
