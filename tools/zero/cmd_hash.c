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
#include <pthread.h>
#include <sys/mman.h>
#endif

#include "base/fmt.h"
#include "crypto/blake3.h"
#include "tools/zero/zero.h"

const char zero_help_hash[] = "BLAKE3 of files or stdin, output as b3sum prints it";

#define HASH_READ_SIZE (1u << 20)
/* Smaller regular files are read, larger ones mapped. */
#define HASH_MAP_MIN (1u << 16)
#define HASH_MAX_LEN (1u << 20)
/* Mapped files of at least this size hash on several threads, one piece
 * (an aligned power-of-two subtree) at a time. */
#define HASH_PIECE_LEN (1u << 20)
#define HASH_MAX_THREADS 64

enum hash_mode { HASH_PLAIN, HASH_KEYED, HASH_DERIVE };

struct hash_opts {
    enum hash_mode mode;
    uint8_t key[BLAKE3_KEY_LEN];
    const char *context;
    size_t length;
    int no_names;
    int threads;        /* --num-threads, or the number of online CPUs */
    const char **files; /* the FILE arguments, in order (options may come anywhere) */
    int nfiles;
};

static void hash_usage(FILE *f)
{
    fprintf(f, "usage: zero hash [--keyed KEYHEX | --derive-key CONTEXT] [--length N] [--no-names] "
               "[--num-threads N] [FILE... | -]\n\n"
               "Prints the BLAKE3 hash of each FILE (standard input for '-' or no FILE) as\n"
               "'<hex>  <name>', exactly as b3sum does.  --keyed takes the 32-byte key as 64\n"
               "hex digits; --length sets the output size in bytes (default 32);\n"
               "--num-threads bounds the threads hashing a file of 2 MiB or more (default:\n"
               "one per online CPU).\n");
}

/* Decodes exactly n bytes of hex; returns 0 or -1. */
static int parse_hex(const char *s, uint8_t *out, size_t n)
{
    return zfmt_unhex(out, n, s, strlen(s)) == 0 ? 0 : -1;
}

