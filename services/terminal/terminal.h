/*
 * Terminal service: reads command lines from the console, splits them into
 * words and runs the matching command.  Commands are registered by the
 * system that embeds the terminal; "help" and "exit" are built in.
 */
#ifndef ZERO_SERVICES_TERMINAL_H
#define ZERO_SERVICES_TERMINAL_H

#include <stdbool.h>
#include <stddef.h>

#define TERM_MAX_LINE 4096
#define TERM_MAX_ARGS 64
#define TERM_PROMPT "zero> "

struct term;

struct term_cmd {
    const char *name;    /* first word, e.g. "id" */
    const char *usage;   /* e.g. "id create NAME [--kind user|service|node]" */
    const char *summary; /* one line for help */
    /* Runs the command; argv[0] is name.  Returns 0 or a negative ZERR_*. */
    int (*run)(struct term *t, int argc, char **argv);
};

struct term {
    const struct term_cmd *cmds;
    size_t ncmds;
    void *ctx; /* the embedding system's state, for commands */
    /* Turns the console's echo off (false) and on again for a secret;
     * NULL where the console cannot (set by the embedding system). */
    void (*echo)(bool on);
    bool done;
    int status; /* exit status once done */
    /* line assembly */
    char line[TERM_MAX_LINE + 1];
    size_t len;
    bool too_long;
    char in[512];
    size_t in_pos;
    size_t in_len;
};

/* Prepares t to run cmds (n of them) with ctx available to commands. */
void term_init(struct term *t, const struct term_cmd *cmds, size_t n, void *ctx);

/* Formats to the console. */
void term_printf(struct term *t, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/*
 * Splits line in place into words.  Words are separated by blanks; "..."
 * keeps blanks and understands \" and \\; '...' is literal; an unquoted #
 * at the start of a word ends the line (a comment).  Returns 0 with *argc
 * set, ZERR_INVAL for an unterminated quote, ZERR_LIMIT for more than
 * max_args words.
 */
int term_tokenize(char *line, char **argv, int max_args, int *argc);

/*
 * Runs one command line of len bytes (line[len] must be NUL).  A line that
 * holds a NUL byte is refused whole (ZERR_INVAL), never cut at it.  Errors
 * are reported on the console.  Returns 0 or the command's negative ZERR_*
 * code.
 */
int term_execute(struct term *t, char *line, size_t len);

/*
 * Reads the next input line into t->line (t->len bytes, NUL-terminated;
 * t->too_long when it was cut), for commands that take lines of input.
 * Returns 1, 0 at the end of input, or a ZERR_*.
 */
int term_read_line(struct term *t);

/*
 * For a command that needs a secret: prints prompt, reads the next line of
 * console input into buf (at most cap bytes, no newline, not NUL-
 * terminated) with echo off where t->echo can, and returns its length, 0
 * for an empty line, ZERR_LIMIT for a longer one (read and discarded), or
 * ZERR_IO at the end of input.
 */
long term_read_secret(struct term *t, const char *prompt, char *buf, size_t cap);

/*
 * Prompts, reads and runs lines until "exit" or the end of input.  Returns
 * the exit status: 0, or 1 if the last command failed when input ended.
 */
int term_run(struct term *t);

#endif
