/*
 * zero fs: a node's files, read offline from its disk image.  The log is
 * replayed and verified first (the namespace is the Axiom's state), then
 * the file store on the disk's filesystem region is opened read-only and
 * every chunk read is verified against its hash.  docs/storage.md.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/errors.h"
#include "base/fmt.h"
#include "block/block.h"
#include "services/axiom/axiom.h"
#include "services/axiom/fsproof.h"
#include "services/store/store.h"
#include "tools/zero/zero.h"

const char zero_help_fs[] = "a node's files, offline: ls, cat, stat, get, prove, check";

#define FS_OBJECTS 16384u /* index slots, as the node's file store */
#define FS_LIST_BYTES (1024u * 1024u)

static void fs_usage(FILE *f)
{
    fprintf(f, "usage: zero fs ls DISK [PATH]\n"
               "       zero fs cat DISK PATH\n"
               "       zero fs stat DISK PATH\n"
               "       zero fs get DISK PATH [OUT]\n"
               "       zero fs prove DISK PATH [-o FILE]\n"
               "       zero fs check FILE [--key HEX]\n\n"
               "Replays and verifies the log of DISK, then reads the namespace it built and\n"
               "the file store on the disk (every chunk verified against its hash). cat and\n"
               "get write a file's bytes (get to OUT, or standard output); prove prints a\n"
               "proof that PATH has its hash in the state of the latest signed checkpoint\n"
               "(with -o, written to FILE); check verifies such a file, with --key against\n"
               "the node key given (64 hex digits). Exit 0: done; 1: a check failed or a\n"
               "chunk is damaged; 2: bad arguments or unreadable input.\n");
}

struct fs_disk {
    struct blk dev;
    struct ax_state *st;
    struct ax_replay r;
    struct store store;
    struct store_mem mem;
    bool store_open;
};

/* Replays and verifies the log on path into d; an exit status. */
static int fs_replay(const char *path, struct fs_disk *d)
{
    uint8_t kind = 0;
    uint64_t tail = 0;
    int err = zero_open_image(path, &d->dev);

    if (err != 0) {
        fprintf(stderr, "zero fs: cannot open %s: %s\n", path, zerr_text(err));
        return ZERO_EXIT_USAGE;
    }
    d->st = calloc(1, sizeof(*d->st));
    if (d->st == NULL) {
        return ZERO_EXIT_USAGE;
    }
    ax_replay_init(&d->r, d->st, NULL, NULL);
    err = axiom_replay_device(&d->dev, &d->r, &kind, &tail);
    if (err != 0 && err != ZERR_TRUNCATED) {
        fprintf(stderr, "zero fs: %s does not verify: entry #%llu: %s\n", path,
                (unsigned long long)d->r.bad_seq, d->r.why);
        return err == ZERR_UNSUPPORTED ? ZERO_EXIT_USAGE : ZERO_EXIT_NO;
    }
    return ZERO_EXIT_OK;
}

/* Opens the file store of the disk in d read-only; an exit status. */
static int fs_open_store(const char *path, struct fs_disk *d)
{
    struct ax_layout lay;
    char why[160] = "";
    const uint8_t *app = NULL;
    size_t app_len = 0;
    int err = ax_read_super(&d->dev, &lay, NULL, why, sizeof(why));

    if (err != 0) {
        fprintf(stderr, "zero fs: %s: not a disk (an export holds no files): %s\n", path, why);
        return ZERO_EXIT_USAGE;
    }
    size_t map = SPACE_MAP_BYTES(lay.fs_len / SPACE_BLOCK);
    d->mem.tab_cap = FS_OBJECTS;
    d->mem.tab = calloc(FS_OBJECTS, sizeof(struct cas_obj));
    d->mem.chunk_buf = malloc(CAS_CHUNK_MAX);
    d->mem.list_cap = FS_LIST_BYTES;
    d->mem.list_buf = malloc(FS_LIST_BYTES);
    d->mem.used = calloc(1, map);
    d->mem.freed = calloc(1, map);
    d->mem.root_cap = STORE_ROOT_HEADER + CAS_INDEX_HEADER + FS_OBJECTS * CAS_INDEX_RECORD;
    d->mem.root = malloc(d->mem.root_cap);
    err = d->mem.tab && d->mem.chunk_buf && d->mem.list_buf && d->mem.used && d->mem.freed &&
                  d->mem.root
              ? store_open(&d->store, &d->dev, lay.fs_off, lay.fs_len, &d->mem, &app, &app_len)
              : ZERR_NOMEM;
    if (err != 0) {
        fprintf(stderr, "zero fs: %s: cannot open the file store: %s\n", path,
                err == ZERR_IO ? "it was never written (no file was ever stored)" : zerr_text(err));
        return err == ZERR_CORRUPT ? ZERO_EXIT_NO : ZERO_EXIT_USAGE;
    }
    d->store_open = true;
    return ZERO_EXIT_OK;
}

