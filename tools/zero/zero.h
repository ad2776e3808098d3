/* Shared conventions of the zero host tool's subcommands. */
#ifndef ZERO_TOOLS_ZERO_H
#define ZERO_TOOLS_ZERO_H

/* Exit statuses every subcommand uses. */
#define ZERO_EXIT_OK 0
#define ZERO_EXIT_NO 1    /* a negative answer: invalid signature, trap, failed check */
#define ZERO_EXIT_USAGE 2 /* bad arguments or unreadable input */

/* Returns true if argv holds "--help" or "-h" before any "--". */
int zero_wants_help(int argc, char **argv);

#endif
