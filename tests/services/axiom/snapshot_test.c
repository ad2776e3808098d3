/*
 * State snapshots: after every batch of a log that touches every part of
 * the state (principals, rules, files, quotas, notes), a snapshot file
 * written there loads, matches its signed checkpoint, and a replay that
 * continues from it reaches the same state root as one from genesis.  A
 * flipped byte, a checkpoint of another batch, another trusted key, a
 * truncated or non-canonical snapshot are refused.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/errors.h"
#include "services/axiom/axiom.h"
#include "services/axiom/snapshot.h"
#include "tap.h"

#define DISK (2u * 1024u * 1024u)
#define BATCHES 64

static uint8_t secret[32] = {6, 1};
static struct keys keys;
static struct axiom ax;
static uint8_t mem[DISK];
static uint8_t log_copy[DISK]; /* the log's bytes, read through its segments */
static uint64_t log_end;
static struct blk dev;
static struct ax_layout lay;
static uint8_t *log_bytes;
static struct ax_state full_st, snap_st;
static struct ax_replay full, from;
static uint8_t file[BATCHES][64 * 1024];
static size_t file_len[BATCHES];
static int nfiles;
static uint8_t node_pub[ID_PUB_LEN];

static int propose(struct ax_action *a)
{
    struct policy_decision d;
    uint64_t seq = 0;
    uint8_t hash[AX_HASH_LEN];
    char why[160];

    int err = axiom_propose(&ax, a, &d, &seq, hash, why, sizeof(why));
    return err == 0 ? axiom_commit(&ax) : err;
}

static struct ax_action act(uint8_t kind, const char *path)
{
    struct ax_action a;

    memset(&a, 0, sizeof(a));
    a.kind = kind;
    snprintf(a.proposer, sizeof(a.proposer), "root");
    snprintf(a.fs.path, sizeof(a.fs.path), "%s", path);
    a.fs.mode = 0644;
    return a;
}

/* A log with every part of the state changed at least once. */
static void build_log(void)
{
    uint8_t id[16] = {3};
    struct ax_recovery rec;
    struct ax_action a;
    int bad = 0;

    blk_open_mem(&dev, mem, NULL, DISK);
    keys_init(&keys, secret);
    ok(ax_format(&dev, secret, id, "root") == 0 &&
           axiom_open(&ax, &dev, axiom_sign_with_keys, &keys, &rec) == 0,
       "a fresh disk formats and opens");
    a = act(AX_ID_CREATE, "");
    snprintf(a.name, sizeof(a.name), "alice");
    a.id_kind = ID_KIND_USER;
    memset(a.pub, 7, sizeof(a.pub));
    bad |= propose(&a);
    a = act(AX_POLICY_ADD, "");
    a.effect = POLICY_ALLOW;
    snprintf(a.rule, sizeof(a.rule), "alice fs.write /home/alice/*");
    bad |= propose(&a);
    a = act(AX_FS_MKDIR, "/home");
    bad |= propose(&a);
    a = act(AX_FS_MKDIR, "/home/alice");
    bad |= propose(&a);
    for (int i = 0; i < 6; i++) {
        char p[32];
        snprintf(p, sizeof(p), "/home/alice/f%d", i);
        a = act(AX_FS_PUT, p);
        memset(a.fs.hash, i + 1, sizeof(a.fs.hash));
        a.fs.size = 10u + (unsigned)i;
        bad |= propose(&a);
    }
    a = act(AX_FS_MV, "/home/alice");
    snprintf(a.fs.to, sizeof(a.fs.to), "/home/al");
    bad |= propose(&a);
    a = act(AX_FS_QUOTA, "");
    snprintf(a.name, sizeof(a.name), "alice");
    a.fs.size = 1000;
    bad |= propose(&a);
    a = act(AX_SVC_START, "");
    snprintf(a.name, sizeof(a.name), "terminal");
    a.svc.pid = 7;
    bad |= propose(&a);
    a = act(AX_NOTE, "");
    a.data = (const uint8_t *)"a note";
    a.data_len = 6;
    bad |= propose(&a);
    is_int(bad, 0, "principals, rules, files, a move, a quota, a service and a note commit");
    axiom_close(&ax);
}

