#include "services/terminal/terminal.h"

#include <stdarg.h>

#include "base/errors.h"
#include "base/fmt.h"
#include "base/string.h"
#include "hal/hal.h"

void term_init(struct term *t, const struct term_cmd *cmds, size_t n, void *ctx)
{
    memset(t, 0, sizeof(*t));
    t->cmds = cmds;
    t->ncmds = n;
    t->ctx = ctx;
}

void term_printf(struct term *t, const char *fmt, ...)
{
    char buf[1024];
    va_list ap;
    size_t n;

    (void)t;
    va_start(ap, fmt);
    n = zfmt_vsnprintf(buf, sizeof(buf), fmt, ap);
    va_end(ap);
    hal_console_write(buf, n < sizeof(buf) ? n : sizeof(buf) - 1);
}

static bool is_blank(char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

/* Copies one word starting at *src to *dst; returns 0 or ZERR_INVAL. */
static int take_word(char **src, char **dst)
{
    char *s = *src;
    char *d = *dst;

    while (*s != '\0' && !is_blank(*s)) {
        if (*s == '\'') {
            char *end = strchr(s + 1, '\'');
            if (end == NULL) {
                return ZERR_INVAL;
            }
            for (s++; s < end; s++) {
                *d++ = *s;
            }
            s++;
        } else if (*s == '"') {
            for (s++; *s != '"'; s++) {
                if (*s == '\0') {
                    return ZERR_INVAL;
                }
                if (*s == '\\' && (s[1] == '"' || s[1] == '\\')) {
                    s++;
                }
                *d++ = *s;
            }
            s++;
        } else {
            *d++ = *s++;
        }
    }
    *src = s;
    *dst = d;
    return 0;
}

int term_tokenize(char *line, char **argv, int max_args, int *argc)
{
    char *s = line;
    char *d = line;
    int n = 0;

    for (;;) {
        while (is_blank(*s)) {
            s++;
        }
        if (*s == '\0' || *s == '#') {
            break;
        }
        if (n == max_args) {
            return ZERR_LIMIT;
        }
        argv[n++] = d;
        int err = take_word(&s, &d);
        if (err != 0) {
            return err;
        }
        /* The word ends at d; s is past it, so the terminator cannot clobber input. */
        if (*s != '\0') {
            s++;
        }
        *d++ = '\0';
    }
    *argc = n;
    return 0;
}

static int builtin_help(struct term *t)
{
    term_printf(t, "Commands:\n");
    for (size_t i = 0; i < t->ncmds; i++) {
        term_printf(t, "  %-44s %s\n", t->cmds[i].usage, t->cmds[i].summary);
    }
    term_printf(t, "  %-44s %s\n", "help", "list the commands");
    term_printf(t, "  %-44s %s\n", "exit", "leave the terminal");
    return 0;
}

int term_execute(struct term *t, char *line, size_t len)
{
    char *argv[TERM_MAX_ARGS];
    int argc = 0;

    if (strlen(line) != len) { /* line[len] is NUL: a shorter string has one inside */
        term_printf(t, "error: the line holds a NUL byte\n");
        return ZERR_INVAL;
    }
    int err = term_tokenize(line, argv, TERM_MAX_ARGS, &argc);
    if (err == ZERR_INVAL) {
        term_printf(t, "error: unterminated quote\n");
        return err;
    }
    if (err != 0) {
        term_printf(t, "error: more than %d words on one line\n", TERM_MAX_ARGS);
        return err;
    }
    if (argc == 0) {
        return 0;
    }
    if (strcmp(argv[0], "help") == 0) {
        return builtin_help(t);
    }
    if (strcmp(argv[0], "exit") == 0) {
        t->done = true;
        return 0;
    }
    for (size_t i = 0; i < t->ncmds; i++) {
        if (strcmp(argv[0], t->cmds[i].name) == 0) {
            return t->cmds[i].run(t, argc, argv);
        }
    }
    term_printf(t, "error: unknown command '%s' (try 'help')\n", argv[0]);
    return ZERR_NOENT;
}

/* Reads one byte of input; returns 1, 0 at end of input, or a ZERR_*. */
static int read_byte(struct term *t, char *c)
{
    if (t->in_pos == t->in_len) {
        long n = hal_console_read(t->in, sizeof(t->in));
        if (n <= 0) {
            return (int)n;
        }
        t->in_pos = 0;
        t->in_len = (size_t)n;
    }
    *c = t->in[t->in_pos++];
    return 1;
}

/* Assembles the next line into t->line; returns 1, 0 at end, or ZERR_*. */
static int read_line(struct term *t)
{
    char c = 0;
    int r;

    t->len = 0;
    t->too_long = false;
    while ((r = read_byte(t, &c)) == 1) {
        if (c == '\n') {
            break;
        }
        if (t->len == TERM_MAX_LINE) {
            t->too_long = true;
            continue;
        }
        t->line[t->len++] = c;
    }
    t->line[t->len] = '\0';
    if (r <= 0 && t->len == 0 && !t->too_long) {
        return r;
    }
    return 1;
}

int term_read_line(struct term *t)
{
    return read_line(t);
}

long term_read_secret(struct term *t, const char *prompt, char *buf, size_t cap)
{
    size_t n = 0;
    bool over = false;
    char c = 0;
    int r;

    term_printf(t, "%s", prompt);
    if (t->echo != NULL) {
        t->echo(false);
    }
    while ((r = read_byte(t, &c)) == 1 && c != '\n') {
        if (n == cap) {
            over = true;
        } else {
            buf[n++] = c;
        }
    }
    if (t->echo != NULL) {
        t->echo(true);
        term_printf(t, "\n");
    }
    if (n > 0 && buf[n - 1] == '\r') {
        n--;
    }
    if (r <= 0 && n == 0) {
        return ZERR_IO;
    }
    return over ? ZERR_LIMIT : (long)n;
}

int term_run(struct term *t)
{
    int last = 0;

    while (!t->done) {
        term_printf(t, TERM_PROMPT);
        int r = read_line(t);
        if (r <= 0) {
            term_printf(t, "\n");
            return last == 0 ? 0 : 1;
        }
        if (t->too_long) {
            term_printf(t, "error: line longer than %d bytes ignored\n", TERM_MAX_LINE);
            last = ZERR_LIMIT;
            continue;
        }
        last = term_execute(t, t->line, t->len);
    }
    return t->status;
}
