/*
 * The namespace's bytes: node records, the whole namespace, its root and
 * proofs of one node against the root (docs/formats.md "Filesystem
 * namespace").
 */
#include "base/endian.h"
#include "base/errors.h"
#include "base/string.h"
#include "crypto/blake3.h"
#include "services/axiom/merkle.h"
#include "services/fs/fs.h"

static const uint8_t ns_magic[8] = {'Z', 'F', 'S', 'N', 'A', 'M', 'E', 1};

size_t fs_node_encode(const struct fs_node *n, uint8_t *out)
{
    size_t pl = strlen(n->path), ol = strlen(n->owner), k = 0;

    out[k++] = (uint8_t)pl;
    out[k++] = (uint8_t)(pl >> 8);
    memcpy(out + k, n->path, pl);
    k += pl;
    out[k++] = n->kind;
    le32_put(out + k, n->mode);
    k += 4;
    out[k++] = (uint8_t)ol;
    memcpy(out + k, n->owner, ol);
    k += ol;
    le64_put(out + k, n->size);
    k += 8;
    memcpy(out + k, n->hash, CAS_HASH);
    return k + CAS_HASH;
}

/* Decodes one record from p[0..n) into out; *used is its length.  Checks
 * the record alone (path, kind, owner, a directory's zero size and hash). */
static int node_decode(const uint8_t *p, size_t n, struct fs_node *out, size_t *used)
{
    static const uint8_t zero[CAS_HASH] = {0};
    size_t pl, ol, k = 2;

    if (n < 2 || n < 2 + (pl = (size_t)p[0] | (size_t)p[1] << 8) + 6) {
        return ZERR_TRUNCATED;
    }
    if (pl > FS_PATH_MAX || fs_path_problem((const char *)p + 2, pl) != NULL || pl == 1) {
        return ZERR_CORRUPT;
    }
    memset(out, 0, sizeof(*out));
    memcpy(out->path, p + k, pl);
    k += pl;
    out->kind = p[k++];
    out->mode = le32_get(p + k);
    k += 4;
    ol = p[k++];
    if (n < k + ol + 8 + CAS_HASH) {
        return ZERR_TRUNCATED;
    }
    if (ol == 0 || ol > FS_OWNER_MAX || fs_has_nul(p + k, ol) ||
        (out->kind != FS_FILE && out->kind != FS_DIR)) {
        return ZERR_CORRUPT;
    }
    memcpy(out->owner, p + k, ol);
    k += ol;
    out->size = le64_get(p + k);
    memcpy(out->hash, p + k + 8, CAS_HASH);
    *used = k + 8 + CAS_HASH;
    if (out->kind == FS_DIR && (out->size != 0 || memcmp(out->hash, zero, CAS_HASH) != 0)) {
        return ZERR_NONCANONICAL;
    }
    return 0;
}

/* BLAKE3 of the quota part: count, then (owner length, owner, limit). */
static void quotas_hash(const struct fs *fs, uint8_t out[CAS_HASH])
{
    blake3_hasher h;
    uint8_t b[4 + 1 + FS_OWNER_MAX + 8];

    blake3_init(&h);
    le32_put(b, fs->nquotas);
    blake3_update(&h, b, 4);
    for (uint32_t i = 0; i < fs->nquotas; i++) {
        size_t ol = strlen(fs->quotas[i].owner);
        b[0] = (uint8_t)ol;
        memcpy(b + 1, fs->quotas[i].owner, ol);
        le64_put(b + 1 + ol, fs->quotas[i].limit);
        blake3_update(&h, b, 1 + ol + 8);
    }
    blake3_finalize(&h, out, CAS_HASH);
}

/* The namespace root from the Merkle root of the nodes and the quota hash. */
static void root_of(const uint8_t tree[CAS_HASH], const uint8_t quotas[CAS_HASH],
                    uint8_t out[CAS_HASH])
{
    uint8_t b[1 + 2 * CAS_HASH];

    b[0] = 0x02;
    memcpy(b + 1, tree, CAS_HASH);
    memcpy(b + 1 + CAS_HASH, quotas, CAS_HASH);
    blake3_hash(b, sizeof(b), out);
}

/* Fills fs->leaves and returns the Merkle root of the nodes in tree. */
static void fs_tree(struct fs *fs, uint8_t tree[CAS_HASH])
{
    struct ax_merkle m;
    uint8_t rec[FS_NODE_MAX], h[CAS_HASH];

    ax_merkle_init(&m);
    for (uint32_t i = 0; i < fs->count; i++) {
        blake3_hash(rec, fs_node_encode(&fs->nodes[i], rec), h);
        ax_merkle_leaf(h, fs->leaves[i]);
        ax_merkle_append(&m, h);
    }
    ax_merkle_root(&m, tree);
}

void fs_root(struct fs *fs, uint8_t out[CAS_HASH])
{
    uint8_t tree[CAS_HASH], q[CAS_HASH];

    fs_tree(fs, tree);
    quotas_hash(fs, q);
    root_of(tree, q, out);
}

size_t fs_encoded_size(const struct fs *fs)
{
    return 8 + 4 + (size_t)fs->count * FS_NODE_MAX + 4 +
           (size_t)fs->nquotas * (1 + FS_OWNER_MAX + 8);
}

