/*
 * zero hash: BLAKE3 of files or standard input, printed exactly as b3sum
 * prints it, so scripts can use either.
 */
#define _DEFAULT_SOURCE /* MAP_POPULATE */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#if !defined(__wasi__)
#include <sys/mman.h>
#endif

#include "base/fmt.h"
#include "crypto/blake3.h"
#include "tools/zero/zero.h"

const char zero_help_hash[] = "BLAKE3 of files or stdin, output as b3sum prints it";

#define HASH_READ_SIZE (1u << 20)
#define HASH_MAX_LEN (1u << 20)

enum hash_mode { HASH_PLAIN, HASH_KEYED, HASH_DERIVE };

struct hash_opts {
    enum hash_mode mode;
    uint8_t key[BLAKE3_KEY_LEN];
    const char *context;
    size_t length;
    int no_names;
    const char **files; /* the FILE arguments, in order (options may come anywhere) */
    int nfiles;
};

static void hash_usage(FILE *f)
{
    fprintf(f, "usage: zero hash [--keyed KEYHEX | --derive-key CONTEXT] [--length N] [--no-names] "
               "[FILE... | -]\n\n"
               "Prints the BLAKE3 hash of each FILE (standard input for '-' or no FILE) as\n"
               "'<hex>  <name>', exactly as b3sum does.  --keyed takes the 32-byte key as 64\n"
               "hex digits; --length sets the output size in bytes (default 32).\n");
}

/* Decodes exactly n bytes of hex; returns 0 or -1. */
static int parse_hex(const char *s, uint8_t *out, size_t n)
{
    return zfmt_unhex(out, n, s, strlen(s)) == 0 ? 0 : -1;
}

static int parse_length(const char *s, size_t *out)
{
    char *end;
    errno = 0;
    unsigned long long v = strtoull(s, &end, 10);
    if (*s == '\0' || *s == '-' || *end != '\0' || errno != 0 || v > HASH_MAX_LEN) {
        return -1;
    }
    *out = (size_t)v;
    return 0;
}

/* Applies option a with value val (NULL if none follows) to o; returns the
 * number of arguments used (1 or 2) or prints why and returns -1. */
static int hash_option(struct hash_opts *o, const char *a, const char *val)
{
    if (strcmp(a, "--no-names") == 0) {
        o->no_names = 1;
        return 1;
    }
    if (val == NULL) {
        fprintf(stderr, "zero hash: %s needs a value\n", a);
        return -1;
    }
    if (strcmp(a, "--keyed") == 0 && o->mode == HASH_PLAIN) {
        if (parse_hex(val, o->key, BLAKE3_KEY_LEN) != 0) {
            fprintf(stderr, "zero hash: --keyed needs 64 hex digits (a 32-byte key)\n");
            return -1;
        }
        o->mode = HASH_KEYED;
    } else if (strcmp(a, "--derive-key") == 0 && o->mode == HASH_PLAIN) {
        o->context = val;
        o->mode = HASH_DERIVE;
    } else if (strcmp(a, "--length") == 0 || strcmp(a, "-l") == 0) {
        if (parse_length(val, &o->length) != 0) {
            fprintf(stderr, "zero hash: --length needs a byte count from 0 to %u\n", HASH_MAX_LEN);
            return -1;
        }
    } else {
        fprintf(stderr, "zero hash: unknown or conflicting option '%s'\n", a);
        return -1;
    }
    return 2;
}

/* Parses argv into o: options anywhere (as b3sum allows), FILEs in order,
 * everything after "--" a FILE.  o->files must hold argc entries.  Returns
 * 0 or prints why and returns -1. */
static int hash_parse(int argc, char **argv, struct hash_opts *o)
{
    int only_files = 0;
    for (int i = 1; i < argc;) {
        const char *a = argv[i];
        if (!only_files && strcmp(a, "--") == 0) {
            only_files = 1;
            i++;
        } else if (only_files || a[0] != '-' || strcmp(a, "-") == 0) {
            o->files[o->nfiles++] = argv[i++];
        } else {
            int used = hash_option(o, a, i + 1 < argc ? argv[i + 1] : NULL);
            if (used < 0) {
                return -1;
            }
            i += used;
        }
    }
    return 0;
}

static void hash_start(const struct hash_opts *o, blake3_hasher *h)
{
    if (o->mode == HASH_KEYED) {
        blake3_init_keyed(h, o->key);
    } else if (o->mode == HASH_DERIVE) {
        blake3_init_derive_key(h, o->context);
    } else {
        blake3_init(h);
    }
}