static void fs_close(struct fs_disk *d)
{
    free(d->mem.tab);
    free(d->mem.chunk_buf);
    free(d->mem.list_buf);
    free(d->mem.used);
    free(d->mem.freed);
    free(d->mem.root);
    free(d->st);
    blk_close(&d->dev);
}

static void fs_print_node(void *ctx, const struct fs_node *n)
{
    const char *name = n->path + strlen(n->path);

    (void)ctx;
    while (name[-1] != '/') {
        name--;
    }
    printf("%c %10llu %-12s %s%s\n", n->kind == FS_DIR ? 'd' : '-', (unsigned long long)n->size,
           n->owner, name, n->kind == FS_DIR ? "/" : "");
}

static int fs_ls(struct fs_disk *d, const char *path)
{
    struct fs view;
    int err = fs_list(ax_state_fs(d->st, &view), path, fs_print_node, NULL);

    if (err != 0) {
        fprintf(stderr, "zero fs: %s: %s\n", path,
                err == ZERR_PERM ? "not a directory" : "no such directory");
        return ZERO_EXIT_NO;
    }
    return ZERO_EXIT_OK;
}

static int fs_stat_cmd(struct fs_disk *d, const char *path)
{
    struct fs view;
    struct fs_node n;
    char hex[65];

    if (fs_stat(ax_state_fs(d->st, &view), path, &n) != 0) {
        fprintf(stderr, "zero fs: %s: no such file or directory\n", path);
        return ZERO_EXIT_NO;
    }
    zfmt_hex(hex, n.hash, 32);
    printf("path  %s\nkind  %s\nsize  %llu\nowner %s\nmode  %o\nhash  %s\nentry #%llu\n", n.path,
           n.kind == FS_DIR ? "directory" : "file", (unsigned long long)n.size,
           n.owner[0] ? n.owner : "-", (unsigned)n.mode, n.kind == FS_DIR ? "-" : hex,
           (unsigned long long)n.changed);
    return ZERO_EXIT_OK;
}

/* Writes the verified bytes of path to out; an exit status. */
static int fs_copy(const char *disk, struct fs_disk *d, const char *path, FILE *out)
{
    static uint8_t buf[1u << 20];
    struct fs view, reader;
    struct fs_fault f;
    struct fs_node n;
    char why[FS_PATH_MAX + 128];
    size_t got = 0;

    reader = *ax_state_fs(d->st, &view);
    if (fs_stat(&reader, path, &n) != 0 || n.kind != FS_FILE) {
        fprintf(stderr, "zero fs: %s: no such file\n", path);
        return ZERO_EXIT_NO;
    }
    int rc = n.size > 0 ? fs_open_store(disk, d) : ZERO_EXIT_OK;
    reader.cas = &d->store.cas;
    for (uint64_t off = 0; rc == ZERO_EXIT_OK && off < n.size; off += got) {
        int err = fs_read(&reader, path, off, buf, sizeof(buf), &got, &f);
        if (err != 0) {
            if (err == ZERR_CORRUPT) {
                fs_fault_text(&f, why, sizeof(why));
            }
            fprintf(stderr, "zero fs: %s\n", err == ZERR_CORRUPT ? why : zerr_text(err));
            return ZERO_EXIT_NO;
        }
        if (fwrite(buf, 1, got, out) != got) {
            fprintf(stderr, "zero fs: cannot write the output\n");
            return ZERO_EXIT_USAGE;
        }
    }
    return rc;
}

static int fs_get(const char *disk, struct fs_disk *d, const char *path, const char *outp)
{
    FILE *out = outp != NULL ? fopen(outp, "wb") : stdout;

    if (out == NULL) {
        fprintf(stderr, "zero fs: cannot create %s\n", outp);
        return ZERO_EXIT_USAGE;
    }
    int rc = fs_copy(disk, d, path, out);
    if (outp != NULL && fclose(out) != 0) {
        rc = ZERO_EXIT_USAGE;
    }
    if (outp != NULL && rc != ZERO_EXIT_OK) {
        remove(outp); /* never leave unverified bytes behind */
    }
    return rc;
}

static void fs_print_proof(const struct ax_fs_proof *p, const struct fs_node *n)
{
    char hex[65];

    zfmt_hex(hex, n->hash, 32);
    printf("file %s: %llu bytes, owner %s, hash %s\n", n->path, (unsigned long long)n->size,
           n->owner, hex);
    printf("leaf %llu of %llu, %zu hashes to the namespace root\n",
           (unsigned long long)p->node.index, (unsigned long long)p->node.count, p->node.path_len);
    zfmt_hex(hex, p->cp.state_root, 32);
    printf("state root %s\n", hex);
    zfmt_hex(hex, p->key, 32);
    printf("in the checkpoint of batch %llu (%llu entries) signed by %s\n",
           (unsigned long long)p->cp.batch, (unsigned long long)p->cp.size, hex);
}

