/*
 * Axiom benchmark: durable commits per second and commit latency (p50, p99)
 * with 1, 16 and 256 concurrent proposers, against SQLite in WAL mode with
 * synchronous=FULL inserting rows of the same size on the same disk; then
 * replay verification speed in entries per second on one core.
 *
 * Zero side: proposers share one Axiom under a mutex; whoever finds no
 * batch in flight seals the open batch and writes it (one write, one
 * flush) without holding the lock, so proposals that arrive meanwhile
 * share the next flush (group commit).  Each proposer waits until its
 * entry is durable.  SQLite side: one connection in serialized mode, one
 * autocommit INSERT per proposal, so every commit is its own WAL fsync.
 */
#define _GNU_SOURCE
#include <pthread.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "base/errors.h"
#include "services/axiom/axiom.h"

#define RUN_NS 2000000000ull
#define MAX_LAT 2000000
#define PAYLOAD 100

struct run {
    pthread_mutex_t mu;
    /* Proposers of batch n wait on batch_cv[n & 1]: at most two batches
     * have waiters (the one being written and the open one), so finishing
     * a batch wakes only its own proposers; the next batch is led by the
     * first proposer to come back (or woken by a worker that leaves).
     * room_cv: proposers waiting for a full open batch to go. */
    pthread_cond_t batch_cv[2];
    pthread_cond_t room_cv;
    struct axiom *ax;
    sqlite3 *db;
    size_t row;
    bool writing;
    uint64_t deadline;
    uint64_t *lat;
    uint64_t nlat;
    uint64_t cap; /* room at lat */
    int failed;
};

static uint64_t now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

/* Records one latency.  Holds r->mu. */
static void record(struct run *r, uint64_t ns)
{
    if (r->nlat < r->cap) {
        r->lat[r->nlat++] = ns;
    }
}

/* Leader step: seal and write the open batch outside the lock.  Holds r->mu. */
static void lead(struct run *r)
{
    struct ax_batch *b = NULL;

    if (axiom_seal(r->ax, &b) != 0) {
        return;
    }
    uint64_t number = b->number;
    r->writing = true;
    pthread_mutex_unlock(&r->mu);
    int err = axiom_write(r->ax, b);
    pthread_mutex_lock(&r->mu);
    axiom_complete(r->ax, b, err);
    r->failed |= err != 0;
    r->writing = false;
    pthread_cond_broadcast(&r->batch_cv[number & 1]);
    pthread_cond_broadcast(&r->room_cv);
}

/* Proposes a and returns once it is durable (leading a write when none is in flight). */
static int zero_commit(struct run *r, const struct ax_action *a, uint64_t t0)
{
    struct policy_decision d;
    uint8_t hash[32];
    uint64_t seq = 0;
    int err;

    pthread_mutex_lock(&r->mu);
    while ((err = axiom_propose(r->ax, a, &d, &seq, hash, NULL, 0)) == ZERR_AGAIN) {
        if (!r->writing) {
            lead(r);
        } else {
            pthread_cond_wait(&r->room_cv, &r->mu);
        }
    }
    uint64_t number = r->ax->open.number;
    while (err == 0 && !r->failed && axiom_durable(r->ax) <= seq) {
        if (!r->writing) {
            lead(r);
        } else {
            pthread_cond_wait(&r->batch_cv[number & 1], &r->mu);
        }
    }
    if (err == 0 && !r->failed) {
        record(r, now_ns() - t0);
    }
    pthread_mutex_unlock(&r->mu);
    return err != 0 || r->failed ? -1 : 0;
}

