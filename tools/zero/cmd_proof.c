/*
 * zero proof consistency DISK OLD_SIZE [NEW_SIZE] [-o FILE]: an RFC 9162
 * consistency proof between two signed checkpoints of a verified log, which
 * 'zero verify FILE' checks offline (docs/formats.md).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/errors.h"
#include "base/fmt.h"
#include "services/axiom/axiom.h"
#include "tools/zero/zero.h"

const char zero_help_proof[] = "prove that a log signed earlier is a prefix of a later one";

static void proof_usage(FILE *f)
{
    fprintf(f, "usage: zero proof consistency PATH OLD_SIZE [NEW_SIZE] [-o FILE]\n\n"
               "Verifies the Axiom log on PATH (a disk or a 'zero export' file) and prints\n"
               "the RFC 9162 consistency proof between its signed checkpoints of OLD_SIZE\n"
               "and NEW_SIZE entries (default: the latest checkpoint). Sizes must be batch\n"
               "ends, where the node signed a checkpoint. With -o, FILE gets the proof\n"
               "with both signed checkpoints, which 'zero verify FILE' checks offline.\n"
               "Exit 1: PATH fails verification. Exit 2: bad arguments, no checkpoint of\n"
               "that size, or an unreadable PATH.\n");
}

/* What the replay collects: every leaf hash and the two checkpoints wanted. */
struct proof_ctx {
    uint8_t (*leaf)[AX_HASH_LEN];
    uint64_t n, cap;
    uint64_t old_size, new_size; /* new_size 0: the latest */
    bool have_old, have_new;
    uint64_t below, above; /* the checkpoint sizes nearest a missing old_size */
    struct ax_consistency p;
    int err;
};

static void proof_leaf(void *arg, const struct ax_entry *e, const uint8_t hash[AX_HASH_LEN])
{
    struct proof_ctx *c = arg;

    (void)e;
    if (c->n == c->cap) {
        uint64_t cap = c->cap ? c->cap * 2 : 1024;
        void *p = realloc(c->leaf, (size_t)cap * AX_HASH_LEN);
        if (p == NULL) {
            c->err = ZERR_NOMEM;
            return;
        }
        c->leaf = p;
        c->cap = cap;
    }
    ax_merkle_leaf(hash, c->leaf[c->n++]);
}

static void proof_checkpoint(void *arg, const struct ax_checkpoint *cp, const uint8_t key[32])
{
    struct proof_ctx *c = arg;

    if (cp->size == c->old_size) {
        c->p.old_cp = *cp;
        memcpy(c->p.old_pub, key, ID_PUB_LEN);
        c->have_old = true;
    } else if (cp->size < c->old_size) {
        c->below = cp->size;
    } else if (c->above == 0) {
        c->above = cp->size;
    }
    if (c->new_size == 0 || cp->size == c->new_size) {
        c->p.new_cp = *cp;
        memcpy(c->p.new_pub, key, ID_PUB_LEN);
        c->have_new = true;
    }
}

/* Replays path into c; returns an exit status. */
static int proof_replay(const char *path, struct proof_ctx *c)
{
    static struct ax_state st;
    struct ax_replay r;
    struct blk dev;
    uint8_t kind = 0;
    uint64_t tail = 0;
    int err = zero_open_image(path, &dev);

    if (err == ZERR_TRUNCATED) {
        fprintf(stderr, "zero proof: %s: %s\n", path, ZERO_PARTIAL_SECTOR);
        return ZERO_EXIT_NO;
    }
    if (err != 0) {
        fprintf(stderr, "zero proof: cannot open %s: %s\n", path, zerr_text(err));
        return ZERO_EXIT_USAGE;
    }
    ax_replay_init(&r, &st, proof_leaf, c);
    r.cp_fn = proof_checkpoint;
    err = axiom_replay_device(&dev, &r, &kind, &tail);
    blk_close(&dev);
    if (err == ZERR_UNSUPPORTED) {
        fprintf(stderr, "zero proof: %s: %s\n", path, r.why);
        return ZERO_EXIT_USAGE;
    }
    if ((err != 0 && err != ZERR_TRUNCATED) || c->err != 0) {
        fprintf(stderr, "zero proof: %s does not verify: %s\n", path, r.why);
        return ZERO_EXIT_NO;
    }
    return ZERO_EXIT_OK;
}

