/*
 * Crash safety by fault injection, SQLite style: for every N, fail or cut
 * the Nth write or flush of a scripted workload, restart from what the
 * device holds (the volatile image, or only what was flushed), and check
 * that the log opens, is a prefix of the fault-free log, holds every
 * acknowledged entry, and accepts new commits.  The sweeps run twice: on
 * a disk with the default log segments (the whole workload in segment 0)
 * and on one with 8 KiB segments, where the workload allocates segment
 * after segment and writes a snapshot every 5 entries, so every write and
 * flush of an allocation and of a snapshot is cut too; restarting then
 * starts from the newest snapshot that was whole.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/errors.h"
#include "services/axiom/axiom.h"
#include "tap.h"

#define DISK (1024u * 1024u)
#define ROUNDS 16
#define MAXE 64

static uint8_t secret[32] = {3, 1, 4, 1, 5};
static uint8_t *base;   /* formatted image */
static uint8_t *mem;    /* what reads see */
static uint8_t *stable; /* what was flushed */
static struct keys keys;
static uint8_t ref_hash[MAXE][32];
static int ref_n;
static uint8_t got_hash[MAXE][32];
static int got_n;
static const char *tag = ""; /* which disk the sweeps run on, in test names */
static uint64_t snap_every;  /* 0: the default (no snapshot in this short workload) */

static void record(void *arg, const struct ax_entry *e, const uint8_t hash[32])
{
    (void)arg;
    (void)e;
    if (got_n < MAXE) {
        memcpy(got_hash[got_n++], hash, 32);
    }
}

/* Runs the workload; returns the entries acknowledged before the first error. */
static uint64_t workload(struct axiom *ax, int *failed)
{
    char data[700];
    *failed = 0;

    for (int round = 0; round < ROUNDS; round++) {
        for (int k = 0; k <= round % 3; k++) {
            struct ax_action a;
            struct policy_decision d;
            uint64_t seq;
            uint8_t h[32];
            memset(&a, 0, sizeof(a));
            strcpy(a.proposer, "root");
            a.kind = AX_NOTE;
            int n = snprintf(data, sizeof(data), "round %d item %d %0*d", round, k, 600, 0);
            a.data = (const uint8_t *)data;
            a.data_len = (size_t)n;
            if (axiom_propose(ax, &a, &d, &seq, h, NULL, 0) != 0) {
                *failed = 1;
                return axiom_durable(ax);
            }
        }
        if (axiom_commit(ax) != 0) {
            *failed = 1;
            return axiom_durable(ax);
        }
    }
    return axiom_durable(ax);
}

/* Opens the image, replays it and checks the prefix property; returns 0 if all holds. */
static int restart_and_check(uint8_t *image, uint64_t acked, const char **what)
{
    struct blk dev;
    struct axiom ax;
    static struct ax_recovery rec;
    struct ax_replay r;
    static struct ax_state st;
    uint64_t tail = 0;
    int failed = 0;

    blk_open_mem(&dev, image, NULL, DISK);
    if (axiom_open(&ax, &dev, axiom_sign_with_keys, &keys, &rec) != 0) {
        *what = rec.why;
        return -1;
    }
    if (axiom_durable(&ax) < acked) {
        *what = "an acknowledged entry was lost";
        return -1;
    }
    /* at most one segment beyond those the log needs: one allocated just before the cut */
    if (ax.log.seg != 0 && (ax.log.kcount - 1) * ax.log.payload > ax.end + ax.log.payload) {
        *what = "a log segment was leaked";
        return -1;
    }
    struct ax_action a;
    memset(&a, 0, sizeof(a));
    strcpy(a.proposer, "root");
    a.kind = AX_NOTE;
    struct policy_decision d;
    uint64_t seq;
    uint8_t h[32];
    if (axiom_propose(&ax, &a, &d, &seq, h, NULL, 0) != 0 || axiom_commit(&ax) != 0) {
        *what = "cannot commit after recovery";
        return -1;
    }
    ax_replay_init(&r, &st, record, NULL);
    got_n = 0;
    if (axiom_scan(&dev, &ax.lay, &r, &tail) != 0) {
        *what = "log does not verify after recovery and one more commit";
        return -1;
    }
    axiom_close(&ax);
    for (int i = 0; i + 1 < got_n; i++) {
        if (i >= ref_n || memcmp(got_hash[i], ref_hash[i], 32) != 0) {
            *what = "recovered log is not a prefix of the fault-free log";
            return -1;
        }
    }
    (void)failed;
    return 0;
}

/* One fault run; returns 1 if the fault fired, 0 if the workload finished first. */
static int run_fault(uint64_t n, uint8_t mode, int use_stable, int *bad)
{
    struct blk dev;
    struct axiom ax;
    struct ax_recovery rec;
    const char *what = "";
    int failed = 0;

    memcpy(mem, base, DISK);
    memcpy(stable, base, DISK);
    blk_open_mem(&dev, mem, stable, DISK);
    if (axiom_open(&ax, &dev, axiom_sign_with_keys, &keys, &rec) != 0) {
        *bad = 1;
        return 0;
    }
    if (snap_every != 0) {
        ax.snap_every = snap_every;
    }
    blk_set_fault(&dev, n, mode);
    uint64_t acked = workload(&ax, &failed);
    axiom_close(&ax);
    if (!failed) {
        return 0;
    }
    if (restart_and_check(use_stable ? stable : mem, acked, &what) != 0) {
        tap_diag("fault %s at op %llu (%s image): %s", mode == BLK_FAULT_FAIL ? "fail" : "cut",
                 (unsigned long long)n, use_stable ? "flushed" : "volatile", what);
        *bad = 1;
    }
    return 1;
}

