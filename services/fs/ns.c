/*
 * Namespace operations: check everything, then change the sorted node table.
 */
#include "base/errors.h"
#include "base/string.h"
#include "services/fs/fs.h"

void fs_init(struct fs *fs, struct cas *cas, struct fs_node *nodes, uint8_t (*leaves)[CAS_HASH],
             uint32_t cap, uint8_t *scratch, size_t scratch_cap)
{
    memset(fs, 0, sizeof(*fs));
    fs->cas = cas;
    fs->nodes = nodes;
    fs->leaves = leaves;
    fs->cap = cap;
    fs->scratch = scratch;
    fs->scratch_cap = scratch_cap;
}

/* Index of the first node whose path is not below path in order. */
static uint32_t fs_lower(const struct fs *fs, const char *path)
{
    uint32_t lo = 0, hi = fs->count;

    while (lo < hi) {
        uint32_t mid = lo + (hi - lo) / 2;
        if (strcmp(fs->nodes[mid].path, path) < 0) {
            lo = mid + 1;
        } else {
            hi = mid;
        }
    }
    return lo;
}

static struct fs_node *fs_find(const struct fs *fs, const char *path)
{
    uint32_t i = fs_lower(fs, path);

    return i < fs->count && strcmp(fs->nodes[i].path, path) == 0 ? &fs->nodes[i] : NULL;
}

static int fs_check(const char *path)
{
    return fs_path_problem(path, strnlen(path, FS_PATH_MAX + 2)) == NULL ? 0 : ZERR_INVAL;
}

/* The parent of path must be a directory ("/" always is). */
static int fs_parent_ok(const struct fs *fs, const char *path)
{
    char parent[FS_PATH_MAX + 1];
    size_t n = strlen(path);

    while (n > 0 && path[n - 1] != '/') {
        n--;
    }
    if (n <= 1) {
        return 0;
    }
    memcpy(parent, path, n - 1);
    parent[n - 1] = 0;
    const struct fs_node *p = fs_find(fs, parent);
    if (p == NULL) {
        return ZERR_NOENT;
    }
    return p->kind == FS_DIR ? 0 : ZERR_PERM;
}

/* Inserts a node at its place.  Holds: checked, room, not present. */
static void fs_insert(struct fs *fs, const struct fs_node *n)
{
    uint32_t i = fs_lower(fs, n->path);

    memmove(&fs->nodes[i + 1], &fs->nodes[i], (size_t)(fs->count - i) * sizeof(*n));
    fs->nodes[i] = *n;
    fs->count++;
}

static void fs_remove(struct fs *fs, struct fs_node *n)
{
    uint32_t i = (uint32_t)(n - fs->nodes);

    memmove(n, n + 1, (size_t)(fs->count - i - 1) * sizeof(*n));
    fs->count--;
}

/* Checks a new node's path, owner and place. */
static int fs_check_new(const struct fs *fs, const char *path, const char *owner)
{
    int err = fs_check(path);

    if (err == 0 && (strlen(path) == 1 || fs_find(fs, path) != NULL)) {
        err = ZERR_EXIST;
    }
    if (err == 0 && (owner[0] == 0 || strnlen(owner, FS_OWNER_MAX + 1) > FS_OWNER_MAX)) {
        err = ZERR_INVAL;
    }
    if (err == 0) {
        err = fs_parent_ok(fs, path);
    }
    if (err == 0 && fs->count == fs->cap) {
        err = ZERR_FULL;
    }
    return err;
}

static void fs_node_set(struct fs_node *n, const char *path, const char *owner, uint32_t mode,
                        uint8_t kind)
{
    memset(n, 0, sizeof(*n));
    memcpy(n->path, path, strlen(path) + 1);
    memcpy(n->owner, owner, strlen(owner) + 1);
    n->mode = mode;
    n->kind = kind;
}

int fs_check_mkdir(const struct fs *fs, const char *path, const char *owner)
{
    return fs_check_new(fs, path, owner);
}

int fs_mkdir(struct fs *fs, const char *path, const char *owner, uint32_t mode)
{
    struct fs_node n;
    int err = fs_check_new(fs, path, owner);

    if (err != 0) {
        return err;
    }
    fs_node_set(&n, path, owner, mode, FS_DIR);
    fs_insert(fs, &n);
    return 0;
}