/* Replays the log batch by batch from genesis, writing a snapshot file after each. */
static void snapshot_every_batch(void)
{
    char why[160];
    int err = 0;

    ok(ax_read_super(&dev, &lay, NULL, why, sizeof(why)) == 0, "the superblock reads");
    memcpy(node_pub, lay.node_pub, ID_PUB_LEN);
    struct ax_logview v;
    ok(ax_logview_open(&v, &dev, &lay, why, sizeof(why)) == 0 &&
           ax_logview_read(&v, 0, log_copy, (size_t)v.end) == 0,
       "the log reads across its segments");
    log_end = v.end;
    ax_logview_close(&v);
    log_bytes = log_copy;
    ax_replay_init(&full, &full_st, NULL, NULL);
    while (nfiles < BATCHES) {
        size_t used = 0;
        err = ax_replay_batch(&full, log_bytes + full.off, log_end - full.off, &used);
        if (err != 0) {
            break;
        }
        err = ax_snapfile_write(&full, file[nfiles], sizeof(file[0]), &file_len[nfiles]);
        if (err != 0) {
            break;
        }
        nfiles++;
    }
    is_int(err, ZERR_NOENT, "the log replays to its end");
    ok(nfiles > 10, "with a snapshot after each of %d batches", nfiles);
}

/* Loads snapshot k and replays the rest of the log from it; 0 or the error. */
static int continue_from(int k)
{
    int err = ax_snapfile_load(file[k], file_len[k], node_pub, &from);
    for (size_t used = 0; err == 0;) {
        err = ax_replay_batch(&from, log_bytes + from.off, log_end - from.off, &used);
    }
    return err == ZERR_NOENT ? 0 : err;
}

static void test_continue_from_each(void)
{
    int bad = 0;

    from.st = &snap_st;
    for (int k = 0; k < nfiles; k++) {
        if (continue_from(k) != 0 || from.st->applied != full_st.applied ||
            memcmp(from.st->root, full_st.root, AX_HASH_LEN) != 0 || from.off != full.off) {
            bad++;
            tap_diag("snapshot %d: %s", k, from.why);
        }
    }
    is_int(bad, 0, "a replay from any snapshot reaches the same state root as one from genesis");
    struct fs va, vb;
    struct fs_node na, nb;
    ok(fs_stat(ax_state_fs(&snap_st, &va), "/home/al/f3", &na) == 0 &&
           fs_stat(ax_state_fs(&full_st, &vb), "/home/al/f3", &nb) == 0 &&
           na.changed == nb.changed && na.changed != 0,
       "the entry that last changed a file comes through a snapshot");
}

/*
 * True if the state loaded into from differs from the snapshot in f only in
 * the nodes' entry numbers (changed), the one field no root covers.
 */
static bool only_changed_differs(const struct ax_snapfile *f)
{
    static struct ax_state st;
    static struct ax_replay r;
    static uint8_t again[sizeof(file[0])];
    size_t len = 0;

    r.st = &st;
    if (ax_snap_decode(f->snap, f->snap_len, &r) != 0 || st.fs.ns.count != snap_st.fs.ns.count) {
        return false;
    }
    for (uint32_t i = 0; i < st.fs.ns.count; i++) {
        snap_st.fs.nodes[i].changed = st.fs.nodes[i].changed;
    }
    return ax_snap_encode(&from, again, sizeof(again), &len) == 0 && len == f->snap_len &&
           memcmp(again, f->snap, len) == 0;
}

static void test_refusals(void)
{
    static uint8_t bad[sizeof(file[0])];
    int k = nfiles / 2;
    size_t n = file_len[k];
    struct ax_snapfile f;
    uint8_t other[ID_PUB_LEN] = {9};
    int accepted = 0;

    ok(ax_snapfile_parse(file[k], n, &f) == 0, "the file splits into its parts");
    for (size_t i = AX_SNAPFILE_HEADER; i < n; i++) {
        memcpy(bad, file[k], n);
        bad[i] ^= 0x20;
        if (ax_snapfile_load(bad, n, NULL, &from) == 0 && !only_changed_differs(&f)) {
            accepted++;
            tap_diag("flip at %zu (of %zu) accepted", i, n);
        }
    }
    is_int(accepted, 0,
           "a flipped byte anywhere in the checkpoint or the snapshot is refused "
           "(but in the entry numbers of stat, which no root covers)");
    is_int(ax_snapfile_load(file[k], n - 1, NULL, &from), ZERR_CORRUPT, "a truncated file");
    is_int(ax_snapfile_load(file[k], n, other, &from), ZERR_PERM, "a key other than the trusted");
    /* This batch's snapshot with the next batch's checkpoint. */
    struct ax_snapfile g;
    ok(ax_snapfile_parse(file[k + 1], file_len[k + 1], &g) == 0, "so does the next");
    memcpy(bad, file[k + 1], AX_SNAPFILE_HEADER + g.cp_len);
    memcpy(bad + AX_SNAPFILE_HEADER + g.cp_len, f.snap, f.snap_len);
    bad[20] = (uint8_t)f.snap_len;
    bad[21] = (uint8_t)(f.snap_len >> 8);
    bad[22] = (uint8_t)(f.snap_len >> 16);
    int err = ax_snapfile_load(bad, AX_SNAPFILE_HEADER + g.cp_len + f.snap_len, NULL, &from);
    ok(err == ZERR_CORRUPT && strstr(from.why, "position") != NULL,
       "a snapshot paired with another batch's checkpoint is refused: %s", from.why);
}

