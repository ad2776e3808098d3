/*
 * Start-up of a verifier over a long log, with and without a snapshot: a
 * log of one million note entries (batches of 256, as group commit writes
 * them) is replayed and verified from genesis, then a snapshot file of its
 * state is loaded (checkpoint signature, decode, state root recomputed and
 * checked) and the replay goes on from it to the end.  The node itself
 * does not start from snapshots yet (docs/axiom.md "Snapshots").
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

/* Replays the disk from r's position (genesis or a snapshot); seconds or -1. */
static double replay(struct blk *dev, struct axiom *ax, struct ax_replay *r)
{
    uint64_t tail = 0;
    double t0 = now_s();
    int err = axiom_scan(dev, &ax->lay, r, &tail);

    if (err != 0) {
        fprintf(stderr, "bench_snapshot: replay failed: %s\n", r->why);
        return -1;
    }
    return now_s() - t0;
}

int main(int argc, char **argv)
{
    static struct axiom ax;
    static struct ax_state st;
    static uint8_t file[AX_SNAPFILE_HEADER + 256u + AX_SNAP_MAX];
    const char *img = "build/bench-snapshot.img";
    uint64_t n =
        argc == 3 && strcmp(argv[1], "--entries") == 0 ? strtoull(argv[2], NULL, 10) : 1000000u;
    struct ax_replay r;
    struct blk dev;
    size_t len = 0;

    if (n < 2 || fill(&ax, &dev, img, n) != 0) {
        fprintf(stderr, "bench_snapshot: cannot write a log of %llu entries to %s\n",
                (unsigned long long)n, img);
        return 1;
    }
    ax_replay_init(&r, &st, NULL, NULL);
    double genesis = replay(&dev, &ax, &r);
    if (genesis < 0 || ax_snapfile_write(&r, file, sizeof(file), &len) != 0) {
        return 1;
    }
    double t0 = now_s();
    r.st = &st;
    int err = ax_snapfile_load(file, len, NULL, &r);
    double load = now_s() - t0;
    double rest = err == 0 ? replay(&dev, &ax, &r) : -1;
    if (err != 0 || rest < 0 || st.applied != n) {
        fprintf(stderr, "bench_snapshot: the snapshot does not load: %s\n", r.why);
        return 1;
    }
    printf("bench: axiom_start_%llu_entries_from_snapshot %.4f s vs from_genesis %.2f s ratio "
           "%.0f (snapshot %zu bytes)\n",
           (unsigned long long)n, load + rest, genesis, genesis / (load + rest), len);
    axiom_close(&ax);
    blk_close(&dev);
    unlink(img);
    return 0;
}
