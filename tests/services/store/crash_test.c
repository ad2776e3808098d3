/*
 * CrashMonkey-style test of the store: a scripted workload (create,
 * overwrite, rename, delete with garbage collection, small and large
 * files, freed space reused) runs with every device write and flush
 * recorded.  Then, for every prefix of the recording that ends at a flush,
 * for subsets of the writes between two flushes (as a disk that reorders
 * them would leave), and for each such write torn in half, the image is
 * mounted and checked: it opens, its namespace is one the workload
 * committed (the last acknowledged one or the one in flight, never an
 * older one or a mix), every file reads back with its committed bytes,
 * no block is shared by two extents (the mount refuses overlaps), nothing
 * unreachable is left allocated, and the scrub finds nothing damaged.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/endian.h"
#include "base/errors.h"
#include "crypto/blake3.h"
#include "services/store/store.h"
#include "tap.h"

#define DISK (6u << 20)
#define BASE (2u * SPACE_BLOCK)
#define LEN (DISK - BASE)
#define NB (LEN / SPACE_BLOCK)
#define TAB 1024
#define MAX_OPS 4096
#define MAX_FILES 8
#define MAX_STATES 16

struct file {
    char name[16];
    const uint8_t *data;
    size_t len;
};

struct state {
    int n;
    struct file f[MAX_FILES];
};

struct op {
    int flush;
    uint64_t off;
    size_t n;
    uint8_t *data;
};

static struct op ops[MAX_OPS];
static size_t nops;
static struct state states[MAX_STATES];
static size_t ack[MAX_STATES]; /* ops recorded when commit k returned */
static int nstates;

static uint8_t *disk, *base_img, *img;
static struct store_mem mem;

static void record(void *ctx, bool flush, uint64_t off, const void *p, size_t n)
{
    struct op *o = &ops[nops < MAX_OPS ? nops++ : MAX_OPS - 1];

    (void)ctx;
    o->flush = flush;
    o->off = off;
    o->n = n;
    o->data = NULL;
    if (!flush) {
        o->data = malloc(n);
        memcpy(o->data, p, n);
    }
}

/* The namespace as the client's root: count, then (name, hash) pairs. */
static size_t encode_ns(const struct state *s, uint8_t *out)
{
    le32_put(out, (uint32_t)s->n);
    for (int i = 0; i < s->n; i++) {
        memcpy(out + 4 + i * 48, s->f[i].name, 16);
        blake3_hash(s->f[i].data, s->f[i].len, out + 4 + i * 48 + 16);
    }
    return 4 + (size_t)s->n * 48;
}

static struct store st;
static struct state cur;

/* Marks the namespace's content and drops the rest. */
static void collect(const uint8_t *ns)
{
    for (int i = 0; i < cur.n; i++) {
        (void)cas_mark(&st.cas, ns + 4 + i * 48 + 16); /* new content may not be there yet */
    }
    (void)cas_sweep(&st.cas);
}

/* Puts what is new and collects garbage, in that order (so new content
 * shares chunks with what it replaces) or, with gc_first, the other way
 * (so new content may be allocated where garbage just was); then commits
 * and the state is acknowledged. */
static int commit(int gc_first)
{
    uint8_t ns[4 + MAX_FILES * 48], h[32];
    size_t n = encode_ns(&cur, ns);
    int err = 0;

    if (gc_first) {
        collect(ns);
    }
    for (int i = 0; i < cur.n && err == 0; i++) {
        err = cas_put(&st.cas, cur.f[i].data, cur.f[i].len, h, NULL);
    }
    if (!gc_first) {
        collect(ns);
    }
    if (err == 0) {
        err = store_commit(&st, ns, n);
    }
    states[nstates] = cur;
    ack[nstates++] = nops;
    return err;
}

static void set_file(const char *name, const uint8_t *data, size_t len)
{
    int i = 0;

    while (i < cur.n && strcmp(cur.f[i].name, name) != 0) {
        i++;
    }
    if (i == cur.n) {
        cur.n++;
        memset(cur.f[i].name, 0, 16);
        snprintf(cur.f[i].name, 16, "%s", name);
    }
    cur.f[i].data = data;
    cur.f[i].len = len;
}

