/*
 * zero export DISK OUT: writes the Axiom log of a disk alone (header sector
 * plus the log bytes up to the last durable batch), after verifying it.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/errors.h"
#include "services/axiom/axiom.h"
#include "tools/zero/zero.h"

const char zero_help_export[] = "write the verified Axiom log of a disk to a file";

static void export_usage(FILE *f)
{
    fprintf(f, "usage: zero export DISK OUT\n"
               "       zero export DISK OUT --receipt SEQ\n\n"
               "Verifies the Axiom log on DISK and writes it alone to OUT (a header sector\n"
               "and the log records, byte for byte; docs/formats.md). 'zero verify OUT'\n"
               "and 'zero log OUT' accept the result. A torn tail is left out; a log\n"
               "that fails verification is not exported (exit 1).\n"
               "With --receipt, OUT gets a receipt for entry SEQ instead: the entry, its\n"
               "inclusion proof and the latest signed checkpoint, which 'zero verify OUT'\n"
               "checks offline.\n");
}

/* Collects every entry's leaf hash, and the bytes of entry `want`. */
struct export_leaves {
    uint8_t (*leaf)[AX_HASH_LEN];
    uint64_t n, cap;
    uint64_t want;
    uint8_t entry[AX_ENTRY_MAX];
    size_t entry_len;
    int err;
};

static void export_collect(void *arg, const struct ax_entry *e, const uint8_t hash[AX_HASH_LEN])
{
    struct export_leaves *l = arg;

    if (l->n == l->cap) {
        uint64_t cap = l->cap ? l->cap * 2 : 1024;
        void *p = realloc(l->leaf, (size_t)cap * AX_HASH_LEN);
        if (p == NULL) {
            l->err = ZERR_NOMEM;
            return;
        }
        l->leaf = p;
        l->cap = cap;
    }
    ax_merkle_leaf(hash, l->leaf[l->n++]);
    if (e->seq == l->want && ax_entry_encode(e, l->entry, sizeof(l->entry), &l->entry_len) != 0) {
        l->err = ZERR_INVAL;
    }
}

/* Writes a receipt for entry seq of dev's log to out; returns an exit status. */
static int export_receipt(struct blk *dev, const char *path, uint64_t seq, const char *out)
{
    static struct ax_state st;
    static struct ax_receipt rc;
    static uint8_t buf[AX_RECEIPT_MAX];
    struct export_leaves l;
    struct ax_replay r;
    uint8_t kind = 0;
    uint64_t tail = 0;
    size_t len = 0;

    memset(&l, 0, sizeof(l));
    l.want = seq;
    ax_replay_init(&r, &st, export_collect, &l);
    int err = axiom_replay_device(dev, &r, &kind, &tail);
    if ((err != 0 && err != ZERR_TRUNCATED) || l.err != 0) {
        fprintf(stderr, "zero export: %s does not verify: %s\n", path, r.why);
        free(l.leaf);
        return err == ZERR_UNSUPPORTED ? ZERO_EXIT_USAGE : ZERO_EXIT_NO;
    }
    if (seq >= st.applied) {
        fprintf(stderr, "zero export: %s has no entry #%llu\n", path, (unsigned long long)seq);
        free(l.leaf);
        return ZERO_EXIT_USAGE;
    }
    rc.entry = l.entry;
    rc.entry_len = l.entry_len;
    rc.cp = r.last_cp;
    memcpy(rc.node_pub, r.last_cp_key, ID_PUB_LEN);
    err = ax_merkle_inclusion_proof((const uint8_t(*)[AX_HASH_LEN])l.leaf, l.n, seq, rc.proof, 64,
                                    &rc.proof_len);
    if (err == 0) {
        err = ax_receipt_encode(&rc, buf, sizeof(buf), &len);
    }
    free(l.leaf);
    FILE *f = err == 0 ? fopen(out, "wb") : NULL;
    if (f == NULL || fwrite(buf, 1, len, f) != len || fclose(f) != 0) {
        fprintf(stderr, "zero export: cannot write %s\n", out);
        return ZERO_EXIT_USAGE;
    }
    printf("receipt for entry #%llu (tree of %llu entries) written to %s\n",
           (unsigned long long)seq, (unsigned long long)rc.cp.size, out);
    return ZERO_EXIT_OK;
}