/* Parses a decimal count from 0 to max; returns 0 or -1. */
static int parse_count(const char *s, size_t max, size_t *out)
{
    char *end;
    errno = 0;
    unsigned long long v = strtoull(s, &end, 10);
    if (*s == '\0' || *s == '-' || *end != '\0' || errno != 0 || v > max) {
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
        if (parse_count(val, HASH_MAX_LEN, &o->length) != 0) {
            fprintf(stderr, "zero hash: --length needs a byte count from 0 to %u\n", HASH_MAX_LEN);
            return -1;
        }
    } else if (strcmp(a, "--num-threads") == 0) {
        size_t n;
        if (parse_count(val, HASH_MAX_THREADS, &n) != 0 || n == 0) {
            fprintf(stderr, "zero hash: --num-threads needs a count from 1 to %d\n",
                    HASH_MAX_THREADS);
            return -1;
        }
        o->threads = (int)n;
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

#if !defined(__wasi__)
/* The pieces of one mapped file, claimed one at a time by the threads. */
struct hash_pieces {
    const blake3_hasher *h;
    const uint8_t *base;
    size_t count;
    size_t next; /* the next unclaimed piece (atomic) */
    uint8_t (*cvs)[BLAKE3_OUT_LEN];
};

static void *hash_pieces_worker(void *arg)
{
    struct hash_pieces *w = arg;
    for (;;) {
        size_t i = __atomic_fetch_add(&w->next, 1, __ATOMIC_RELAXED);
        if (i >= w->count) {
            return NULL;
        }
        blake3_subtree_cv(w->h, w->base + i * HASH_PIECE_LEN, HASH_PIECE_LEN,
                          (uint64_t)i * (HASH_PIECE_LEN / BLAKE3_CHUNK_LEN), w->cvs[i]);
    }
}

/* Hashes len bytes at p (h fresh) on up to threads threads: the whole
 * HASH_PIECE_LEN pieces (two at least, so none is the root) in parallel,
 * then the tail.  Falls back to one update if a thread cannot start or
 * memory is short; the result is the same either way. */
static void hash_parallel(blake3_hasher *h, const uint8_t *p, size_t len, int threads)
{
    struct hash_pieces w = {.h = h, .base = p, .count = len / HASH_PIECE_LEN};
    if (threads < 2 || w.count < 2 || (w.cvs = malloc(w.count * sizeof(*w.cvs))) == NULL) {
        blake3_update(h, p, len);
        return;
    }
    pthread_t tid[HASH_MAX_THREADS];
    int started = 0;
    while (started < threads - 1 &&
           pthread_create(&tid[started], NULL, hash_pieces_worker, &w) == 0) {
        started++;
    }
    hash_pieces_worker(&w);
    for (int i = 0; i < started; i++) {
        pthread_join(tid[i], NULL);
    }
    for (size_t i = 0; i < w.count; i++) {
        blake3_push_subtree(h, w.cvs[i], HASH_PIECE_LEN);
    }
    free(w.cvs);
    blake3_update(h, p + w.count * HASH_PIECE_LEN, len - w.count * HASH_PIECE_LEN);
}
#endif

/* Hashes a regular file: one read() when it is small, otherwise through a
 * read-only mapping, which saves copying it, on several threads.  Returns 0 or an errno value, or
 * -1 if the file is not regular or cannot be mapped (the caller then reads
 * it to its end). */
static int hash_regular(int fd, blake3_hasher *h, uint8_t *buf, int threads)
{
#if defined(__wasi__)
    (void)fd;
    (void)h;
    (void)buf;
    (void)threads;
    return -1;
#else
    struct stat st;
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) || (uint64_t)st.st_size > (uint64_t)SIZE_MAX) {
        return -1;
    }
    size_t len = (size_t)st.st_size;
    if (len < HASH_MAP_MIN) {
        /* One byte more than the size is asked for: a file that grew since
         * fstat, or a short read, goes on through hash_fd. */
        ssize_t n;
        do {
            n = read(fd, buf, len + 1);
        } while (n < 0 && errno == EINTR);
        if (n < 0) {
            return errno;
        }
        blake3_update(h, buf, (size_t)n);
        return (size_t)n == len ? 0 : -2;
    }
    /* Populating a big mapping up front lets the hasher's prefetches reach
     * pages that would otherwise not be mapped yet.  A small one is left to
     * the first fault, which maps the file's cached pages around it (64 KiB
     * by default) in one go: populating walks them one page at a time and
     * cost 4 us of a 64 KiB file's 37 (bench_crypto blake3_64KiB). */
    int flags = MAP_PRIVATE;
#ifdef MAP_POPULATE
    if (len >= HASH_PIECE_LEN) {
        flags |= MAP_POPULATE;
    }
#endif
    void *p = mmap(NULL, len, PROT_READ, flags, fd, 0);
    if (p == MAP_FAILED) {
        return -1;
    }
    hash_parallel(h, p, len, threads);
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
    /* Hex by table, a block at a time: one printf per byte costs a tenth
     * of the time of hashing a 64 KiB file. */
    static const char digits[] = "0123456789abcdef";
    char hex[128];
    for (size_t i = 0; i < len;) {
        size_t n = 0;
        for (; i < len && n < sizeof(hex); i++, n += 2) {
            hex[n] = digits[out[i] >> 4];
            hex[n + 1] = digits[out[i] & 15];
        }
        fwrite(hex, 1, n, stdout);
    }
    if (!no_names && !escape) {
        fputs("  ", stdout);
        fputs(name, stdout);
    } else if (!no_names) {
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
    int err = hash_regular(fd, &h, buf, o->threads);
    if (err < 0) { /* not regular, not mappable, or grown since fstat */
        err = hash_fd(fd, &h, buf);
    }
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
    struct hash_opts o = {.mode = HASH_PLAIN, .length = BLAKE3_OUT_LEN, .threads = 1};
#if defined(_SC_NPROCESSORS_ONLN)
    long cpus = sysconf(_SC_NPROCESSORS_ONLN);
    o.threads = cpus < 1 ? 1 : cpus > HASH_MAX_THREADS ? HASH_MAX_THREADS : (int)cpus;
#endif
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
