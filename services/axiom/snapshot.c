/*
 * The canonical state snapshot: encode, strict decode, and the check
 * against a checkpoint (docs/formats.md "State snapshot").
 *
 * The decoder only checks what keeps the tables usable (bounds, sort
 * order, valid names and paths, rules that parse back to their text); that
 * the state is the one the log reached is the job of ax_snap_check, which
 * compares the recomputed state root with a signed checkpoint's.
 */
#include "base/errors.h"
#include "base/fmt.h"
#include "base/string.h"
#include "cbor/cbor.h"
#include "services/axiom/snapshot.h"

#define SNAP_ITEMS 13u
#define SNAP_PRINCIPAL_ITEMS 9u
#define SNAP_NODE_ITEMS 7u

/* ---- encode ---- */

static void snap_put_principals(cbor_enc *e, const struct id_table *t)
{
    cbor_put_array(e, t->n);
    for (uint32_t i = 0; i < t->n; i++) {
        const struct id_principal *p = &t->p[i];
        cbor_put_array(e, SNAP_PRINCIPAL_ITEMS);
        cbor_put_cstr(e, p->name);
        cbor_put_cstr(e, p->parent);
        cbor_put_uint(e, p->kind);
        cbor_put_bool(e, p->revoked != 0);
        cbor_put_uint(e, p->key_gen);
        cbor_put_bytes(e, p->pub, ID_PUB_LEN);
        cbor_put_uint(e, p->created_seq);
        cbor_put_uint(e, p->proposals);
        cbor_put_bool(e, p->external != 0);
    }
}

static void snap_put_policy(cbor_enc *e, const struct policy_set *s)
{
    cbor_put_array(e, 2);
    cbor_put_uint(e, s->next_id);
    cbor_put_array(e, s->n);
    for (uint32_t i = 0; i < s->n; i++) {
        policy_encode_rule(&s->r[i], e);
    }
}

static void snap_put_fs(cbor_enc *e, const struct ax_state *s)
{
    struct fs view;
    const struct fs *ns = ax_state_fs(s, &view);

    if (!s->fs.on) {
        cbor_put_null(e);
        return;
    }
    cbor_put_array(e, 2);
    cbor_put_array(e, ns->count);
    for (uint32_t i = 0; i < ns->count; i++) {
        const struct fs_node *n = &ns->nodes[i];
        cbor_put_array(e, SNAP_NODE_ITEMS);
        cbor_put_cstr(e, n->path);
        cbor_put_cstr(e, n->owner);
        cbor_put_bytes(e, n->hash, CAS_HASH);
        cbor_put_uint(e, n->size);
        cbor_put_uint(e, n->mode);
        cbor_put_uint(e, n->kind);
        cbor_put_uint(e, n->changed);
    }
    cbor_put_array(e, ns->nquotas);
    for (uint32_t i = 0; i < ns->nquotas; i++) {
        cbor_put_array(e, 2);
        cbor_put_cstr(e, ns->quotas[i].owner);
        cbor_put_uint(e, ns->quotas[i].limit);
    }
}

static void snap_put_pair(cbor_enc *e, uint64_t count, const uint8_t hash[AX_HASH_LEN])
{
    cbor_put_array(e, 2);
    cbor_put_uint(e, count);
    cbor_put_bytes(e, hash, AX_HASH_LEN);
}

int ax_snap_encode(const struct ax_replay *r, uint8_t *buf, size_t cap, size_t *len)
{
    const struct ax_state *s = r->st;
    cbor_enc e;

    /* Processes and capabilities (root keys 12, 13) have no item yet: such
     * a snapshot could never match its checkpoint, so none is written. */
    if (s->procs.spawned != 0 || s->procs.grants + s->procs.revokes != 0) {
        return ZERR_UNSUPPORTED;
    }
    cbor_enc_init(&e, buf, cap);
    cbor_put_array(&e, SNAP_ITEMS + ax_svc_root_keys(s)); /* item 13: services, if any */
    cbor_put_uint(&e, AX_SNAP_VERSION);
    cbor_put_uint(&e, s->applied);
    cbor_put_uint(&e, r->batch);
    cbor_put_bytes(&e, r->head, AX_HASH_LEN);
    cbor_put_array(&e, r->tree.n);
    for (unsigned i = 0; i < r->tree.n; i++) {
        cbor_put_bytes(&e, r->tree.stack[i], AX_HASH_LEN);
    }
    cbor_put_uint(&e, s->format);
    cbor_put_cstr(&e, s->node);
    cbor_put_uint(&e, s->notes);
    snap_put_principals(&e, &s->ids);
    snap_put_policy(&e, &s->pol);
    snap_put_fs(&e, s);
    snap_put_pair(&e, s->jobs, s->jobs_hash);
    snap_put_pair(&e, s->boots.count, s->boots.last);
    ax_svc_snap_put(s, &e);
    return cbor_enc_finish(&e, len);
}