static void test_decoder(void)
{
    static uint8_t buf[sizeof(file[0]) + 8];
    struct ax_snapfile f;
    bool cut_ok = false;

    ok(ax_snapfile_parse(file[nfiles - 1], file_len[nfiles - 1], &f) == 0, "the last file splits");
    is_int(ax_snap_decode(f.snap, f.snap_len, &from), 0, "its snapshot decodes");
    /* The version (a one-byte uint after the array head) written in two bytes. */
    buf[0] = f.snap[0];
    buf[1] = 0x18;
    memcpy(buf + 2, f.snap + 1, f.snap_len - 1);
    is_int(ax_snap_decode(buf, f.snap_len + 1, &from), ZERR_CORRUPT,
           "a non-shortest integer is not canonical and is refused");
    memcpy(buf, f.snap, f.snap_len);
    buf[f.snap_len] = 0;
    is_int(ax_snap_decode(buf, f.snap_len + 1, &from), ZERR_CORRUPT, "a trailing byte is refused");
    for (size_t cut = 0; cut < f.snap_len; cut += 13) {
        if (ax_snap_decode(f.snap, cut, &from) == 0) {
            break;
        }
        cut_ok = cut + 13 >= f.snap_len;
    }
    ok(cut_ok, "every cut of a snapshot is refused");
}

/* Writes the first and the last snapshot file into dir (the fuzz corpus). */
static void write_corpus(const char *dir)
{
    const int pick[2] = {0, nfiles - 1};
    const char *name[2] = {"small", "big"};

    for (int i = 0; i < 2; i++) {
        char path[512];
        snprintf(path, sizeof(path), "%s/%s", dir, name[i]);
        FILE *f = fopen(path, "wb");
        if (f != NULL) {
            fwrite(file[pick[i]], 1, file_len[pick[i]], f);
            fclose(f);
        }
    }
}

/* Writes the disk to path and the snapshot after its last-but-one batch
 * (a service is known there) to path.snap, for the JavaScript verifier. */
static void write_disk(const char *path)
{
    char snap[512];
    FILE *f = fopen(path, "wb");

    if (f != NULL) {
        fwrite(mem, 1, sizeof(mem), f);
        fclose(f);
    }
    snprintf(snap, sizeof(snap), "%s.snap", path);
    f = fopen(snap, "wb");
    if (f != NULL) {
        fwrite(file[nfiles - 2], 1, file_len[nfiles - 2], f);
        fclose(f);
    }
}

/* A note, committed; 0 or the error. */
static int note(void)
{
    struct ax_action a = act(AX_NOTE, "");
    a.data = (const uint8_t *)"later";
    a.data_len = 5;
    return propose(&a);
}

/*
 * The node writes a snapshot into its log pool once snap_every entries
 * have passed, and a restart replays only what follows it; a damaged
 * snapshot is not used, and the restart replays from genesis instead.
 */