static int fs_prove_cmd(struct fs_disk *d, const char *path, const char *outp)
{
    static struct ax_fs_proof p;
    static uint8_t buf[AX_FS_PROOF_MAX];
    struct fs_node n;
    char why[160];
    size_t len = 0;
    int err = ax_fs_proof_make(d->st, &d->r.last_cp, d->r.last_cp_key, path, &p);

    if (err == 0) {
        err = ax_fs_proof_verify(&p, &n, why, sizeof(why));
    }
    if (err == 0) {
        err = ax_fs_proof_encode(&p, buf, sizeof(buf), &len);
    }
    if (err != 0) {
        fprintf(stderr, "zero fs: no proof of %s: %s\n", path,
                err == ZERR_NOENT ? "no such file or directory" : zerr_text(err));
        return ZERO_EXIT_NO;
    }
    fs_print_proof(&p, &n);
    if (outp == NULL) {
        return ZERO_EXIT_OK;
    }
    FILE *f = fopen(outp, "wb");
    if (f == NULL || fwrite(buf, 1, len, f) != len || fclose(f) != 0) {
        fprintf(stderr, "zero fs: cannot write %s\n", outp);
        return ZERO_EXIT_USAGE;
    }
    printf("written to %s\n", outp);
    return ZERO_EXIT_OK;
}

static int fs_check(const char *file, const char *keyhex)
{
    static struct ax_fs_proof p;
    static uint8_t buf[AX_FS_PROOF_MAX + 1];
    uint8_t key[ID_PUB_LEN];
    struct fs_node n;
    char why[160];
    FILE *f = fopen(file, "rb");
    size_t len = f != NULL ? fread(buf, 1, sizeof(buf), f) : 0;

    if (f == NULL) {
        fprintf(stderr, "zero fs: cannot read %s\n", file);
        return ZERO_EXIT_USAGE;
    }
    fclose(f);
    if (keyhex != NULL && (strlen(keyhex) != 64 || zfmt_unhex(key, sizeof(key), keyhex, 64) != 0)) {
        fprintf(stderr, "zero fs: --key wants 64 hex digits\n");
        return ZERO_EXIT_USAGE;
    }
    int err = ax_fs_proof_decode(buf, len, &p);
    if (err != 0) {
        printf("bad: %s is not a file proof (%s)\n", file, zerr_text(err));
        return ZERO_EXIT_NO;
    }
    if (ax_fs_proof_verify(&p, &n, why, sizeof(why)) != 0) {
        printf("bad: %s\n", why);
        return ZERO_EXIT_NO;
    }
    if (keyhex != NULL && memcmp(key, p.key, ID_PUB_LEN) != 0) {
        printf("bad: the checkpoint is signed by another key than --key\n");
        return ZERO_EXIT_NO;
    }
    printf("ok: ");
    fs_print_proof(&p, &n);
    return ZERO_EXIT_OK;
}

int zero_cmd_fs(int argc, char **argv)
{
    static struct fs_disk d;
    const char *sub = argc > 1 ? argv[1] : "";
    bool two = argc == 4;

    if (zero_wants_help(argc, argv)) {
        fs_usage(stdout);
        return ZERO_EXIT_OK;
    }
    if (strcmp(sub, "check") == 0 && (argc == 3 || (argc == 5 && !strcmp(argv[3], "--key")))) {
        return fs_check(argv[2], argc == 5 ? argv[4] : NULL);
    }
    bool ok = (strcmp(sub, "ls") == 0 && (argc == 3 || two)) ||
              ((strcmp(sub, "cat") == 0 || strcmp(sub, "stat") == 0) && two) ||
              (strcmp(sub, "get") == 0 && (two || argc == 5)) ||
              (strcmp(sub, "prove") == 0 && (two || (argc == 6 && !strcmp(argv[4], "-o"))));
    if (!ok) {
        fs_usage(stderr);
        return ZERO_EXIT_USAGE;
    }
    const char *path = argc > 3 ? argv[3] : "/";
    if (fs_path_problem(path, strlen(path)) != NULL) {
        fprintf(stderr, "zero fs: %s: %s\n", path, fs_path_problem(path, strlen(path)));
        return ZERO_EXIT_USAGE;
    }
    int rc = fs_replay(argv[2], &d);
    if (rc == ZERO_EXIT_OK && strcmp(sub, "ls") == 0) {
        rc = fs_ls(&d, path);
    } else if (rc == ZERO_EXIT_OK && strcmp(sub, "stat") == 0) {
        rc = fs_stat_cmd(&d, path);
    } else if (rc == ZERO_EXIT_OK && strcmp(sub, "prove") == 0) {
        rc = fs_prove_cmd(&d, path, argc == 6 ? argv[5] : NULL);
    } else if (rc == ZERO_EXIT_OK) { /* cat, get */
        rc = fs_get(argv[2], &d, path, argc == 5 ? argv[4] : NULL);
    }
    fs_close(&d);
    return rc;
}