/* ---- decode ---- */

/* Reads a text item of at most max bytes into out (NUL-terminated). */
static int snap_get_str(cbor_dec *d, char *out, size_t max)
{
    const char *p;
    size_t n;

    if (cbor_get_text(d, &p, &n) != 0 || n > max || strnlen(p, n) != n) {
        return ZERR_CORRUPT;
    }
    memcpy(out, p, n);
    out[n] = 0;
    return 0;
}

static int snap_get_hash(cbor_dec *d, uint8_t out[AX_HASH_LEN])
{
    const uint8_t *p;
    size_t n;

    if (cbor_get_bytes(d, &p, &n) != 0 || n != AX_HASH_LEN) {
        return ZERR_CORRUPT;
    }
    memcpy(out, p, AX_HASH_LEN);
    return 0;
}

static int snap_get_uint(cbor_dec *d, uint64_t *v, uint64_t max)
{
    return cbor_get_uint(d, v) != 0 || *v > max ? ZERR_CORRUPT : 0;
}

/* An array head of at most max items. */
static int snap_get_array(cbor_dec *d, uint64_t *n, uint64_t max)
{
    return cbor_get_array(d, n) != 0 || *n > max ? ZERR_CORRUPT : 0;
}

static int snap_get_principal(cbor_dec *d, struct id_principal *p)
{
    uint64_t n, kind, key_gen;
    bool revoked, external;

    memset(p, 0, sizeof(*p));
    if (snap_get_array(d, &n, SNAP_PRINCIPAL_ITEMS) != 0 || n != SNAP_PRINCIPAL_ITEMS ||
        snap_get_str(d, p->name, ID_NAME_MAX) != 0 ||
        snap_get_str(d, p->parent, ID_NAME_MAX) != 0 ||
        snap_get_uint(d, &kind, ID_KIND_COUNT - 1) != 0 || kind == ID_KIND_NONE ||
        cbor_get_bool(d, &revoked) != 0 || snap_get_uint(d, &key_gen, UINT32_MAX) != 0 ||
        snap_get_hash(d, p->pub) != 0 || cbor_get_uint(d, &p->created_seq) != 0 ||
        cbor_get_uint(d, &p->proposals) != 0 || cbor_get_bool(d, &external) != 0) {
        return ZERR_CORRUPT;
    }
    if (!id_name_valid(p->name, strlen(p->name))) {
        return ZERR_CORRUPT;
    }
    p->kind = (uint8_t)kind;
    p->revoked = revoked;
    p->key_gen = (uint32_t)key_gen;
    p->external = external;
    return 0;
}

static int snap_get_principals(cbor_dec *d, struct id_table *t)
{
    uint64_t n;

    if (snap_get_array(d, &n, ID_MAX_PRINCIPALS) != 0) {
        return ZERR_CORRUPT;
    }
    for (uint32_t i = 0; i < n; i++) {
        if (snap_get_principal(d, &t->p[i]) != 0 ||
            (i > 0 && strcmp(t->p[i - 1].name, t->p[i].name) >= 0)) {
            return ZERR_CORRUPT;
        }
        t->n = i + 1;
    }
    return 0;
}

static int snap_get_rule(cbor_dec *d, struct policy_rule *r)
{
    char text[POLICY_TEXT_MAX + 1];
    char err[8];
    uint64_t n, id, effect;

    if (snap_get_array(d, &n, 3) != 0 || n != 3 || snap_get_uint(d, &id, UINT32_MAX) != 0 ||
        snap_get_uint(d, &effect, POLICY_ALLOW) != 0 ||
        snap_get_str(d, text, POLICY_TEXT_MAX) != 0) {
        return ZERR_CORRUPT;
    }
    if (policy_parse(text, strlen(text), (uint8_t)effect, r, err, sizeof(err)) != 0 ||
        strcmp(r->text, text) != 0) {
        return ZERR_CORRUPT;
    }
    r->id = (uint32_t)id;
    return 0;
}