static void test_node_starts_from_its_snapshot(const char *path)
{
    static uint8_t disk2[DISK];
    static struct ax_state check_st;
    struct blk d2;
    struct ax_recovery rec;
    struct ax_replay r;
    uint8_t root[AX_HASH_LEN], kind = 0;
    uint64_t tail = 0;
    int bad = 0;

    memcpy(disk2, mem, DISK);
    blk_open_mem(&d2, disk2, NULL, DISK);
    ok(axiom_open(&ax, &d2, axiom_sign_with_keys, &keys, &rec) == 0 && rec.from_snapshot == 0,
       "a disk without a snapshot replays from genesis");
    ax.snap_every = 1;
    bad |= note();
    uint64_t covered = ax.snap_done;
    ax.snap_every = 0;
    for (int i = 0; i < 3; i++) {
        bad |= note();
    }
    uint64_t durable = axiom_durable(&ax);
    memcpy(root, ax.st->root, AX_HASH_LEN);
    uint32_t slot = ax.log.snap_slot;
    axiom_close(&ax);
    ok(bad == 0 && covered == durable - 3 && slot != UINT32_MAX,
       "the node wrote a snapshot after entry %llu", (unsigned long long)covered);
    ok(axiom_open(&ax, &d2, axiom_sign_with_keys, &keys, &rec) == 0 &&
           rec.from_snapshot == covered && axiom_durable(&ax) == durable &&
           memcmp(ax.st->root, root, AX_HASH_LEN) == 0,
       "a restart starts from it and reaches the same %llu entries and state root",
       (unsigned long long)durable);
    bad = note();
    durable = axiom_durable(&ax);
    memcpy(root, ax.st->root, AX_HASH_LEN);
    axiom_close(&ax);
    ax_replay_init(&r, &check_st, NULL, NULL);
    ok(bad == 0 && axiom_replay_device(&d2, &r, &kind, &tail) == 0 && check_st.applied == durable &&
           memcmp(check_st.root, root, AX_HASH_LEN) == 0,
       "and the log it goes on with verifies from genesis (zero verify)");
    if (path != NULL) { /* a disk with a snapshot slot in its pool, for zero_snapshot.t */
        char name[512];
        snprintf(name, sizeof(name), "%s.node", path);
        FILE *f = fopen(name, "wb");
        if (f != NULL) {
            fwrite(disk2, 1, sizeof(disk2), f);
            fclose(f);
        }
    }
    disk2[lay.log_off + (uint64_t)slot * lay.seg_size + 512 + 100] ^= 1;
    ok(axiom_open(&ax, &d2, axiom_sign_with_keys, &keys, &rec) == 0 && rec.from_snapshot == 0 &&
           axiom_durable(&ax) == durable && strstr(rec.why, "snapshot") != NULL,
       "a damaged snapshot is not used: the restart replays from genesis (%s)", rec.why);
    axiom_close(&ax);
}

/*
 * For zero_prune.t: a 1 MiB disk with 8 KiB segments, 60 notes of 300
 * bytes one per batch (the log spans several segments) and a snapshot
 * every 8 entries.
 */
static void write_prune_disk(const char *path)
{
    static uint8_t disk3[1024 * 1024];
    static char data[300];
    struct blk d3;
    struct ax_recovery rec;
    uint8_t id[16] = {9};
    char name[512];
    int bad = 0;

    blk_open_mem(&d3, disk3, NULL, sizeof(disk3));
    bad |= ax_format_seg(&d3, secret, id, "root", 8192);
    bad |= axiom_open(&ax, &d3, axiom_sign_with_keys, &keys, &rec);
    ax.snap_every = 8;
    memset(data, 'p', sizeof(data));
    for (int i = 0; i < 60 && bad == 0; i++) {
        struct ax_action a = act(AX_NOTE, "");
        a.data = (const uint8_t *)data;
        a.data_len = sizeof(data);
        bad |= propose(&a);
    }
    ok(bad == 0 && ax.log.kcount > 3 && ax.snap_done >= 56,
       "a disk for zero prune: %llu segments, a snapshot after entry %llu",
       (unsigned long long)ax.log.kcount, (unsigned long long)ax.snap_done);
    axiom_close(&ax);
    snprintf(name, sizeof(name), "%s.prune", path);
    FILE *f = fopen(name, "wb");
    if (f != NULL) {
        fwrite(disk3, 1, sizeof(disk3), f);
        fclose(f);
    }
}

int main(int argc, char **argv)
{
    tap_no_plan();
    memset(mem, 0, sizeof(mem));
    build_log();
    snapshot_every_batch();
    test_continue_from_each();
    test_refusals();
    test_decoder();
    test_node_starts_from_its_snapshot(argc > 2 ? argv[2] : NULL);
    if (argc > 1) {
        write_corpus(argv[1]);
    }
    if (argc > 2) {
        write_disk(argv[2]);
        write_prune_disk(argv[2]);
    }
    return tap_done();
}