static void del_file(const char *name)
{
    for (int i = 0; i < cur.n; i++) {
        if (strcmp(cur.f[i].name, name) == 0) {
            cur.f[i] = cur.f[--cur.n];
            return;
        }
    }
}

static void rename_file(const char *from, const char *to)
{
    for (int i = 0; i < cur.n; i++) {
        if (strcmp(cur.f[i].name, from) == 0) {
            memset(cur.f[i].name, 0, 16);
            snprintf(cur.f[i].name, 16, "%s", to);
        }
    }
}

static uint64_t rng = 88172645463325252ull;

static uint8_t *bufs[8];
static int nbufs;

/* A buffer that lives until the end of the test. */
static uint8_t *keep(uint8_t *p)
{
    bufs[nbufs < 8 ? nbufs++ : 7] = p;
    return p;
}

static uint8_t *random_bytes(size_t n)
{
    uint8_t *p = keep(malloc(n));

    for (size_t i = 0; i < n; i++) {
        rng ^= rng << 13;
        rng ^= rng >> 7;
        rng ^= rng << 17;
        p[i] = (uint8_t)(rng >> 32);
    }
    return p;
}

static int workload(void)
{
    uint8_t *small = random_bytes(1000), *large1 = random_bytes(700 * 1024);
    uint8_t *large2 = keep(malloc(700 * 1024)), *medium = random_bytes(40 * 1024);
    uint8_t *big = random_bytes(1200 * 1024);
    int bad = 0;

    memcpy(large2, large1, 700 * 1024);
    large2[350 * 1024] ^= 0xFF;
    set_file("a", small, 1000);
    set_file("b", large1, 700 * 1024);
    bad += commit(0) != 0;
    set_file("b", large2, 700 * 1024);
    set_file("c", medium, 40 * 1024);
    bad += commit(0) != 0;
    rename_file("a", "d");
    bad += commit(0) != 0;
    del_file("c");
    bad += commit(0) != 0;
    set_file("e", big, 1200 * 1024);
    bad += commit(0) != 0;
    del_file("b");
    set_file("g", random_bytes(300 * 1024), 300 * 1024);
    st.sp.cursor = SPACE_RING; /* allocate from the start, where b's blocks lie */
    bad += commit(1) != 0;
    set_file("b", large1, 700 * 1024); /* reuses the blocks freed just before */
    set_file("f", small, 0);           /* an empty file */
    bad += commit(0) != 0;
    return bad;
}

/* Which committed state the mounted image holds: its index, or -1. */
static int check_image(char *why, size_t why_len)
{
    static struct store m;
    struct blk dev;
    const uint8_t *app;
    size_t app_len;
    static uint8_t back[2u << 20];

    blk_open_mem(&dev, img, NULL, DISK);
    int err = store_open(&m, &dev, BASE, LEN, &mem, &app, &app_len);
    if (err != 0) {
        snprintf(why, why_len, "open: %d", err);
        return -1;
    }
    if (app_len == 0) {
        return 0 - 100; /* the formatted, empty store: before commit 0 */
    }
    uint32_t n = le32_get(app);
    for (int k = 0; k < nstates; k++) {
        const struct state *s = &states[k];
        int same = s->n == (int)n;
        for (int i = 0; i < s->n && same; i++) {
            uint8_t h[32];
            size_t got = 0;
            blake3_hash(s->f[i].data, s->f[i].len, h);
            same = memcmp(app + 4 + i * 48, s->f[i].name, 16) == 0 &&
                   memcmp(app + 4 + i * 48 + 16, h, 32) == 0;
            if (same) {
                err = cas_read(&m.cas, h, 0, back, sizeof(back), &got, NULL);
                same = err == 0 && got == s->f[i].len && memcmp(back, s->f[i].data, got) == 0;
                if (!same) {
                    snprintf(why, why_len, "state %d file %s reads back wrong (%d)", k,
                             s->f[i].name, err);
                    return -1;
                }
            }
        }
        if (same) {
            for (uint32_t i = 0; i < n; i++) {
                (void)cas_mark(&m.cas, app + 4 + i * 48 + 16);
            }
            uint64_t leaked = cas_sweep(&m.cas);
            if (leaked != 0) {
                snprintf(why, why_len, "state %d leaves %llu objects unreachable", k,
                         (unsigned long long)leaked);
                return -1;
            }
            return k;
        }
    }
    snprintf(why, why_len, "namespace of %u files matches no committed state", n);
    return -1;
}