/* Hashes everything readable from fd; returns 0 or an errno value. */
static int hash_fd(int fd, blake3_hasher *h, uint8_t *buf)
{
    for (;;) {
        ssize_t n = read(fd, buf, HASH_READ_SIZE);
        if (n == 0) {
            return 0;
        }
        if (n < 0) {
            if (errno == EINTR) {
                continue;
            }
            return errno;
        }
        blake3_update(h, buf, (size_t)n);
    }
}

/* Hashes a regular file of at least 64 KiB through a read-only mapping,
 * which saves copying it.  Returns 0, or -1 if the file cannot be mapped
 * (the caller then reads it). */
static int hash_mapped(int fd, blake3_hasher *h)
{
#if defined(__wasi__)
    (void)fd;
    (void)h;
    return -1;
#else
    struct stat st;
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) || st.st_size < (1 << 16) ||
        (uint64_t)st.st_size > (uint64_t)SIZE_MAX) {
        return -1;
    }
    size_t len = (size_t)st.st_size;
    /* Populating the mapping up front lets the hasher's prefetches reach
     * pages that would otherwise not be mapped yet. */
    int flags = MAP_PRIVATE;
#ifdef MAP_POPULATE
    flags |= MAP_POPULATE;
#endif
    void *p = mmap(NULL, len, PROT_READ, flags, fd, 0);
    if (p == MAP_FAILED) {
        return -1;
    }
    blake3_update(h, p, len);
    munmap(p, len);
    return 0;
#endif
}

/* Prints a name as b3sum does: a name holding a backslash or newline is
 * escaped, and the whole line then starts with a backslash. */
static void print_line(const uint8_t *out, size_t len, const char *name, int no_names)
{
    int escape = !no_names && strpbrk(name, "\\\n") != NULL;
    if (escape) {
        putchar('\\');
    }
    for (size_t i = 0; i < len; i++) {
        printf("%02x", out[i]);
    }
    if (!no_names) {
        fputs("  ", stdout);
        for (const char *p = name; *p; p++) {
            if (escape && *p == '\\') {
                fputs("\\\\", stdout);
            } else if (escape && *p == '\n') {
                fputs("\\n", stdout);
            } else {
                putchar(*p);
            }
        }
    }
    putchar('\n');
}

/* Hashes one named input ("-" is stdin) and prints its line. */
static int hash_one(const struct hash_opts *o, const char *name, uint8_t *buf, uint8_t *out)
{
    int fd = strcmp(name, "-") == 0 ? STDIN_FILENO : open(name, O_RDONLY);
    if (fd < 0) {
        fprintf(stderr, "zero hash: %s: %s\n", name, strerror(errno));
        return -1;
    }
    blake3_hasher h;
    hash_start(o, &h);
    int err = hash_mapped(fd, &h) == 0 ? 0 : hash_fd(fd, &h, buf);
    if (fd != STDIN_FILENO) {
        close(fd);
    }
    if (err != 0) {
        fprintf(stderr, "zero hash: %s: %s\n", name, strerror(err));
        return -1;
    }
    blake3_finalize(&h, out, o->length);
    print_line(out, o->length, name, o->no_names);
    return 0;
}

int zero_cmd_hash(int argc, char **argv)
{
    if (zero_wants_help(argc, argv)) {
        hash_usage(stdout);
        return ZERO_EXIT_OK;
    }
    struct hash_opts o = {.mode = HASH_PLAIN, .length = BLAKE3_OUT_LEN};
    o.files = calloc((size_t)argc + 1, sizeof(*o.files));
    uint8_t *buf = malloc(HASH_READ_SIZE);
    uint8_t *out = NULL;
    int status = ZERO_EXIT_USAGE;
    if (o.files == NULL || buf == NULL) {
        fprintf(stderr, "zero hash: out of memory\n");
        goto out;
    }
    if (hash_parse(argc, argv, &o) != 0) {
        hash_usage(stderr);
        goto out;
    }
    out = malloc(o.length + 1);
    if (out == NULL) {
        fprintf(stderr, "zero hash: out of memory\n");
        goto out;
    }
    if (o.nfiles == 0) {
        o.files[o.nfiles++] = "-";
    }
    status = ZERO_EXIT_OK;
    for (int i = 0; i < o.nfiles; i++) {
        if (hash_one(&o, o.files[i], buf, out) != 0) {
            status = ZERO_EXIT_USAGE;
        }
    }
out:
    free(o.files);
    free(buf);
    free(out);
    return status;
}
