/*
 * zero prune DISK --before SEQ --export FILE: frees the log segments of a
 * format-2 disk that hold only entries before SEQ, once FILE, an export of
 * the same log, holds them (docs/formats.md "Log segments", docs/axiom.md
 * "Pruning").  The node then starts from its snapshot; zero verify checks
 * the whole history with the export: zero verify DISK --export FILE.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/errors.h"
#include "services/axiom/axiom.h"
#include "services/axiom/snapshot.h"
#include "tools/zero/prune.h"
#include "tools/zero/zero.h"

const char zero_help_prune[] = "free the old log segments of a disk once an export holds them";

static void prune_usage(FILE *f)
{
    fprintf(f, "usage: zero prune DISK --before SEQ --export FILE\n\n"
               "Frees the log segments of DISK (a format-2 disk, the node not running)\n"
               "that hold only entries before SEQ and lie before the newest snapshot\n"
               "the node wrote, so it can still start. FILE must be an export of the\n"
               "same log ('zero export DISK FILE', made first) that holds every byte\n"
               "freed: the signed checkpoints of the pruned history stay in it, and\n"
               "receipts and consistency proofs over it are made from it. Afterwards\n"
               "'zero verify DISK --export FILE' checks the whole history.\n");
}

/* Records the log offset of the batch holding entry want. */
struct prune_find {
    struct ax_replay *r;
    uint64_t want;
    uint64_t off; /* UINT64_MAX until found */
};

static void prune_find_entry(void *arg, const struct ax_entry *e, const uint8_t hash[AX_HASH_LEN])
{
    struct prune_find *pf = arg;

    (void)hash;
    if (e->seq == pf->want && pf->off == UINT64_MAX) {
        pf->off = pf->r->off; /* the batch's start: r->off moves after the batch */
    }
}

int zero_export_start(const char *file, struct ax_replay *r, ax_entry_fn fn, void *arg)
{
    struct blk edev;
    uint8_t kind = 0;
    uint64_t tail = 0;
    int err = zero_open_image(file, &edev);

    if (err != 0) {
        fprintf(stderr, "zero: cannot open the export %s: %s\n", file, zerr_text(err));
        return ZERO_EXIT_USAGE;
    }
    r->fn = fn;
    r->arg = arg;
    err = axiom_replay_device(&edev, r, &kind, &tail);
    blk_close(&edev);
    if (err == 0 && kind != AX_SOURCE_EXPORT) {
        fprintf(stderr, "zero: %s is not a log export\n", file);
        return ZERO_EXIT_USAGE;
    }
    if (err != 0) {
        printf("FAILED: the export %s: %s\n", file, r->why);
        return ZERO_EXIT_NO;
    }
    return ZERO_EXIT_OK;
}

/* True if the export's log (len bytes) and the disk's agree on [v->start, min(len, v->end));
 * the caller makes sure that range is not empty. */
static bool prune_same_log(struct ax_logview *v, const char *file, uint64_t len)
{
    static uint8_t a[64 * 1024], b[64 * 1024];
    struct blk edev;
    bool same = zero_open_image(file, &edev) == 0;
    uint64_t end = len < v->end ? len : v->end;

    for (uint64_t off = v->start; same && off < end;) {
        size_t n = end - off < sizeof(a) ? (size_t)(end - off) : sizeof(a);
        same = ax_logview_read(v, off, a, n) == 0 &&
               blk_read(&edev, AX_EXPORT_HEADER + off, b, n) == 0 && memcmp(a, b, n) == 0;
        off += n;
    }
    if (edev.hal != NULL) {
        blk_close(&edev);
    }
    return same;
}

/* Where the newest snapshot on the disk lets the log start; 0 if there is none. */
static uint64_t prune_snapshot_offset(struct ax_logview *v)
{
    static uint8_t buf[AX_SNAPFILE_HEADER + 256u + AX_SNAP_MAX];
    struct ax_snapfile f;
    size_t len = 0;

    if (ax_logview_get_snapshot(v, buf, sizeof(buf), &len) != 0 ||
        ax_snapfile_parse(buf, len, &f) != 0) {
        return 0;
    }
    return f.log_off;
}