int fs_encode(const struct fs *fs, uint8_t *out, size_t cap, size_t *n)
{
    size_t k = 12;

    if (fs_encoded_size(fs) > cap) {
        return ZERR_LIMIT;
    }
    memcpy(out, ns_magic, sizeof(ns_magic));
    le32_put(out + 8, fs->count);
    for (uint32_t i = 0; i < fs->count; i++) {
        k += fs_node_encode(&fs->nodes[i], out + k);
    }
    le32_put(out + k, fs->nquotas);
    k += 4;
    for (uint32_t i = 0; i < fs->nquotas; i++) {
        size_t ol = strlen(fs->quotas[i].owner);
        out[k] = (uint8_t)ol;
        memcpy(out + k + 1, fs->quotas[i].owner, ol);
        le64_put(out + k + 1 + ol, fs->quotas[i].limit);
        k += 1 + ol + 8;
    }
    *n = k;
    return 0;
}

/* Is the parent of path "/" or a directory among the nodes so far? */
static bool parent_is_dir(const struct fs *fs, char *path)
{
    struct fs_node parent;
    char *slash = path + strlen(path);

    while (*slash != '/') {
        slash--; /* a decoded path starts with '/' */
    }
    if (slash == path) {
        return true;
    }
    *slash = 0;
    int err = fs_stat(fs, path, &parent);
    *slash = '/';
    return err == 0 && parent.kind == FS_DIR;
}

/* Decodes the nodes: sorted strictly, each under an existing directory. */
static int decode_nodes(struct fs *fs, const uint8_t *p, size_t n, uint32_t count, size_t *k)
{
    for (uint32_t i = 0; i < count; i++) {
        struct fs_node *nd = &fs->nodes[i];
        size_t used;
        int err = node_decode(p + *k, n - *k, nd, &used);
        if (err != 0) {
            return err;
        }
        *k += used;
        if (i > 0 && strcmp(fs->nodes[i - 1].path, nd->path) >= 0) {
            return ZERR_CORRUPT;
        }
        fs->count = i;
        if (!parent_is_dir(fs, nd->path)) {
            return ZERR_CORRUPT;
        }
    }
    fs->count = count;
    return 0;
}

static int decode_quotas(struct fs *fs, const uint8_t *p, size_t n, size_t k)
{
    if (n - k < 4) {
        return ZERR_TRUNCATED;
    }
    uint32_t nq = le32_get(p + k);
    k += 4;
    if (nq > FS_QUOTAS) {
        return ZERR_CORRUPT;
    }
    for (uint32_t i = 0; i < nq; i++) {
        size_t ol = k < n ? p[k] : 0;
        if (n - k < 1 + ol + 8) {
            return ZERR_TRUNCATED;
        }
        if (ol == 0 || ol > FS_OWNER_MAX || fs_has_nul(p + k + 1, ol)) {
            return ZERR_CORRUPT;
        }
        memset(&fs->quotas[i], 0, sizeof(fs->quotas[i]));
        memcpy(fs->quotas[i].owner, p + k + 1, ol);
        fs->quotas[i].limit = le64_get(p + k + 1 + ol);
        k += 1 + ol + 8;
        if (i > 0 && strcmp(fs->quotas[i - 1].owner, fs->quotas[i].owner) >= 0) {
            return ZERR_CORRUPT;
        }
    }
    fs->nquotas = nq;
    return k == n ? 0 : ZERR_CORRUPT;
}

int fs_decode(struct fs *fs, const uint8_t *p, size_t n)
{
    size_t k = 12;
    int err;

    fs->count = 0;
    fs->nquotas = 0;
    if (n < 12) {
        return ZERR_TRUNCATED;
    }
    uint32_t count = le32_get(p + 8);
    if (memcmp(p, ns_magic, sizeof(ns_magic)) != 0) {
        return ZERR_CORRUPT;
    }
    if (count > fs->cap) {
        return ZERR_FULL;
    }
    err = decode_nodes(fs, p, n, count, &k);
    if (err != 0) {
        goto forget_partial;
    }
    err = decode_quotas(fs, p, n, k);
    if (err != 0) {
        goto forget_partial;
    }
    return 0;
forget_partial:
    fs->count = 0;
    fs->nquotas = 0;
    return err;
}

int fs_prove(struct fs *fs, const char *path, struct fs_proof *pr)
{
    struct fs_node n;
    int err = fs_stat(fs, path, &n);

    if (err != 0) {
        return err;
    }
    if (strcmp(path, "/") == 0) {
        return ZERR_INVAL;
    }
    memset(pr, 0, sizeof(*pr));
    fs_tree(fs, pr->tree);
    pr->count = fs->count;
    for (pr->index = 0; strcmp(fs->nodes[pr->index].path, path) != 0; pr->index++) {
    }
    pr->node_len = fs_node_encode(&n, pr->node);
    quotas_hash(fs, pr->quotas);
    return ax_merkle_inclusion_proof((const uint8_t(*)[CAS_HASH])fs->leaves, pr->count, pr->index,
                                     pr->path, 64, &pr->path_len);
}

bool fs_verify(const struct fs_proof *pr, const uint8_t root[CAS_HASH], struct fs_node *out)
{
    uint8_t h[CAS_HASH], want[CAS_HASH];
    size_t used;

    if (pr->node_len > sizeof(pr->node) || pr->path_len > 64 ||
        node_decode(pr->node, pr->node_len, out, &used) != 0 || used != pr->node_len) {
        return false;
    }
    blake3_hash(pr->node, pr->node_len, h);
    root_of(pr->tree, pr->quotas, want);
    return memcmp(want, root, CAS_HASH) == 0 &&
           ax_merkle_verify_inclusion(h, pr->index, pr->count, (const uint8_t(*)[CAS_HASH])pr->path,
                                      pr->path_len, pr->tree);
}