static void *zero_worker(void *arg)
{
    struct run *r = arg;
    uint8_t data[PAYLOAD];
    struct ax_action a;

    memset(data, 'z', sizeof(data));
    memset(&a, 0, sizeof(a));
    a.kind = AX_NOTE;
    strcpy(a.proposer, "root");
    a.data = data;
    a.data_len = sizeof(data);
    while (now_ns() < r->deadline) {
        if (zero_commit(r, &a, now_ns()) != 0) {
            break;
        }
    }
    /* Whoever is left waiting in the open batch must find a leader. */
    pthread_mutex_lock(&r->mu);
    pthread_cond_broadcast(&r->batch_cv[0]);
    pthread_cond_broadcast(&r->batch_cv[1]);
    pthread_mutex_unlock(&r->mu);
    return NULL;
}

static void *sqlite_worker(void *arg)
{
    struct run *r = arg;
    sqlite3_stmt *st = NULL;
    uint8_t *row = malloc(r->row);

    memset(row, 's', r->row);
    sqlite3_prepare_v2(r->db, "INSERT INTO log(data) VALUES (?)", -1, &st, NULL);
    while (now_ns() < r->deadline) {
        uint64_t t0 = now_ns();
        sqlite3_bind_blob(st, 1, row, (int)r->row, SQLITE_STATIC);
        if (sqlite3_step(st) != SQLITE_DONE) {
            r->failed = 1;
            break;
        }
        sqlite3_reset(st);
        uint64_t t1 = now_ns();
        pthread_mutex_lock(&r->mu);
        record(r, t1 - t0);
        pthread_mutex_unlock(&r->mu);
    }
    sqlite3_finalize(st);
    free(row);
    return NULL;
}

static int cmp_u64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return x < y ? -1 : x > y;
}

struct result {
    double rate, p50_us, p99_us;
};

/* Runs n proposers of fn for ns; appends latencies to r->lat and returns
 * the commits made and the seconds taken. */
static void run_slice(struct run *r, int n, void *(*fn)(void *), uint64_t ns, uint64_t *count,
                      double *secs)
{
    pthread_t *t = calloc((size_t)n, sizeof(*t));
    uint64_t t0 = now_ns(), before = r->nlat;

    r->deadline = t0 + ns;
    for (int i = 0; i < n; i++) {
        pthread_create(&t[i], NULL, fn, r);
    }
    for (int i = 0; i < n; i++) {
        pthread_join(t[i], NULL);
    }
    *secs += (double)(now_ns() - t0) / 1e9;
    *count += r->nlat - before;
    free(t);
}

static struct result summarize(uint64_t *lat, uint64_t n, uint64_t count, double secs)
{
    struct result res;

    uint64_t i50 = n / 2;
    uint64_t i99 = n * 99 / 100;

    qsort(lat, n, sizeof(lat[0]), cmp_u64);
    res.rate = (double)count / secs;
    res.p50_us = n ? (double)lat[i50] / 1e3 : 0;
    res.p99_us = n ? (double)lat[i99] / 1e3 : 0;
    return res;
}

/*
 * Zero and SQLite with n proposers each, alternately in SLICES slices of
 * RUN_NS / SLICES: the machine's load and the disk's flush time drift, and
 * alternating spreads a drift over both sides instead of one.
 */
#define SLICES 8
static void run_pair(struct run *r, int n, struct result *z, struct result *s)
{
    static uint64_t zlat[MAX_LAT];
    uint64_t zn = 0, zc = 0, sc = 0, sn = 0;
    double zs = 0, ss = 0;
    uint64_t *slat = r->lat;

    for (int i = 0; i < SLICES; i++) {
        r->lat = zlat + zn;
        r->cap = MAX_LAT - zn;
        r->nlat = 0;
        run_slice(r, n, zero_worker, RUN_NS / SLICES, &zc, &zs);
        zn += r->nlat;
        r->lat = slat + sn;
        r->cap = MAX_LAT - sn;
        r->nlat = 0;
        run_slice(r, n, sqlite_worker, RUN_NS / SLICES, &sc, &ss);
        sn += r->nlat;
    }
    r->lat = slat;
    *z = summarize(zlat, zn, zc, zs);
    *s = summarize(slat, sn, sc, ss);
}