static int snap_get_policy(cbor_dec *d, struct policy_set *s)
{
    uint64_t n, next;

    if (snap_get_array(d, &n, 2) != 0 || n != 2 || snap_get_uint(d, &next, UINT32_MAX) != 0 ||
        snap_get_array(d, &n, POLICY_MAX_RULES) != 0) {
        return ZERR_CORRUPT;
    }
    s->next_id = (uint32_t)next;
    for (uint32_t i = 0; i < n; i++) {
        if (snap_get_rule(d, &s->r[i]) != 0 || s->r[i].id >= s->next_id ||
            (i > 0 && s->r[i - 1].id >= s->r[i].id)) {
            return ZERR_CORRUPT;
        }
        s->n = i + 1;
    }
    return 0;
}

static int snap_get_node(cbor_dec *d, struct fs_node *nd)
{
    uint64_t n, mode, kind;

    memset(nd, 0, sizeof(*nd));
    if (snap_get_array(d, &n, SNAP_NODE_ITEMS) != 0 || n != SNAP_NODE_ITEMS ||
        snap_get_str(d, nd->path, FS_PATH_MAX) != 0 ||
        snap_get_str(d, nd->owner, FS_OWNER_MAX) != 0 || snap_get_hash(d, nd->hash) != 0 ||
        cbor_get_uint(d, &nd->size) != 0 || snap_get_uint(d, &mode, UINT32_MAX) != 0 ||
        snap_get_uint(d, &kind, FS_DIR) != 0 || kind < FS_FILE ||
        cbor_get_uint(d, &nd->changed) != 0) {
        return ZERR_CORRUPT;
    }
    nd->mode = (uint32_t)mode;
    nd->kind = (uint8_t)kind;
    return fs_path_problem(nd->path, strlen(nd->path)) == NULL ? 0 : ZERR_CORRUPT;
}

static int snap_get_quotas(cbor_dec *d, struct fs *ns)
{
    uint64_t n, m;

    if (snap_get_array(d, &n, FS_QUOTAS) != 0) {
        return ZERR_CORRUPT;
    }
    for (uint32_t i = 0; i < n; i++) {
        struct fs_quota *q = &ns->quotas[i];
        if (snap_get_array(d, &m, 2) != 0 || m != 2 || snap_get_str(d, q->owner, FS_OWNER_MAX) ||
            cbor_get_uint(d, &q->limit) != 0 ||
            (i > 0 && strcmp(ns->quotas[i - 1].owner, q->owner) >= 0)) {
            return ZERR_CORRUPT;
        }
        ns->nquotas = i + 1;
    }
    return 0;
}

static int snap_get_fs(cbor_dec *d, struct ax_state *s)
{
    enum cbor_type t;
    uint64_t n;

    if (cbor_peek(d, &t) == 0 && t == CBOR_SIMPLE && cbor_get_null(d) == 0) {
        return 0;
    }
    s->fs.on = true;
    if (snap_get_array(d, &n, 2) != 0 || n != 2 || snap_get_array(d, &n, AX_FS_NODES) != 0) {
        return ZERR_CORRUPT;
    }
    for (uint32_t i = 0; i < n; i++) {
        if (snap_get_node(d, &s->fs.nodes[i]) != 0 ||
            (i > 0 && strcmp(s->fs.nodes[i - 1].path, s->fs.nodes[i].path) >= 0)) {
            return ZERR_CORRUPT;
        }
        s->fs.ns.count = i + 1;
    }
    return snap_get_quotas(d, &s->fs.ns);
}

/* One bits in v: the perfect subtrees of a tree of v leaves. */
static uint64_t snap_bits(uint64_t v)
{
    uint64_t n = 0;

    for (; v != 0; v &= v - 1) {
        n++;
    }
    return n;
}

/* The replay position: entries, next batch, head, Merkle frontier. */
static int snap_get_position(cbor_dec *d, struct ax_replay *r, uint64_t *items)
{
    uint64_t n, v;

    if (snap_get_array(d, items, SNAP_ITEMS + 1) != 0 || *items < SNAP_ITEMS ||
        snap_get_uint(d, &v, AX_SNAP_VERSION) != 0 || v != AX_SNAP_VERSION ||
        cbor_get_uint(d, &r->st->applied) != 0 || cbor_get_uint(d, &r->batch) != 0 ||
        snap_get_hash(d, r->head) != 0 || snap_get_array(d, &n, 64) != 0 ||
        n != snap_bits(r->st->applied) || r->st->applied == 0) {
        return ZERR_CORRUPT;
    }
    r->tree.size = r->st->applied;
    r->tree.n = (uint8_t)n;
    for (unsigned i = 0; i < n; i++) {
        if (snap_get_hash(d, r->tree.stack[i]) != 0) {
            return ZERR_CORRUPT;
        }
    }
    return 0;
}

