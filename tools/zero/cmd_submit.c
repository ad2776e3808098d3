/*
 * zero submit: the client of zero-hosted --listen (docs/formats.md, "Socket
 * protocol").  Sends one signed proposal, or asks for the head or one
 * entry, and prints the node's one-line answer.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#if ZERO_PLATFORM_HOSTED
#include <sys/socket.h>
#include <sys/un.h>
#endif

#include "base/errors.h"
#include "base/fmt.h"
#include "services/axiom/axiom.h"
#include "tools/zero/zero.h"

const char zero_help_submit[] = "send a signed proposal (or a query) to zero-hosted --listen";

#define SUBMIT_MSG_MAX 2048u
#define SUBMIT_REPLY_MAX 16384u

static void submit_usage(FILE *f)
{
    fprintf(f, "usage: zero submit SOCKET PROPOSAL\n"
               "       zero submit SOCKET --head\n"
               "       zero submit SOCKET --entry SEQ\n"
               "       zero submit SOCKET --receipt SEQ\n\n"
               "PROPOSAL is a file written by zero propose (CBOR, or its hex), '-' for\n"
               "standard input.  Prints the node's answer: 'committed #SEQ HASH' (exit 0),\n"
               "'denied: REASON' (exit 1) or 'error: REASON' (exit 2).  SOCKET is the\n"
               "socket of zero-hosted --listen, or the one QEMU makes for the x86_64\n"
               "node's COM2 (docs/formats.md, \"Over a serial port\").\n");
}

/* Reads the proposal file (binary or hex text) into body + 1. */
static long read_proposal(const char *path, uint8_t *body, size_t cap)
{
    static char raw[2 * SUBMIT_MSG_MAX + 2];
    FILE *f = strcmp(path, "-") == 0 ? stdin : fopen(path, "rb");
    if (f == NULL) {
        return ZERR_NOENT;
    }
    size_t n = fread(raw, 1, sizeof(raw), f);
    if (f != stdin) {
        fclose(f);
    }
    if (n == sizeof(raw)) {
        return ZERR_LIMIT;
    }
    /* A proposal's CBOR starts with a map header (0xa6), never a hex digit. */
    bool hex = n > 0 && ((raw[0] >= '0' && raw[0] <= '9') || (raw[0] >= 'a' && raw[0] <= 'f'));
    if (!hex) {
        if (n > cap) {
            return ZERR_LIMIT;
        }
        memcpy(body, raw, n);
        return (long)n;
    }
    while (n > 0 && (raw[n - 1] == '\n' || raw[n - 1] == '\r')) {
        n--;
    }
    if (n % 2 != 0 || n / 2 > cap || zfmt_unhex(body, n / 2, raw, n) != 0) {
        return ZERR_INVAL;
    }
    return (long)(n / 2);
}

#if ZERO_PLATFORM_HOSTED
static bool full_io(int fd, void *buf, size_t len, bool out)
{
    uint8_t *p = buf;
    while (len > 0) {
        ssize_t r = out ? write(fd, p, len) : read(fd, p, len);
        if (r < 0 && errno == EINTR) {
            continue;
        }
        if (r <= 0) {
            return false;
        }
        p += r;
        len -= (size_t)r;
    }
    return true;
}

int zero_submit_exchange(const char *path, const uint8_t *body, size_t len)
{
    static char answer[SUBMIT_REPLY_MAX + 1];
    struct sockaddr_un sa;
    memset(&sa, 0, sizeof(sa));
    sa.sun_family = AF_UNIX;
    if (strlen(path) >= sizeof(sa.sun_path)) {
        fprintf(stderr, "zero submit: socket path too long\n");
        return ZERO_EXIT_USAGE;
    }
    strcpy(sa.sun_path, path);
    int fd = socket(AF_UNIX, SOCK_STREAM, 0);
    if (fd < 0 || connect(fd, (const struct sockaddr *)&sa, sizeof(sa)) != 0) {
        fprintf(stderr, "zero submit: cannot connect to %s: %s\n", path, strerror(errno));
        if (fd >= 0) {
            close(fd);
        }
        return ZERO_EXIT_USAGE;
    }
    uint8_t hdr[4] = {(uint8_t)len, (uint8_t)(len >> 8), (uint8_t)(len >> 16),
                      (uint8_t)(len >> 24)};
    bool ok = full_io(fd, hdr, 4, true) && full_io(fd, (void *)body, len, true) &&
              full_io(fd, hdr, 4, false);
    uint32_t n =
        (uint32_t)hdr[0] | (uint32_t)hdr[1] << 8 | (uint32_t)hdr[2] << 16 | (uint32_t)hdr[3] << 24;
    ok = ok && n <= SUBMIT_REPLY_MAX && full_io(fd, answer, n, false);
    close(fd);
    if (!ok) {
        fprintf(stderr, "zero submit: no answer from %s\n", path);
        return ZERO_EXIT_USAGE;
    }
    answer[n] = '\0';
    fputs(answer, stdout);
    if (strncmp(answer, "denied:", 7) == 0) {
        return ZERO_EXIT_NO;
    }
    return strncmp(answer, "error:", 6) == 0 ? ZERO_EXIT_USAGE : ZERO_EXIT_OK;
}
#else
int zero_submit_exchange(const char *path, const uint8_t *body, size_t len)
{
    (void)path;
    (void)body;
    (void)len;
    fprintf(stderr, "zero submit: no Unix sockets on this platform\n");
    return ZERO_EXIT_USAGE;
}
#endif

int zero_cmd_submit(int argc, char **argv)
{
    static uint8_t body[1 + SUBMIT_MSG_MAX];
    if (zero_wants_help(argc, argv)) {
        submit_usage(stdout);
        return ZERO_EXIT_OK;
    }
    if (argc == 3 && strcmp(argv[2], "--head") == 0) {
        body[0] = 2;
        return zero_submit_exchange(argv[1], body, 1);
    }
    if (argc == 4 && (strcmp(argv[2], "--entry") == 0 || strcmp(argv[2], "--receipt") == 0)) {
        char *end = NULL;
        unsigned long long seq = strtoull(argv[3], &end, 10);
        if (argv[3][0] < '0' || argv[3][0] > '9' || *end != '\0') {
            submit_usage(stderr);
            return ZERO_EXIT_USAGE;
        }
        body[0] = strcmp(argv[2], "--entry") == 0 ? 3 : 4;
        for (int i = 0; i < 8; i++) {
            body[1 + i] = (uint8_t)(seq >> (8 * i));
        }
        return zero_submit_exchange(argv[1], body, 9);
    }
    if (argc != 3) {
        submit_usage(stderr);
        return ZERO_EXIT_USAGE;
    }
    long n = read_proposal(argv[2], body + 1, SUBMIT_MSG_MAX - 1);
    if (n < 0) {
        fprintf(stderr, "zero submit: cannot read %s: %s\n", argv[2], zerr_text((int)n));
        return ZERO_EXIT_USAGE;
    }
    body[0] = 1;
    return zero_submit_exchange(argv[1], body, (size_t)n + 1);
}