static sqlite3 *sqlite_open(const char *path)
{
    sqlite3 *db = NULL;

    unlink(path);
    if (sqlite3_open_v2(path, &db,
                        SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_FULLMUTEX,
                        NULL) != SQLITE_OK) {
        return NULL;
    }
    sqlite3_exec(db,
                 "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;"
                 "CREATE TABLE log(seq INTEGER PRIMARY KEY, data BLOB);",
                 NULL, NULL, NULL);
    return db;
}

/* Size of one benchmark entry as stored (the SQLite rows get the same size). */
static size_t entry_size(void)
{
    struct ax_entry e;
    uint8_t data[PAYLOAD], buf[AX_ENTRY_MAX];
    size_t len = 0;

    memset(&e, 0, sizeof(e));
    memset(data, 'z', sizeof(data));
    e.seq = 100000;
    e.a.kind = AX_NOTE;
    strcpy(e.a.proposer, "root");
    e.a.data = data;
    e.a.data_len = sizeof(data);
    e.dec.allow = 1;
    e.dec.rule = 1;
    ax_entry_encode(&e, buf, sizeof(buf), &len);
    return len;
}

static void print_pair(const char *name, double z, double s, const char *unit)
{
    printf("bench: %s %.1f %s vs sqlite_wal_full %.1f ratio %.2f\n", name, z, unit, s,
           s > 0 ? z / s : 0.0);
}

