/*
 * Passphrase input on the host.
 */
#include "tools/passphrase/passphrase.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#if ZERO_PLATFORM_HOSTED
#include <termios.h>
#endif

#include "base/errors.h"
#include "crypto/ct.h"

/* Reads one line from fd a byte at a time (so nothing after it is
 * consumed); returns its length without the newline, or a ZERR_*. */
static long read_line(int fd, char *buf, size_t cap)
{
    size_t n = 0;
    for (;;) {
        char c;
        ssize_t r = read(fd, &c, 1);
        if (r < 0) {
            return ZERR_IO;
        }
        if (r == 0 || c == '\n') {
            break;
        }
        if (n == cap) {
            return ZERR_INVAL;
        }
        buf[n++] = c;
    }
    if (n > 0 && buf[n - 1] == '\r') {
        n--;
    }
    return n == 0 ? ZERR_INVAL : (long)n;
}

#if ZERO_PLATFORM_HOSTED
/* One answer typed at the terminal tty with echo off. */
static long ask_tty(int tty, const char *prompt, char *buf, size_t cap)
{
    struct termios old, quiet;
    bool restore = tcgetattr(tty, &old) == 0;
    if (restore) {
        quiet = old;
        quiet.c_lflag &= ~(tcflag_t)(ECHO | ECHONL);
        quiet.c_lflag |= ICANON;
        restore = tcsetattr(tty, TCSAFLUSH, &quiet) == 0;
    }
    long len = write(tty, prompt, strlen(prompt)) < 0 ? ZERR_IO : read_line(tty, buf, cap);
    if (restore) {
        tcsetattr(tty, TCSAFLUSH, &old);
    }
    /* The typed newline was not echoed. */
    return write(tty, "\n", 1) < 0 && len > 0 ? ZERR_IO : len;
}

static long read_tty(const char *prompt, bool confirm, char *buf, size_t cap)
{
    int tty = open("/dev/tty", O_RDWR | O_NOCTTY);
    if (tty < 0) {
        return ZERR_UNSUPPORTED;
    }
    long len = ask_tty(tty, prompt, buf, cap);
    if (len > 0 && confirm) {
        char *again = malloc(cap);
        long len2 = again != NULL ? ask_tty(tty, "again: ", again, cap) : ZERR_NOMEM;
        if (len2 != len || !ct_equal(buf, again, (size_t)len)) {
            len = len2 < 0 ? len2 : ZERR_INVAL;
        }
        if (again != NULL) {
            secure_zero(again, cap);
            free(again);
        }
    }
    close(tty);
    return len;
}
#endif

long pass_read(int fd, const char *prompt, bool confirm, char *buf, size_t cap)
{
    if (fd >= 0) {
        return read_line(fd, buf, cap);
    }
#if ZERO_PLATFORM_HOSTED
    return read_tty(prompt, confirm, buf, cap);
#else
    (void)prompt;
    (void)confirm;
    return ZERR_UNSUPPORTED;
#endif
}

int pass_parse_fd(const char *s)
{
    char *end = NULL;
    long v = strtol(s, &end, 10);
    return end != s && *end == '\0' && v >= 0 && v < 1024 ? (int)v : -1;
}

void pass_stdin_echo(bool on)
{
#if ZERO_PLATFORM_HOSTED
    struct termios t;
    if (isatty(0) && tcgetattr(0, &t) == 0) {
        t.c_lflag = on ? t.c_lflag | ECHO : t.c_lflag & ~(tcflag_t)ECHO;
        tcsetattr(0, TCSAFLUSH, &t);
    }
#else
    (void)on;
#endif
}