uint64_t fs_used(const struct fs *fs, const char *owner)
{
    uint64_t used = 0;

    for (uint32_t i = 0; i < fs->count; i++) {
        if (fs->nodes[i].kind == FS_FILE && strcmp(fs->nodes[i].owner, owner) == 0) {
            used += fs->nodes[i].size;
        }
    }
    return used;
}

static const struct fs_quota *fs_quota_of(const struct fs *fs, const char *owner)
{
    for (uint32_t i = 0; i < fs->nquotas; i++) {
        if (strcmp(fs->quotas[i].owner, owner) == 0) {
            return &fs->quotas[i];
        }
    }
    return NULL;
}

int fs_set_quota(struct fs *fs, const char *owner, uint64_t limit)
{
    struct fs_quota *q = (struct fs_quota *)fs_quota_of(fs, owner);
    size_t n = strnlen(owner, FS_OWNER_MAX + 1);
    uint32_t i = 0;

    if (n == 0 || n > FS_OWNER_MAX) {
        return ZERR_INVAL;
    }
    if (q != NULL) {
        q->limit = limit;
        return 0;
    }
    if (fs->nquotas == FS_QUOTAS) {
        return ZERR_FULL;
    }
    while (i < fs->nquotas && strcmp(fs->quotas[i].owner, owner) < 0) {
        i++; /* kept in owner order: the encoding is canonical */
    }
    memmove(&fs->quotas[i + 1], &fs->quotas[i], (fs->nquotas - i) * sizeof(fs->quotas[0]));
    memset(&fs->quotas[i], 0, sizeof(fs->quotas[i]));
    memcpy(fs->quotas[i].owner, owner, n);
    fs->quotas[i].limit = limit;
    fs->nquotas++;
    return 0;
}

/* Would owner's files, grown from old to new bytes, pass its quota? */
static int fs_quota_check(const struct fs *fs, const char *owner, uint64_t old, uint64_t new)
{
    const struct fs_quota *q = fs_quota_of(fs, owner);

    if (q == NULL || new <= old) {
        return 0;
    }
    return fs_used(fs, owner) - old + new > q->limit ? ZERR_LIMIT : 0;
}

/* The content of a write: data, or for an append the old content then data
 * (in fs->scratch).  *p and *len are what to store. */
static int fs_content(struct fs *fs, const struct fs_node *old, const void *data, uint64_t len,
                      bool append, const void **p, uint64_t *total)
{
    size_t got = 0;

    *p = data;
    *total = len;
    if (!append || old == NULL || old->size == 0) {
        return 0;
    }
    if (old->size + len > fs->scratch_cap) {
        return ZERR_LIMIT;
    }
    int err = cas_read(fs->cas, old->hash, 0, fs->scratch, old->size, &got, NULL);
    if (err != 0) {
        return err;
    }
    memcpy(fs->scratch + old->size, data, len);
    *p = fs->scratch;
    *total = old->size + len;
    return 0;
}

int fs_write(struct fs *fs, const char *path, const char *owner, uint32_t mode, const void *data,
             uint64_t len, bool append)
{
    struct fs_node *old = fs_find(fs, path), n;
    const void *p;
    uint64_t total;
    uint8_t hash[CAS_HASH];
    int err = old == NULL ? fs_check_new(fs, path, owner) : fs_check(path);

    if (err == 0 && old != NULL && old->kind != FS_FILE) {
        err = ZERR_PERM;
    }
    if (err != 0) {
        return err;
    }
    err = fs_content(fs, old, data, len, append, &p, &total);
    if (err != 0) {
        return err;
    }
    err = fs_quota_check(fs, old != NULL ? old->owner : owner, old != NULL ? old->size : 0, total);
    if (err != 0) {
        return err;
    }
    err = cas_put(fs->cas, p, total, hash, NULL);
    if (err != 0) {
        return err;
    }
    if (old == NULL) {
        fs_node_set(&n, path, owner, mode, FS_FILE);
        memcpy(n.hash, hash, CAS_HASH);
        n.size = total;
        fs_insert(fs, &n);
    } else {
        memcpy(old->hash, hash, CAS_HASH);
        old->size = total;
    }
    return 0;
}