static bool snap_zero(const uint8_t h[AX_HASH_LEN])
{
    uint8_t acc = 0;

    for (unsigned i = 0; i < AX_HASH_LEN; i++) {
        acc |= h[i];
    }
    return acc == 0;
}

static int snap_get_state(cbor_dec *d, struct ax_state *s)
{
    uint64_t format, n;

    if (snap_get_uint(d, &format, 255) != 0 || format == 0 ||
        snap_get_str(d, s->node, ID_NAME_MAX) != 0 || cbor_get_uint(d, &s->notes) != 0 ||
        snap_get_principals(d, &s->ids) != 0 || snap_get_policy(d, &s->pol) != 0 ||
        snap_get_fs(d, s) != 0 || snap_get_array(d, &n, 2) != 0 || n != 2 ||
        cbor_get_uint(d, &s->jobs) != 0 || snap_get_hash(d, s->jobs_hash) != 0 ||
        snap_get_array(d, &n, 2) != 0 || n != 2 || cbor_get_uint(d, &s->boots.count) != 0 ||
        snap_get_hash(d, s->boots.last) != 0) {
        return ZERR_CORRUPT;
    }
    /* With no job or boot yet the state root has no key for their hash. */
    if ((s->jobs == 0 && !snap_zero(s->jobs_hash)) ||
        (s->boots.count == 0 && !snap_zero(s->boots.last))) {
        return ZERR_CORRUPT;
    }
    s->format = (uint8_t)format;
    return 0;
}

static int snap_fail(struct ax_replay *r, int err, const char *what)
{
    r->bad_seq = AX_NO_ENTRY;
    zfmt_snprintf(r->why, sizeof(r->why), "snapshot: %s", what);
    return err;
}

/* Empties r and its state, keeping the caller's callbacks. */
static void snap_reset(struct ax_replay *r)
{
    ax_checkpoint_fn cp_fn = r->cp_fn;

    ax_replay_init(r, r->st, r->fn, r->arg);
    r->cp_fn = cp_fn;
}

/*
 * Canonical CBOR (cbor_validate) read with a fixed shape, sorted tables and
 * rule text that is its own normal form has one encoding only, so the
 * bytes are the encoding of the state they decode to.
 */
int ax_snap_decode(const uint8_t *buf, size_t len, struct ax_replay *r)
{
    cbor_dec d;
    uint64_t items = 0;

    snap_reset(r);
    if (len > AX_SNAP_MAX || cbor_validate(buf, len, 5) != 0) {
        return snap_fail(r, ZERR_CORRUPT, "not one canonical CBOR item");
    }
    cbor_dec_init(&d, buf, len);
    if (snap_get_position(&d, r, &items) != 0 || snap_get_state(&d, r->st) != 0 ||
        (items > SNAP_ITEMS && ax_svc_snap_get(&d, r->st) != 0) || cbor_dec_finish(&d) != 0) {
        snap_reset(r);
        return snap_fail(r, ZERR_CORRUPT, "does not decode");
    }
    ax_state_rehash(r->st);
    return 0;
}

int ax_snap_check(struct ax_replay *r, const struct ax_checkpoint *c)
{
    uint8_t tree[AX_HASH_LEN];

    ax_merkle_root(&r->tree, tree);
    if (c->size != r->st->applied || c->batch + 1 != r->batch) {
        return snap_fail(r, ZERR_CORRUPT, "its position is not the checkpoint's");
    }
    if (memcmp(c->head, r->head, AX_HASH_LEN) != 0 ||
        memcmp(c->tree_root, tree, AX_HASH_LEN) != 0) {
        return snap_fail(r, ZERR_CORRUPT, "its head or tree root is not the checkpoint's");
    }
    if (memcmp(c->state_root, r->st->root, AX_HASH_LEN) != 0) {
        return snap_fail(r, ZERR_CORRUPT, "its state root is not the checkpoint's");
    }
    return 0;
}
