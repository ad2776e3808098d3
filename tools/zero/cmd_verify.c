/*
 * zero verify PATH: replays a Zero OS disk or log export from genesis and
 * checks every record checksum, hash link, proposer signature, re-evaluated
 * policy decision, state root and checkpoint signature.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/errors.h"
#include "base/fmt.h"
#include "crypto/blake3.h"
#include "services/axiom/axiom.h"
#include "services/axiom/service.h"
#include "tools/zero/prune.h"
#include "tools/zero/snap_io.h"
#include "tools/zero/verify_boot.h"
#include "tools/zero/verify_svc.h"
#include "tools/zero/zero.h"

const char zero_help_verify[] = "verify a Zero OS disk or log export from genesis";

static void verify_usage(FILE *f)
{
    fprintf(f, "usage: zero verify PATH [--key HEX] [--snapshot FILE] [--export FILE] [--image ISO "
               "[--release-key HEX]]\n\n"
               "Replays the Axiom log on PATH (a disk image or a 'zero export' file) and\n"
               "checks every checksum, hash link, signature, policy decision and state\n"
               "root. Prints one summary line and exits 0, or names the first bad entry\n"
               "and exits 1. --key pins the node public key the log starts from (its\n"
               "genesis key, 64 hex digits); later node keys are rotations signed by it.\n"
               "PATH may also be a receipt ('zero export DISK OUT --receipt SEQ'): its\n"
               "inclusion proof and checkpoint signature are checked. PATH may be a\n"
               "consistency proof ('zero proof consistency ... -o FILE'): both checkpoint\n"
               "signatures and the proof between their trees are checked; --key then\n"
               "pins the key of both checkpoints.\n"
               "A disk or export's boot entries are listed after the summary. --image\n"
               "ISO also checks that every recorded boot ran exactly the kernel, boot\n"
               "manifest and images of ISO (build/zero.iso), whose signed manifest must\n"
               "verify (under --release-key when given), and names each boot that did\n"
               "not (exit 1).\n"
               "--snapshot FILE ('zero snapshot') starts from the state in FILE instead of\n"
               "from genesis: its checkpoint must be signed by the key FILE names (by\n"
               "--key when given) and be in PATH's log just before where the replay goes\n"
               "on; only the entries after it are verified.\n"
               "--export FILE ('zero export', made before 'zero prune') verifies FILE from\n"
               "genesis first, then goes on with the log on PATH from where FILE ends: a\n"
               "disk whose old segments were pruned is checked whole this way.\n"
               "Exit 2: PATH is unreadable or neither a disk, an export, a receipt nor a\n"
               "consistency proof.\n");
}

static int verify_report(const char *path, const struct ax_replay *r, uint8_t kind, uint64_t tail,
                         const uint8_t *want_key)
{
    const struct ax_state *st = r->st;
    const struct id_principal *node = id_find(&st->ids, st->node);
    char head[65], root[65], key[65], now[65];

    if (node == NULL || st->applied == 0) { /* axiom_replay_device refuses such a log */
        printf("FAILED: %s: the log has no genesis entry\n", path);
        return ZERO_EXIT_NO;
    }
    zfmt_hex(head, r->head, 32);
    zfmt_hex(root, st->root, 32);
    zfmt_hex(key, r->genesis_key, 32);
    zfmt_hex(now, node->pub, 32);
    if (r->snap_size != 0) { /* started from a trusted snapshot: no genesis seen */
        zfmt_hex(key, r->last_cp_key, 32);
        printf("ok: %s %s: %llu entries, %llu after the snapshot verified; head #%llu %s; state "
               "root %s; node %s key %s",
               kind == AX_SOURCE_EXPORT ? "export" : "disk", path, (unsigned long long)st->applied,
               (unsigned long long)(st->applied - r->snap_size),
               (unsigned long long)(st->applied - 1), head, root, st->node, key);
        if (tail != 0) {
            printf("; torn tail of %llu bytes after it (never acknowledged; cut at next start)",
                   (unsigned long long)tail);
        }
        printf("\n");
        return ZERO_EXIT_OK;
    }
    if (want_key != NULL && memcmp(want_key, r->genesis_key, 32) != 0) {
        printf("FAILED: %s starts from node key %s, not the expected one\n", path, key);
        return ZERO_EXIT_NO;
    }
    printf("ok: %s %s: %llu entries in %llu batches verified; head #%llu %s; state root %s; "
           "node %s key %s",
           kind == AX_SOURCE_EXPORT ? "export" : "disk", path, (unsigned long long)st->applied,
           (unsigned long long)r->checkpoints, (unsigned long long)(st->applied - 1), head, root,
           st->node, key);
    if (node->key_gen != 0) {
        printf(" (rotated %u times, now %s)", (unsigned)node->key_gen, now);
    }
    if (tail != 0) {
        printf("; torn tail of %llu bytes after it (never acknowledged; cut at next start)",
               (unsigned long long)tail);
    }
    printf("\n");
    return ZERO_EXIT_OK;
}