static int failures, images;

/* Checks img, the crash image when ops[0..upto) were issued. */
static void check_at(size_t upto, const char *kind)
{
    char why[160] = "";
    int acked = -1;

    for (int k = 0; k < nstates; k++) {
        if (ack[k] <= upto) {
            acked = k;
        }
    }
    int got = check_image(why, sizeof(why));
    int fine = got == -100 ? acked == -1 : got >= 0 && got >= acked && got <= acked + 1;
    images++;
    if (!fine && failures++ < 5) {
        tap_diag("%s crash after %zu ops: acknowledged %d, mounted %d %s", kind, upto, acked, got,
                 why);
    }
}

static void apply(uint8_t *to, const struct op *o, size_t n)
{
    memcpy(to + o->off, o->data, n);
}

/* The writes of one epoch (between flushes at from-1 and to): subsets. */
static void check_epoch(size_t from, size_t to)
{
    size_t m = to - from;

    memcpy(base_img, img, DISK);
    if (m == 0) {
        return;
    }
    uint32_t patterns = m <= 8 ? (1u << m) : 64;
    for (uint32_t p = 0; p < patterns; p++) {
        uint64_t pick = p;
        if (m > 8) {
            rng ^= rng << 13, rng ^= rng >> 7, rng ^= rng << 17;
            pick = p == 0 ? ~0ull : rng;
        }
        memcpy(img, base_img, DISK);
        for (size_t i = 0; i < m; i++) {
            if ((pick >> (i % 64)) & 1) {
                apply(img, &ops[from + i], ops[from + i].n);
            }
        }
        check_at(to, "reordered");
    }
    for (size_t i = 0; i < m; i++) {
        memcpy(img, base_img, DISK);
        size_t half = ops[from + i].n / BLK_SECTOR / 2 * BLK_SECTOR;
        apply(img, &ops[from + i], half);
        check_at(to, "torn");
    }
    memcpy(img, base_img, DISK);
}

int main(void)
{
    struct blk dev;
    const uint8_t *app;
    size_t app_len;

    disk = calloc(1, DISK);
    base_img = malloc(DISK);
    img = malloc(DISK);
    mem.tab = calloc(TAB, sizeof(*mem.tab));
    mem.tab_cap = TAB;
    mem.chunk_buf = malloc(CAS_CHUNK_MAX);
    mem.list_cap = 64 * 1024;
    mem.list_buf = malloc(mem.list_cap);
    mem.used = malloc(SPACE_MAP_BYTES(NB));
    mem.freed = malloc(SPACE_MAP_BYTES(NB));
    mem.root_cap = 256 * 1024;
    mem.root = malloc(mem.root_cap);
    tap_no_plan();

    blk_open_mem(&dev, disk, NULL, DISK);
    is_int(store_open(&st, &dev, BASE, LEN, &mem, &app, &app_len), 0, "open formats a blank disk");
    is_int(app_len, 0, "with an empty root");
    memcpy(img, disk, DISK);
    st.sp.trace = record;
    is_int(workload(), 0, "the workload commits 7 times");
    ok(nops > 20 && nops < MAX_OPS, "%zu writes and flushes recorded", nops);

    /* Prefixes ending at each flush, and the epochs between flushes. */
    size_t start = 0;
    for (size_t i = 0; i < nops; i++) {
        if (!ops[i].flush) {
            continue;
        }
        check_epoch(start, i);
        for (size_t k = start; k < i; k++) {
            apply(img, &ops[k], ops[k].n);
        }
        check_at(i + 1, "prefix");
        start = i + 1;
    }
    is_int(failures, 0, "every crash image holds an acknowledged or in-flight namespace");
    ok(images > 200, "%d crash images checked", images);
    is_int(memcmp(img, disk, DISK), 0, "the replayed recording is the final disk");
    for (size_t i = 0; i < nops; i++) {
        free(ops[i].data);
    }
    for (int i = 0; i < nbufs; i++) {
        free(bufs[i]);
    }
    return tap_done();
}