/* Prints the proof, and writes it to out if out is not NULL; returns an exit status. */
static int proof_emit(const struct ax_consistency *p, const char *out)
{
    static uint8_t buf[AX_CONSISTENCY_MAX];
    char hex[65];
    size_t len = 0;

    zfmt_hex(hex, p->old_cp.tree_root, 32);
    printf("old: %llu entries, batch %llu, tree root %s\n", (unsigned long long)p->old_cp.size,
           (unsigned long long)p->old_cp.batch, hex);
    zfmt_hex(hex, p->new_cp.tree_root, 32);
    printf("new: %llu entries, batch %llu, tree root %s\n", (unsigned long long)p->new_cp.size,
           (unsigned long long)p->new_cp.batch, hex);
    for (size_t i = 0; i < p->proof_len; i++) {
        zfmt_hex(hex, p->proof[i], 32);
        printf("proof %zu: %s\n", i, hex);
    }
    if (out == NULL) {
        return ZERO_EXIT_OK;
    }
    FILE *f = ax_consistency_encode(p, buf, sizeof(buf), &len) == 0 ? fopen(out, "wb") : NULL;
    if (f == NULL || fwrite(buf, 1, len, f) != len || fclose(f) != 0) {
        fprintf(stderr, "zero proof: cannot write %s\n", out);
        return ZERO_EXIT_USAGE;
    }
    printf("written to %s\n", out);
    return ZERO_EXIT_OK;
}

/* Parses a decimal entry count; false if s is not one. */
static bool proof_size(const char *s, uint64_t *out)
{
    char *end = NULL;

    if (s[0] < '0' || s[0] > '9') {
        return false;
    }
    *out = strtoull(s, &end, 10);
    return *end == '\0' && *out > 0;
}

static int proof_consistency(const char *path, uint64_t old_size, uint64_t new_size,
                             const char *out)
{
    static struct proof_ctx c;
    int rc;

    memset(&c, 0, sizeof(c));
    c.old_size = old_size;
    c.new_size = new_size;
    rc = proof_replay(path, &c);
    if (rc == ZERO_EXIT_OK && (!c.have_old || !c.have_new)) {
        uint64_t missing = !c.have_old ? old_size : new_size;
        fprintf(stderr, "zero proof: %s has no signed checkpoint of %llu entries", path,
                (unsigned long long)missing);
        if (!c.have_old) {
            fprintf(stderr, " (nearest: %llu and %llu)", (unsigned long long)c.below,
                    (unsigned long long)c.above);
        }
        fprintf(stderr, "\n");
        rc = ZERO_EXIT_USAGE;
    } else if (rc == ZERO_EXIT_OK && c.p.new_cp.size < old_size) {
        fprintf(stderr, "zero proof: OLD_SIZE is larger than NEW_SIZE\n");
        rc = ZERO_EXIT_USAGE;
    }
    if (rc == ZERO_EXIT_OK &&
        ax_merkle_consistency_proof((const uint8_t(*)[AX_HASH_LEN])c.leaf, old_size,
                                    c.p.new_cp.size, c.p.proof, 64, &c.p.proof_len) != 0) {
        fprintf(stderr, "zero proof: cannot build the proof\n");
        rc = ZERO_EXIT_USAGE;
    }
    if (rc == ZERO_EXIT_OK) {
        rc = proof_emit(&c.p, out);
    }
    free(c.leaf);
    return rc;
}

int zero_cmd_proof(int argc, char **argv)
{
    const char *arg[3] = {NULL, NULL, NULL};
    const char *out = NULL;
    int n = 0;
    uint64_t old_size = 0, new_size = 0;

    if (zero_wants_help(argc, argv)) {
        proof_usage(stdout);
        return ZERO_EXIT_OK;
    }
    if (argc < 2 || strcmp(argv[1], "consistency") != 0) {
        proof_usage(stderr);
        return ZERO_EXIT_USAGE;
    }
    for (int i = 2; i < argc; i++) {
        if (strcmp(argv[i], "-o") == 0 && i + 1 < argc && out == NULL) {
            out = argv[++i];
        } else if (n < 3) {
            arg[n++] = argv[i];
        } else {
            n = 4;
        }
    }
    if (n < 2 || n > 3 || !proof_size(arg[1], &old_size) ||
        (n == 3 && !proof_size(arg[2], &new_size))) {
        proof_usage(stderr);
        return ZERO_EXIT_USAGE;
    }
    return proof_consistency(arg[0], old_size, new_size, out);
}