/* Reads a whole small file; returns its length, or -1 if it does not start
 * with magic: map(entries), key 0, text magic. */
static long verify_read_small(const char *path, uint8_t *buf, size_t cap, uint8_t entries,
                              const char *magic)
{
    FILE *f = fopen(path, "rb");
    size_t m = strlen(magic);
    size_t n;

    if (f == NULL) {
        return -1;
    }
    n = fread(buf, 1, cap, f);
    fclose(f);
    if (n < 3 + m || buf[0] != (uint8_t)(0xa0 | entries) || buf[1] != 0x00 ||
        buf[2] != (uint8_t)(0x60 | m) || memcmp(buf + 3, magic, m) != 0 || n == cap) {
        return -1;
    }
    return (long)n;
}

static int verify_consistency(const char *path, const uint8_t *buf, size_t len,
                              const uint8_t *want_key)
{
    static struct ax_consistency p;
    char why[128] = "";
    char oldk[65], newk[65], oldr[65], newr[65];

    if (ax_consistency_decode(buf, len, &p) != 0) {
        printf("FAILED: consistency proof %s does not decode\n", path);
        return ZERO_EXIT_NO;
    }
    if (ax_consistency_verify(&p, why, sizeof(why)) != 0) {
        printf("FAILED: consistency proof %s: %s\n", path, why);
        return ZERO_EXIT_NO;
    }
    zfmt_hex(oldk, p.old_pub, 32);
    zfmt_hex(newk, p.new_pub, 32);
    if (want_key != NULL &&
        (memcmp(want_key, p.old_pub, 32) != 0 || memcmp(want_key, p.new_pub, 32) != 0)) {
        printf("FAILED: consistency proof %s is signed by node keys %s and %s, not the expected "
               "one\n",
               path, oldk, newk);
        return ZERO_EXIT_NO;
    }
    zfmt_hex(oldr, p.old_cp.tree_root, 32);
    zfmt_hex(newr, p.new_cp.tree_root, 32);
    printf("ok: consistency proof %s: the %llu-entry log (batch %llu, tree root %s) is a prefix "
           "of the %llu-entry log (batch %llu, tree root %s), signed by node key %s",
           path, (unsigned long long)p.old_cp.size, (unsigned long long)p.old_cp.batch, oldr,
           (unsigned long long)p.new_cp.size, (unsigned long long)p.new_cp.batch, newr, oldk);
    if (memcmp(p.old_pub, p.new_pub, 32) != 0) {
        printf(" and then by node key %s (a rotation: only the log itself shows the old key "
               "signed it)",
               newk);
    }
    printf("\n");
    return ZERO_EXIT_OK;
}

static int verify_receipt(const char *path, const uint8_t *buf, size_t len, const uint8_t *want_key)
{
    static struct ax_receipt rc;
    struct ax_entry e;
    char why[128] = "";
    char hash[65], key[65], what[96];
    uint8_t h[32];

    if (ax_receipt_decode(buf, len, &rc) != 0) {
        printf("FAILED: receipt %s does not decode\n", path);
        return ZERO_EXIT_NO;
    }
    if (ax_receipt_verify(&rc, &e, why, sizeof(why)) != 0) {
        printf("FAILED: receipt %s: %s\n", path, why);
        return ZERO_EXIT_NO;
    }
    zfmt_hex(key, rc.node_pub, 32);
    if (want_key != NULL && memcmp(want_key, rc.node_pub, 32) != 0) {
        printf("FAILED: receipt %s is signed by node key %s, not the expected one\n", path, key);
        return ZERO_EXIT_NO;
    }
    blake3_hash(rc.entry, rc.entry_len, h);
    zfmt_hex(hash, h, 32);
    axiom_describe(&e, what, sizeof(what));
    printf("ok: receipt %s: entry #%llu %s by %s (%s), hash %s, is entry %llu of the %llu-entry "
           "log signed by node key %s\n",
           path, (unsigned long long)e.seq, ax_kind_name(e.a.kind), e.a.proposer, what, hash,
           (unsigned long long)e.seq, (unsigned long long)rc.cp.size, key);
    return ZERO_EXIT_OK;
}

/* What --image asks for: the ISO and the release key (NULL: not pinned). */
struct verify_image {
    const char *iso;
    const uint8_t *release_key;
};