static void sweep(uint8_t mode, int use_stable, const char *name)
{
    int bad = 0;
    uint64_t n = 1;

    while (run_fault(n, mode, use_stable, &bad) && n < 1000) {
        n++;
    }
    ok(!bad && n > 10, "%s%s (%llu fault points)", name, tag, (unsigned long long)(n - 1));
}

/* Formats the fixture with segments of seg bytes, runs the reference workload and the sweeps. */
static void sweeps_on(uint64_t seg)
{
    struct blk dev;
    struct axiom ax;
    static struct ax_recovery rec;
    struct ax_replay r;
    static struct ax_state st;
    uint8_t id[16] = {0};
    uint64_t tail = 0;
    int failed = 0;

    memset(base, 0, DISK);
    blk_open_mem(&dev, base, NULL, DISK);
    int err = seg == 0 ? ax_format(&dev, secret, id, "root")
                       : ax_format_seg(&dev, secret, id, "root", seg);
    ok(err == 0, "crash_fixture_formats%s", tag);
    memcpy(mem, base, DISK);
    blk_open_mem(&dev, mem, NULL, DISK);
    ok(axiom_open(&ax, &dev, axiom_sign_with_keys, &keys, &rec) == 0, "crash_reference_opens%s",
       tag);
    if (snap_every != 0) {
        ax.snap_every = snap_every;
    }
    uint64_t all = workload(&ax, &failed);
    ok(!failed && all == 32, "crash_reference_workload_commits%s", tag);
    if (seg != 0) {
        ok(ax.log.kcount > 3, "crash_reference_log_spans_%llu_segments",
           (unsigned long long)ax.log.kcount);
        ok(ax.snap_done >= 25, "crash_reference_wrote_snapshots (the last after entry %llu)",
           (unsigned long long)ax.snap_done);
    }
    ax_replay_init(&r, &st, record, NULL);
    got_n = 0;
    ok(axiom_scan(&dev, &ax.lay, &r, &tail) == 0, "crash_reference_log_verifies%s", tag);
    memcpy(ref_hash, got_hash, sizeof(got_hash));
    ref_n = got_n;
    axiom_close(&ax);

    sweep(BLK_FAULT_FAIL, 0, "crash_fail_nth_write_keeps_acknowledged_prefix");
    sweep(BLK_FAULT_CUT, 0, "crash_cut_nth_write_volatile_image_recovers");
    sweep(BLK_FAULT_CUT, 1, "crash_cut_nth_write_flushed_image_recovers");
    sweep(BLK_FAULT_CUT_REORDER, 0, "crash_reordered_torn_write_recovers");
}

int main(void)
{
    struct blk dev;
    struct axiom ax;
    static struct ax_recovery rec;
    int failed = 0;

    tap_no_plan();
    base = calloc(1, DISK);
    mem = calloc(1, DISK);
    stable = calloc(1, DISK);
    keys_init(&keys, secret);
    tag = "_in_8k_segments";
    snap_every = 5; /* and a snapshot every 5 entries: its writes are cut too */
    sweeps_on(8192);
    tag = "";
    snap_every = 0;
    sweeps_on(0);

    /* A corrupted record in the middle is refused, not skipped. */
    memcpy(mem, base, DISK);
    blk_open_mem(&dev, mem, NULL, DISK);
    (void)axiom_open(&ax, &dev, axiom_sign_with_keys, &keys, &rec);
    (void)workload(&ax, &failed);
    uint64_t log_off = ax.lay.log_off + (ax.lay.seg_size != 0 ? 512 : 0); /* segment 0's bytes */
    axiom_close(&ax);
    mem[log_off + 512 + 60] ^= 0x20; /* inside batch 1, batches 2.. follow */
    blk_open_mem(&dev, mem, NULL, DISK);
    is_int(axiom_open(&ax, &dev, axiom_sign_with_keys, &keys, &rec), ZERR_CORRUPT,
           "crash_mid_log_corruption_refused");
    ok(strstr(rec.why, "later entries follow") != NULL, "crash_mid_log_report_says_why (%s)",
       rec.why);
    mem[log_off + 512 + 60] ^= 0x20;
    memset(mem + log_off + 512, 0, 512); /* a zeroed sector in the middle */
    is_int(axiom_open(&ax, &dev, axiom_sign_with_keys, &keys, &rec), ZERR_CORRUPT,
           "crash_mid_log_zeroed_sector_refused");

    /* Garbage and truncated disks. */
    memset(mem, 0xA5, DISK);
    is_int(axiom_open(&ax, &dev, axiom_sign_with_keys, &keys, &rec), ZERR_CORRUPT,
           "crash_garbage_disk_refused");
    blk_open_mem(&dev, base, NULL, DISK / 2);
    ok(axiom_open(&ax, &dev, axiom_sign_with_keys, &keys, &rec) != 0,
       "crash_truncated_disk_refused (%s)", rec.why);
    free(base);
    free(mem);
    free(stable);
    return tap_done();
}