/* Zeroes the headers of segments kbase.. while they end at or before cut, lowest first. */
static int prune_segments(struct ax_logview *v, uint64_t cut, uint64_t *freed)
{
    static const uint8_t zero[512];

    *freed = 0;
    while (v->kcount > 1 && (v->kbase + 1) * v->payload <= cut) {
        uint64_t at = v->region_off + (uint64_t)v->slot[0] * v->seg;
        /* one flush per segment: a crash never leaves a gap in the numbers */
        int err = blk_write(v->dev, at, zero, sizeof(zero));
        if (err == 0) {
            err = blk_flush(v->dev);
        }
        if (err != 0) {
            return err;
        }
        memmove(v->slot, v->slot + 1, (size_t)(v->kcount - 1) * sizeof(v->slot[0]));
        v->kbase++;
        v->kcount--;
        v->start += v->payload;
        (*freed)++;
    }
    return 0;
}

/* Checks the export and finds the cut; returns an exit status with *cut. */
static int prune_plan(struct ax_logview *v, const char *file, uint64_t before, uint64_t *cut)
{
    struct ax_state *st = malloc(sizeof(*st));
    struct ax_replay r;
    struct prune_find pf = {&r, before, UINT64_MAX};

    if (st == NULL) {
        return ZERO_EXIT_USAGE;
    }
    ax_replay_init(&r, st, NULL, NULL);
    int rc = zero_export_start(file, &r, prune_find_entry, &pf);
    uint64_t snap = prune_snapshot_offset(v);
    if (rc == ZERO_EXIT_OK && (r.off <= v->start || !prune_same_log(v, file, r.off))) {
        printf("FAILED: %s is not an export of this disk's log\n", file);
        rc = ZERO_EXIT_NO;
    } else if (rc == ZERO_EXIT_OK && snap == 0) {
        printf("FAILED: the disk holds no snapshot: the node could not start without its "
               "old segments\n");
        rc = ZERO_EXIT_NO;
    }
    *cut = pf.off != UINT64_MAX ? pf.off : r.off; /* SEQ past the export: all it holds */
    *cut = snap < *cut ? snap : *cut;
    free(st);
    return rc;
}

int zero_cmd_prune(int argc, char **argv)
{
    const char *file = NULL;
    char *end = NULL;
    unsigned long long before = 0;
    bool have_before = false;

    if (zero_wants_help(argc, argv)) {
        prune_usage(stdout);
        return ZERO_EXIT_OK;
    }
    for (int i = 2; i + 1 < argc; i += 2) {
        if (strcmp(argv[i], "--before") == 0) {
            before = strtoull(argv[i + 1], &end, 10);
            have_before = *end == '\0' && argv[i + 1][0] != '\0' && argv[i + 1][0] != '-';
        } else if (strcmp(argv[i], "--export") == 0) {
            file = argv[i + 1];
        }
    }
    if (argc != 6 || !have_before || file == NULL) {
        prune_usage(stderr);
        return ZERO_EXIT_USAGE;
    }
    return zero_prune_disk(argv[1], before, file);
}

int zero_prune_disk(const char *path, uint64_t before, const char *file)
{
    struct blk dev;
    struct ax_layout lay;
    struct ax_logview v;
    char why[160] = "";
    uint64_t cut = 0, freed = 0;
    int err = blk_open(&dev, path, 0);

    if (err != 0) {
        fprintf(stderr, "zero prune: cannot open %s: %s\n", path, zerr_text(err));
        return ZERO_EXIT_USAGE;
    }
    err = ax_read_super(&dev, &lay, NULL, why, sizeof(why));
    if (err == 0 && lay.seg_size == 0) {
        snprintf(why, sizeof(why), "a format-1 disk: its log fills its region, nothing to free");
        err = ZERR_UNSUPPORTED;
    }
    if (err == 0) {
        err = ax_logview_open(&v, &dev, &lay, why, sizeof(why));
    }
    if (err != 0) {
        fprintf(stderr, "zero prune: %s: %s\n", path, why[0] ? why : zerr_text(err));
        blk_close(&dev);
        return ZERO_EXIT_USAGE;
    }
    int rc = prune_plan(&v, file, before, &cut);
    if (rc == ZERO_EXIT_OK) {
        err = prune_segments(&v, cut, &freed);
        if (err != 0) {
            fprintf(stderr, "zero prune: %s: %s\n", path, zerr_text(err));
            rc = ZERO_EXIT_USAGE;
        } else {
            printf("pruned %llu segments: the log on %s now starts at offset %llu\n",
                   (unsigned long long)freed, path, (unsigned long long)v.start);
        }
    }
    ax_logview_close(&v);
    blk_close(&dev);
    return rc;
}