/* Verifies the disk or export at path; returns the exit status. */
static int verify_device(const char *path, const uint8_t *want_key, const struct verify_image *im,
                         const char *snap, const char *export)
{
    struct verify_boots vb = {0};
    struct blk dev;
    int err = zero_open_image(path, &dev);

    if (err == ZERR_TRUNCATED) {
        printf("FAILED: %s: %s\n", path, ZERO_PARTIAL_SECTOR);
        return ZERO_EXIT_NO;
    }
    if (err != 0) {
        fprintf(stderr, "zero verify: cannot open %s: %s\n", path, zerr_text(err));
        return ZERO_EXIT_USAGE;
    }
    struct ax_state *st = malloc(sizeof(*st));
    struct ax_replay r;
    uint8_t kind = 0;
    uint64_t tail = 0;
    int rc = ZERO_EXIT_NO;
    if (st == NULL) {
        blk_close(&dev);
        return ZERO_EXIT_USAGE;
    }
    ax_replay_init(&r, st, verify_boots_entry, &vb);
    if (snap != NULL) {
        rc = zero_snap_start(snap, want_key, &dev, &r);
        if (rc != ZERO_EXIT_OK) {
            free(st);
            blk_close(&dev);
            return rc;
        }
        rc = ZERO_EXIT_NO;
    }
    if (export != NULL) { /* the history a pruned disk no longer holds */
        rc = zero_export_start(export, &r, verify_boots_entry, &vb);
        if (rc != ZERO_EXIT_OK) {
            verify_boots_free(&vb);
            free(st);
            blk_close(&dev);
            return rc;
        }
        rc = ZERO_EXIT_NO;
    }
    static struct ax_cp_window cpw; /* the node's signatures, 32 at a time */
    cpw.n = 0;
    r.cpw = &cpw;
    err = axiom_replay_device(&dev, &r, &kind, &tail);
    if (err == 0 || err == ZERR_TRUNCATED) {
        rc = verify_report(path, &r, kind, tail, want_key);
        verify_boots_print(&vb);
        if (rc == 0) {
            verify_services_print(st);
        }
        if (rc == 0 && im->iso != NULL) {
            rc = verify_boots_image(&vb, im->iso, im->release_key);
        }
    } else if (err == ZERR_UNSUPPORTED) {
        fprintf(stderr, "zero verify: %s: %s\n", path, r.why);
        rc = ZERO_EXIT_USAGE;
    } else if (r.bad_seq == AX_NO_ENTRY) {
        printf("FAILED: %s: %s\n", path, r.why);
    } else {
        printf("FAILED: %s: entry #%llu at log offset %llu: %s (%s)\n", path,
               (unsigned long long)r.bad_seq, (unsigned long long)r.bad_off, r.why, zerr_name(err));
    }
    verify_boots_free(&vb);
    free(st);
    blk_close(&dev);
    return rc;
}

int zero_cmd_verify(int argc, char **argv)
{
    static uint8_t rbuf[AX_RECEIPT_MAX > AX_CONSISTENCY_MAX ? AX_RECEIPT_MAX : AX_CONSISTENCY_MAX];
    const char *path = NULL, *snap = NULL, *export = NULL;
    uint8_t key[32], release[32];
    bool pinned = false;
    struct verify_image im = {NULL, NULL};

    if (zero_wants_help(argc, argv)) {
        verify_usage(stdout);
        return ZERO_EXIT_OK;
    }
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--key") == 0 && i + 1 < argc) {
            if (zfmt_unhex(key, 32, argv[i + 1], strlen(argv[i + 1])) != 0) {
                fprintf(stderr, "zero verify: --key wants 64 hex digits\n");
                return ZERO_EXIT_USAGE;
            }
            pinned = true;
            i++;
        } else if (strcmp(argv[i], "--snapshot") == 0 && i + 1 < argc) {
            snap = argv[++i];
        } else if (strcmp(argv[i], "--export") == 0 && i + 1 < argc) {
            export = argv[++i];
        } else if (strcmp(argv[i], "--image") == 0 && i + 1 < argc) {
            im.iso = argv[++i];
        } else if (strcmp(argv[i], "--release-key") == 0 && i + 1 < argc) {
            if (zfmt_unhex(release, 32, argv[i + 1], strlen(argv[i + 1])) != 0) {
                fprintf(stderr, "zero verify: --release-key wants 64 hex digits\n");
                return ZERO_EXIT_USAGE;
            }
            im.release_key = release;
            i++;
        } else if (path == NULL) {
            path = argv[i];
        } else {
            verify_usage(stderr);
            return ZERO_EXIT_USAGE;
        }
    }
    if (path == NULL) {
        verify_usage(stderr);
        return ZERO_EXIT_USAGE;
    }
    long rlen = verify_read_small(path, rbuf, sizeof(rbuf), 5, "zero-receipt-v1");
    if (rlen > 0) {
        return verify_receipt(path, rbuf, (size_t)rlen, pinned ? key : NULL);
    }
    rlen = verify_read_small(path, rbuf, sizeof(rbuf), 6, "zero-consistency-v1");
    if (rlen > 0) {
        return verify_consistency(path, rbuf, (size_t)rlen, pinned ? key : NULL);
    }
    return verify_device(path, pinned ? key : NULL, &im, snap, export);
}