int fs_check_put(const struct fs *fs, const char *path, const char *owner, uint64_t size)
{
    const struct fs_node *old = fs_check(path) == 0 ? fs_find(fs, path) : NULL;
    int err = old == NULL ? fs_check_new(fs, path, owner) : 0;

    if (err == 0 && old != NULL && old->kind != FS_FILE) {
        err = ZERR_PERM;
    }
    if (err != 0) {
        return err;
    }
    return fs_quota_check(fs, old != NULL ? old->owner : owner, old != NULL ? old->size : 0, size);
}

int fs_put(struct fs *fs, const char *path, const char *owner, uint32_t mode,
           const uint8_t hash[CAS_HASH], uint64_t size)
{
    struct fs_node *old, n;
    int err = fs_check_put(fs, path, owner, size);

    if (err != 0) {
        return err;
    }
    old = fs_find(fs, path);
    if (old == NULL) {
        fs_node_set(&n, path, owner, mode, FS_FILE);
        memcpy(n.hash, hash, CAS_HASH);
        n.size = size;
        fs_insert(fs, &n);
    } else {
        memcpy(old->hash, hash, CAS_HASH);
        old->size = size;
    }
    return 0;
}

/* Is path equal to dir or below it? */
static bool fs_below(const char *path, const char *dir)
{
    size_t n = strlen(dir);

    return strncmp(path, dir, n) == 0 && (path[n] == 0 || path[n] == '/');
}

/* Index of the first node strictly below directory dir ("" for "/"), or
 * count: the nodes below dir are the run that starts there and whose paths
 * start with dir and "/". */
static uint32_t fs_first_below(const struct fs *fs, const char *dir)
{
    char prefix[FS_PATH_MAX + 2];
    size_t n = strlen(dir);

    memcpy(prefix, dir, n);
    prefix[n] = '/';
    prefix[n + 1] = 0;
    uint32_t i = fs_lower(fs, prefix);
    return i < fs->count && fs_below(fs->nodes[i].path, dir) ? i : fs->count;
}

/* Restores path order after renames (insertion sort: the table is sorted
 * but for one moved run). */
static void fs_sort(struct fs *fs)
{
    for (uint32_t i = 1; i < fs->count; i++) {
        struct fs_node t = fs->nodes[i];
        uint32_t j = i;
        while (j > 0 && strcmp(fs->nodes[j - 1].path, t.path) > 0) {
            fs->nodes[j] = fs->nodes[j - 1];
            j--;
        }
        fs->nodes[j] = t;
    }
}

/* Checks a rename; the new paths of a moved directory's nodes must fit. */
static int fs_rename_check(const struct fs *fs, const char *from, const char *to)
{
    size_t fl = strlen(from), tl = strlen(to);
    int err = fs_check(from) != 0 || fs_check(to) != 0 ? ZERR_INVAL : 0;

    if (err == 0 && (fl == 1 || tl == 1)) {
        err = ZERR_PERM;
    }
    if (err == 0 && fs_find(fs, from) == NULL) {
        err = ZERR_NOENT;
    }
    if (err == 0 && fs_find(fs, to) != NULL) {
        err = ZERR_EXIST;
    }
    if (err == 0 && fs_below(to, from)) {
        err = ZERR_PERM;
    }
    if (err != 0) {
        return err;
    }
    err = fs_parent_ok(fs, to);
    for (uint32_t i = 0; i < fs->count && err == 0; i++) {
        if (fs_below(fs->nodes[i].path, from) &&
            strlen(fs->nodes[i].path) - fl + tl > FS_PATH_MAX) {
            err = ZERR_INVAL;
        }
    }
    return err;
}

int fs_check_rename(const struct fs *fs, const char *from, const char *to)
{
    return fs_rename_check(fs, from, to);
}