/* Writes the export header and the first len bytes of the log v holds to f. */
static int export_body(struct ax_logview *v, uint64_t len, FILE *f)
{
    uint8_t hdr[AX_EXPORT_HEADER];
    static uint8_t buf[64 * 1024];

    ax_export_header(hdr, len);
    if (fwrite(hdr, 1, sizeof(hdr), f) != sizeof(hdr)) {
        return ZERR_IO;
    }
    for (uint64_t off = 0; off < len;) {
        size_t n = len - off < sizeof(buf) ? (size_t)(len - off) : sizeof(buf);
        int err = ax_logview_read(v, off, buf, n);
        if (err != 0) {
            return err;
        }
        if (fwrite(buf, 1, n, f) != n) {
            return ZERR_IO;
        }
        off += n;
    }
    return fflush(f) == 0 ? 0 : ZERR_IO;
}

/* Copies the first len bytes of the log of dev (through its segments) to f after the header. */
static int export_copy(struct blk *dev, const struct ax_layout *lay, uint64_t len, FILE *f)
{
    struct ax_logview v;
    int err = ax_logview_open(&v, dev, lay, NULL, 0);

    if (err != 0) {
        return err;
    }
    err = export_body(&v, len, f);
    ax_logview_close(&v);
    return err;
}

/* Verifies the disk; returns an exit status, with *log_len the bytes to export. */
static int export_check(struct blk *dev, const char *path, struct ax_layout *lay, uint64_t *log_len)
{
    struct ax_state *st = malloc(sizeof(*st));
    struct ax_replay r;
    uint8_t kind = 0;
    uint64_t tail = 0;
    int rc = ZERO_EXIT_OK;

    if (st == NULL) {
        return ZERO_EXIT_USAGE;
    }
    ax_replay_init(&r, st, NULL, NULL);
    int err = axiom_replay_device(dev, &r, &kind, &tail);
    if (err == ZERR_UNSUPPORTED || kind != AX_SOURCE_DISK) {
        fprintf(stderr, "zero export: %s is not a Zero OS disk\n", path);
        rc = ZERO_EXIT_USAGE;
    } else if (err != 0 && err != ZERR_TRUNCATED) {
        fprintf(stderr, "zero export: %s fails verification at entry #%llu: %s\n", path,
                (unsigned long long)r.bad_seq, r.why);
        rc = ZERO_EXIT_NO;
    } else if (ax_read_super(dev, lay, NULL, NULL, 0) != 0) {
        rc = ZERO_EXIT_USAGE;
    }
    *log_len = r.off;
    if (rc == ZERO_EXIT_OK) {
        printf("exported %llu entries (%llu bytes of log)", (unsigned long long)st->applied,
               (unsigned long long)r.off);
    }
    free(st);
    return rc;
}

int zero_cmd_export(int argc, char **argv)
{
    struct blk dev;
    struct ax_layout lay;
    uint64_t len = 0;

    if (zero_wants_help(argc, argv)) {
        export_usage(stdout);
        return ZERO_EXIT_OK;
    }
    if (argc != 3 && !(argc == 5 && strcmp(argv[3], "--receipt") == 0)) {
        export_usage(stderr);
        return ZERO_EXIT_USAGE;
    }
    char *end = NULL;
    unsigned long long seq = argc == 5 ? strtoull(argv[4], &end, 10) : 0;
    if (argc == 5 && (*end != '\0' || argv[4][0] == '\0' || argv[4][0] == '-')) {
        fprintf(stderr, "zero export: --receipt wants an entry number\n");
        return ZERO_EXIT_USAGE;
    }
    int err = zero_open_image(argv[1], &dev);
    if (err == ZERR_TRUNCATED) {
        fprintf(stderr, "zero export: %s: %s\n", argv[1], ZERO_PARTIAL_SECTOR);
        return ZERO_EXIT_NO;
    }
    if (err != 0) {
        fprintf(stderr, "zero export: cannot open %s: %s\n", argv[1], zerr_text(err));
        return ZERO_EXIT_USAGE;
    }
    if (argc == 5) {
        int rc = export_receipt(&dev, argv[1], seq, argv[2]);
        blk_close(&dev);
        return rc;
    }
    int rc = export_check(&dev, argv[1], &lay, &len);
    if (rc == ZERO_EXIT_OK) {
        FILE *f = fopen(argv[2], "wb");
        err = f == NULL ? ZERR_IO : export_copy(&dev, &lay, len, f);
        if (f != NULL && fclose(f) != 0) {
            err = ZERR_IO;
        }
        if (err != 0) {
            fprintf(stderr, "\nzero export: cannot write %s: %s\n", argv[2], zerr_text(err));
            rc = ZERO_EXIT_USAGE;
        } else {
            printf(" to %s\n", argv[2]);
        }
    }
    blk_close(&dev);
    return rc;
}
