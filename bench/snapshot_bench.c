/*
 * The node's start-up (axiom_open, as zero-hosted and init call it) over a
 * long log, with and without snapshots: a log of one million note entries
 * (batches of 256, as group commit writes them) is written by the
 * sequencer, which leaves a snapshot every AX_SNAP_EVERY entries in the
 * log pool; the node is started on it (newest snapshot, then the log after
 * it), then the snapshot slots are freed and it is started again (the
 * whole log verified from genesis).  docs/axiom.md "Snapshots".
 *
 * usage: bench_snapshot [--entries N] (default 1000000; files under build/)
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "base/errors.h"
#include "services/axiom/axiom.h"
#include "services/axiom/snapshot.h"
#include "services/axiom/sequencer.h"

#define PER_BATCH 256u

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Writes n note entries to a fresh disk image at img (left open in ax). */
static int fill(struct axiom *ax, struct blk *dev, const char *img, uint64_t n)
{
    static struct keys keys;
    uint8_t secret[32] = {5}, id[16] = {0}, data[16], hash[32];
    uint64_t size = (n * 420u + (64u << 20)) / 4096u * 4096u, seq;
    struct ax_recovery rec;
    struct ax_action a;
    struct policy_decision d;

    unlink(img);
    if (blk_open(dev, img, size) != 0 || ax_format(dev, secret, id, "root") != 0) {
        return 1;
    }
    keys_init(&keys, secret);
    if (axiom_open(ax, dev, axiom_sign_with_keys, &keys, &rec) != 0) {
        return 1;
    }
    memset(data, 'n', sizeof(data));
    memset(&a, 0, sizeof(a));
    a.kind = AX_NOTE;
    strcpy(a.proposer, "root");
    a.data = data;
    a.data_len = sizeof(data);
    for (uint64_t i = 1; i < n; i++) {
        if (axiom_propose(ax, &a, &d, &seq, hash, NULL, 0) != 0) {
            return 1;
        }
        if (i % PER_BATCH == 0 && axiom_commit(ax) != 0) {
            return 1;
        }
    }
    return axiom_commit(ax);
}

/* Opens the Axiom on dev as a node starts (axiom_open); seconds or -1. */
static double start(struct blk *dev, struct axiom *ax, struct ax_recovery *rec)
{
    static struct keys keys;
    uint8_t secret[32] = {5};
    double t0 = now_s();

    keys_init(&keys, secret);
    if (axiom_open(ax, dev, axiom_sign_with_keys, &keys, rec) != 0) {
        fprintf(stderr, "bench_snapshot: the node does not start: %s\n", rec->why);
        return -1;
    }
    return now_s() - t0;
}

/* Frees every snapshot slot of the open Axiom's disk: a disk as if it had none. */
static int drop_snapshots(struct axiom *ax, struct blk *dev)
{
    static const uint8_t zero[512];

    for (uint32_t i = 0; i < ax->log.nslots; i++) {
        if (ax->log.used[i] == AXSEG_USED_SNAPSHOT &&
            blk_write(dev, ax->log.region_off + (uint64_t)i * ax->log.seg, zero, sizeof(zero)) !=
                0) {
            return 1;
        }
    }
    return blk_flush(dev);
}

int main(int argc, char **argv)
{
    static struct axiom ax;
    static struct ax_recovery rec;
    const char *img = "build/bench-snapshot.img";
    uint64_t n =
        argc == 3 && strcmp(argv[1], "--entries") == 0 ? strtoull(argv[2], NULL, 10) : 1000000u;
    struct blk dev;

    if (n < 2 || fill(&ax, &dev, img, n) != 0) {
        fprintf(stderr, "bench_snapshot: cannot write a log of %llu entries to %s\n",
                (unsigned long long)n, img);
        return 1;
    }
    axiom_close(&ax);
    double snap = start(&dev, &ax, &rec);
    uint64_t covered = rec.from_snapshot;
    if (snap < 0 || axiom_durable(&ax) != n || drop_snapshots(&ax, &dev) != 0) {
        return 1;
    }
    axiom_close(&ax);
    double genesis = start(&dev, &ax, &rec);
    if (genesis < 0 || axiom_durable(&ax) != n || rec.from_snapshot != 0) {
        return 1;
    }
    printf("bench: axiom_start_%llu_entries_from_snapshot %.4f s vs from_genesis %.2f s ratio "
           "%.0f (axiom_open; the snapshot covered %llu entries, every %u)\n",
           (unsigned long long)n, snap, genesis, genesis / snap, (unsigned long long)covered,
           AX_SNAP_EVERY);
    axiom_close(&ax);
    blk_close(&dev);
    unlink(img);
    return 0;
}