int fs_rename(struct fs *fs, const char *from, const char *to)
{
    char old[FS_PATH_MAX + 1], moved[FS_PATH_MAX + 1];
    int err = fs_rename_check(fs, from, to);

    if (err != 0) {
        return err;
    }
    size_t fl = strlen(from), tl = strlen(to);
    memcpy(old, from, fl + 1);
    for (uint32_t i = 0; i < fs->count; i++) {
        char *p = fs->nodes[i].path;
        if (fs_below(p, old)) {
            size_t rest = strlen(p + fl);
            memcpy(moved, to, tl + 1);
            memcpy(moved + tl, p + fl, rest + 1);
            memcpy(p, moved, tl + rest + 1);
        }
    }
    fs_sort(fs);
    return 0;
}

void fs_stamp(struct fs *fs, const char *path, uint64_t seq)
{
    for (uint32_t i = 0; i < fs->count; i++) {
        if (fs_below(fs->nodes[i].path, path)) {
            fs->nodes[i].changed = seq;
        }
    }
}

int fs_check_delete(const struct fs *fs, const char *path)
{
    const struct fs_node *n = fs_check(path) == 0 ? fs_find(fs, path) : NULL;

    if (n == NULL) {
        return fs_check(path) != 0 ? ZERR_INVAL : ZERR_NOENT;
    }
    return n->kind != FS_FILE ? ZERR_PERM : 0;
}

int fs_check_rmdir(const struct fs *fs, const char *path)
{
    const struct fs_node *n = fs_check(path) == 0 ? fs_find(fs, path) : NULL;

    if (n == NULL) {
        return fs_check(path) != 0 ? ZERR_INVAL : strlen(path) == 1 ? ZERR_PERM : ZERR_NOENT;
    }
    return n->kind != FS_DIR || fs_first_below(fs, path) < fs->count ? ZERR_PERM : 0;
}

int fs_delete(struct fs *fs, const char *path)
{
    struct fs_node *n = fs_check(path) == 0 ? fs_find(fs, path) : NULL;

    if (n == NULL) {
        return fs_check(path) != 0 ? ZERR_INVAL : ZERR_NOENT;
    }
    if (n->kind != FS_FILE) {
        return ZERR_PERM;
    }
    fs_remove(fs, n);
    return 0;
}

int fs_rmdir(struct fs *fs, const char *path)
{
    struct fs_node *n = fs_check(path) == 0 ? fs_find(fs, path) : NULL;

    if (n == NULL) {
        return fs_check(path) != 0 ? ZERR_INVAL : strlen(path) == 1 ? ZERR_PERM : ZERR_NOENT;
    }
    if (n->kind != FS_DIR || fs_first_below(fs, path) < fs->count) {
        return ZERR_PERM;
    }
    fs_remove(fs, n);
    return 0;
}

int fs_stat(const struct fs *fs, const char *path, struct fs_node *out)
{
    if (fs_check(path) != 0) {
        return ZERR_INVAL;
    }
    if (strcmp(path, "/") == 0) {
        memset(out, 0, sizeof(*out));
        out->path[0] = '/';
        out->kind = FS_DIR;
        return 0;
    }
    const struct fs_node *n = fs_find(fs, path);
    if (n == NULL) {
        return ZERR_NOENT;
    }
    *out = *n;
    return 0;
}

int fs_list(const struct fs *fs, const char *path, void (*fn)(void *ctx, const struct fs_node *n),
            void *ctx)
{
    struct fs_node d;
    int err = fs_stat(fs, path, &d);
    size_t pl = strcmp(path, "/") == 0 ? 0 : strlen(path);

    if (err != 0) {
        return err;
    }
    if (d.kind != FS_DIR) {
        return ZERR_PERM;
    }
    for (uint32_t i = pl == 0 ? 0 : fs_first_below(fs, path); i < fs->count; i++) {
        const char *p = fs->nodes[i].path;
        if (pl > 0 && !fs_below(p, path)) {
            break;
        }
        if (strchr(p + pl + 1, '/') == NULL) {
            fn(ctx, &fs->nodes[i]);
        }
    }
    return 0;
}

uint64_t fs_gc(struct fs *fs)
{
    for (uint32_t i = 0; i < fs->count; i++) {
        if (fs->nodes[i].kind == FS_FILE) {
            (void)cas_mark(fs->cas, fs->nodes[i].hash);
        }
    }
    return cas_sweep(fs->cas);
}
