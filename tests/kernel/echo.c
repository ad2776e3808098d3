/*
 * Example program: a line echo over the serial console.  Reads input
 * through hal_console_read (COM1 interrupts delivered as a notification),
 * echoes keys as they are typed and answers each line; "quit" ends it.
 */
#include "base/string.h"
#include "hal/hal.h"
#include "zero/zero.h"

#define LINE_MAX 128

static char inbuf[64];
static long in_len;
static long in_pos;

/* Next input byte (buffered), or -1 at error. */
static int next_char(void)
{
    if (in_pos == in_len) {
        in_len = hal_console_read(inbuf, sizeof(inbuf));
        in_pos = 0;
        if (in_len <= 0) {
            in_len = 0;
            return -1;
        }
    }
    return (unsigned char)inbuf[in_pos++];
}

/* Reads one line into line (without its end); returns its length or -1 at error. */
static long read_line(char *line, size_t cap)
{
    size_t len = 0;
    for (;;) {
        int c = next_char();
        if (c < 0) {
            return -1;
        }
        if (c == '\r' || c == '\n') {
            zero_write("\n", 1);
            line[len] = 0;
            return (long)len;
        }
        if ((c == 0x7f || c == 0x08) && len > 0) {
            len--;
            zero_write("\b \b", 3);
        } else if (c >= 0x20 && c < 0x7f && len + 1 < cap) {
            line[len++] = (char)c;
            zero_write(&line[len - 1], 1);
        }
    }
}

int zero_main(uint64_t arg)
{
    (void)arg;
    zprintf("hello from user space: Zero OS echo; type a line, \"quit\" to stop\n");
    char line[LINE_MAX];
    for (;;) {
        zero_write("> ", 2);
        long n = read_line(line, sizeof(line));
        if (n < 0) {
            zprintf("echo: console input unavailable\n");
            return 1;
        }
        if (strcmp(line, "quit") == 0) {
            zprintf("echo: bye\n");
            return 0;
        }
        zprintf("echo: %s (%ld bytes)\n", line, n);
    }
}