static double cpu_secs(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/*
 * Replays and verifies the whole log on dev (best of three runs); prints
 * entries per second of the replaying thread's CPU time (user and system:
 * reading the log is in it), then per second of wall-clock time.  The CPU
 * figure is the one-core rate; the wall-clock one also counts the time the
 * thread waited for a core on a shared machine.
 */
static int replay(struct blk *dev, struct axiom *ax, const char *name)
{
    static struct ax_state st;
    struct ax_replay r;
    uint64_t tail = 0;
    double best = 0, best_wall = 0;

    for (int i = 0; i < 3; i++) {
        static struct ax_cp_window cpw; /* as zero verify does */
        ax_replay_init(&r, &st, NULL, NULL);
        cpw.n = 0;
        r.cpw = &cpw;
        uint64_t t0 = now_ns();
        double c0 = cpu_secs();
        int err = axiom_scan(dev, &ax->lay, &r, &tail);
        double cpu = cpu_secs() - c0;
        double secs = (double)(now_ns() - t0) / 1e9;
        if (err != 0) {
            fprintf(stderr, "bench_axiom: replay failed: %s\n", r.why);
            return 1;
        }
        if ((double)st.applied / cpu > best) {
            best = (double)st.applied / cpu;
        }
        if ((double)st.applied / secs > best_wall) {
            best_wall = (double)st.applied / secs;
        }
    }
    printf("bench: %s %.0f entries/s (one core's CPU time; %.0f by the wall clock; %llu entries, "
           "%llu signed checkpoints)\n",
           name, best, best_wall, (unsigned long long)st.applied,
           (unsigned long long)r.checkpoints);
    return 0;
}

/*
 * Fills a fresh disk with batches of 256 entries for the replay figure; with
 * keep, leaves the disk at img for other replays (bench/platforms.sh).
 */
static int replay_batched(const char *img, int keep)
{
    uint8_t secret[32] = {2}, id[16] = {0}, data[PAYLOAD], hash[32];
    static struct keys keys;
    static struct axiom ax;
    struct ax_recovery rec;
    struct blk dev;
    struct ax_action a;
    struct policy_decision d;
    uint64_t seq;

    unlink(img);
    if (blk_open(&dev, img, 128ull << 20) != 0 || ax_format(&dev, secret, id, "root") != 0) {
        return 1;
    }
    keys_init(&keys, secret);
    if (axiom_open(&ax, &dev, axiom_sign_with_keys, &keys, &rec) != 0) {
        return 1;
    }
    memset(data, 'r', sizeof(data));
    memset(&a, 0, sizeof(a));
    a.kind = AX_NOTE;
    strcpy(a.proposer, "root");
    a.data = data;
    a.data_len = sizeof(data);
    for (int b = 0; b < 400; b++) {
        for (int i = 0; i < 256; i++) {
            if (axiom_propose(&ax, &a, &d, &seq, hash, NULL, 0) != 0) {
                return 1;
            }
        }
        if (axiom_commit(&ax) != 0) {
            return 1;
        }
    }
    int rc = keep ? 0 : replay(&dev, &ax, "axiom_replay_verify_256_per_batch");
    axiom_close(&ax);
    blk_close(&dev);
    if (!keep) {
        unlink(img);
    }
    return rc;
}

int main(int argc, char **argv)
{
    if (argc == 2 && strcmp(argv[1], "--replay-only") == 0) {
        return replay_batched("build/bench-axiom.img", 0);
    }
    if (argc == 3 && strcmp(argv[1], "--write-log") == 0) {
        return replay_batched(argv[2], 1);
    }
    const char *img = "build/bench-axiom.img";
    const char *dbp = "build/bench-sqlite.db";
    uint8_t secret[32] = {1}, id[16] = {0};
    static struct keys keys;
    static struct axiom ax;
    struct ax_recovery rec;
    struct blk dev;
    struct run r;
    const int procs[3] = {1, 16, 256};

    unlink(img);
    if (blk_open(&dev, img, 256ull << 20) != 0 || ax_format(&dev, secret, id, "root") != 0) {
        fprintf(stderr, "bench_axiom: cannot create %s\n", img);
        return 1;
    }
    keys_init(&keys, secret);
    if (axiom_open(&ax, &dev, axiom_sign_with_keys, &keys, &rec) != 0) {
        fprintf(stderr, "bench_axiom: cannot open: %s\n", rec.why);
        return 1;
    }
    memset(&r, 0, sizeof(r));
    pthread_mutex_init(&r.mu, NULL);
    pthread_cond_init(&r.batch_cv[0], NULL);
    pthread_cond_init(&r.batch_cv[1], NULL);
    pthread_cond_init(&r.room_cv, NULL);
    static uint64_t lat[MAX_LAT];
    r.lat = lat;
    r.ax = &ax;
    r.row = entry_size();
    r.db = sqlite_open(dbp);
    if (r.db == NULL) {
        fprintf(stderr, "bench_axiom: cannot open sqlite\n");
        return 1;
    }
    printf("# %zu-byte entries (%d-byte payload) and %zu-byte rows, files under build/\n", r.row,
           PAYLOAD, r.row);
    for (int i = 0; i < 3; i++) {
        char name[64];
        struct result z, s;
        run_pair(&r, procs[i], &z, &s);
        if (r.failed) {
            fprintf(stderr, "bench_axiom: a commit failed\n");
            return 1;
        }
        snprintf(name, sizeof(name), "axiom_commit_%dp", procs[i]);
        print_pair(name, z.rate, s.rate, "commits/s");
        snprintf(name, sizeof(name), "axiom_commit_%dp_p50", procs[i]);
        print_pair(name, z.p50_us, s.p50_us, "us");
        snprintf(name, sizeof(name), "axiom_commit_%dp_p99", procs[i]);
        print_pair(name, z.p99_us, s.p99_us, "us");
    }
    sqlite3_close(r.db);
    int rc = replay(&dev, &ax, "axiom_replay_verify_bench_log");
    axiom_close(&ax);
    blk_close(&dev);
    unlink(img);
    unlink(dbp);
    char wal[128];
    snprintf(wal, sizeof(wal), "%s-wal", dbp);
    unlink(wal);
    snprintf(wal, sizeof(wal), "%s-shm", dbp);
    unlink(wal);
    return rc != 0 ? rc : replay_batched(img, 0);
}
