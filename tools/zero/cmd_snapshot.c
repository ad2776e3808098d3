/*
 * zero snapshot PATH -o FILE: verifies a disk or log export from genesis
 * and writes a snapshot file of the state after its last batch (with the
 * signed checkpoint it matches), from which `zero verify --snapshot`
 * starts instead of from genesis.
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/errors.h"
#include "base/fmt.h"
#include "services/axiom/axiom.h"
#include "services/axiom/snapshot.h"
#include "tools/zero/zero.h"

const char zero_help_snapshot[] = "write a state snapshot of a verified disk or log export";

static void snapshot_usage(FILE *f)
{
    fprintf(f, "usage: zero snapshot PATH -o FILE\n\n"
               "Replays and verifies the Axiom log on PATH (a disk image or a 'zero export'\n"
               "file) from genesis, then writes FILE: the state after the last batch, the\n"
               "signed checkpoint closing that batch, the node key that signed it and the\n"
               "log offset of the next batch (docs/formats.md \"Snapshot file\").\n"
               "'zero verify --snapshot FILE PATH' then replays only what follows it.\n"
               "Exit 1: the log does not verify; exit 2: bad arguments or I/O.\n");
}

/* Writes the snapshot file of r to out; an exit status. */
static int snapshot_write(const struct ax_replay *r, const char *out)
{
    size_t cap = AX_SNAPFILE_HEADER + 256u + AX_SNAP_MAX, len = 0;
    uint8_t *buf = malloc(cap);
    int rc = ZERO_EXIT_USAGE;

    int err = buf != NULL ? ax_snapfile_write(r, buf, cap, &len) : ZERR_NOMEM;
    if (err == ZERR_UNSUPPORTED) {
        fprintf(stderr, "zero snapshot: the state has processes or capabilities, which snapshots "
                        "do not carry yet\n");
        free(buf);
        return ZERO_EXIT_NO;
    }
    if (err == 0) {
        FILE *f = fopen(out, "wb");
        if (f != NULL) {
            bool wrote = fwrite(buf, 1, len, f) == len;
            rc = fclose(f) == 0 && wrote ? ZERO_EXIT_OK : ZERO_EXIT_USAGE;
        }
    }
    if (rc != ZERO_EXIT_OK) {
        fprintf(stderr, "zero snapshot: cannot write %s\n", out);
    } else {
        printf("snapshot of %llu entries (batch %llu, state root ",
               (unsigned long long)r->st->applied, (unsigned long long)r->last_cp.batch);
        for (int i = 0; i < 32; i++) {
            printf("%02x", r->st->root[i]);
        }
        printf(") written to %s: %zu bytes\n", out, len);
    }
    free(buf);
    return rc;
}

static int snapshot_run(const char *path, const char *out)
{
    struct blk dev;
    struct ax_replay r;
    uint8_t kind = 0;
    uint64_t tail = 0;
    int rc = ZERO_EXIT_NO;

    if (zero_open_image(path, &dev) != 0) {
        fprintf(stderr, "zero snapshot: cannot open %s\n", path);
        return ZERO_EXIT_USAGE;
    }
    struct ax_state *st = malloc(sizeof(*st));
    if (st == NULL) {
        blk_close(&dev);
        return ZERO_EXIT_USAGE;
    }
    ax_replay_init(&r, st, NULL, NULL);
    int err = axiom_replay_device(&dev, &r, &kind, &tail);
    if (err == 0 || err == ZERR_TRUNCATED) {
        rc = snapshot_write(&r, out);
    } else {
        printf("FAILED: %s: %s (%s)\n", path, r.why, zerr_name(err));
    }
    free(st);
    blk_close(&dev);
    return rc;
}

int zero_cmd_snapshot(int argc, char **argv)
{
    const char *path = NULL, *out = NULL;

    if (zero_wants_help(argc, argv)) {
        snapshot_usage(stdout);
        return ZERO_EXIT_OK;
    }
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "-o") == 0 && i + 1 < argc) {
            out = argv[++i];
        } else if (path == NULL) {
            path = argv[i];
        } else {
            path = NULL;
            break;
        }
    }
    if (path == NULL || out == NULL) {
        snapshot_usage(stderr);
        return ZERO_EXIT_USAGE;
    }
    return snapshot_run(path, out);
}
