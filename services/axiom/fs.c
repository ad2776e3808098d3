/*
 * The filesystem's entries: fs.put, fs.mkdir, fs.rm, fs.rmdir, fs.mv and
 * fs.quota (docs/formats.md "Entry", docs/storage.md).  An entry names
 * content by hash and size; the content was made durable in the store
 * before the entry was proposed, so nothing here reads it.  The namespace
 * lives in the state (struct ax_fs_state) and its root is key 6 of the
 * state root once a filesystem entry was applied.
 */
#include <stdarg.h>

#include "base/assert.h"
#include "base/errors.h"
#include "base/fmt.h"
#include "base/string.h"
#include "services/axiom/internal/codec.h"
#include "services/axiom/internal/fs.h"

#define AX_FS_WRITE_ACTION "fs.write"
#define AX_FS_QUOTA_ACTION "fs.quota"

bool ax_fs_kind(uint8_t kind)
{
    return kind >= AX_FS_PUT && kind <= AX_FS_QUOTA;
}

const struct fs *ax_state_fs(const struct ax_state *s, struct fs *view)
{
    *view = s->fs.ns;
    view->cas = NULL;
    view->nodes = (struct fs_node *)s->fs.nodes;
    view->leaves = (uint8_t(*)[CAS_HASH])s->fs.leaves;
    view->cap = AX_FS_NODES;
    return view;
}

/* Points the state's struct fs at its own tables (a copied state's too). */
static struct fs *ax_fs_bind(struct ax_state *s)
{
    s->fs.ns.nodes = s->fs.nodes;
    s->fs.ns.leaves = s->fs.leaves;
    s->fs.ns.cap = AX_FS_NODES;
    s->fs.ns.cas = NULL;
    return &s->fs.ns;
}

void ax_fs_init(struct ax_state *s)
{
    fs_init(&s->fs.ns, NULL, s->fs.nodes, s->fs.leaves, AX_FS_NODES, NULL, 0);
    s->fs.on = false;
    s->fs.dirty = true;
}

void ax_fs_rehash(struct ax_state *s)
{
    if (s->fs.dirty) {
        fs_root(ax_fs_bind(s), s->fs.root);
        s->fs.dirty = false;
    }
}

unsigned ax_fs_root_keys(const struct ax_state *s)
{
    return s->fs.on ? 1u : 0u;
}

void ax_fs_put_root(const struct ax_state *s, cbor_enc *e)
{
    if (s->fs.on) {
        cbor_put_uint(e, 6);
        cbor_put_bytes(e, s->fs.root, AX_HASH_LEN);
    }
}

/* ---- payloads ---- */

void ax_fs_put_payload(cbor_enc *e, const struct ax_action *a)
{
    switch (a->kind) {
    case AX_FS_PUT:
        cbor_put_map(e, 4);
        cbor_put_uint(e, 0);
        cbor_put_cstr(e, a->fs.path);
        cbor_put_uint(e, 1);
        cbor_put_bytes(e, a->fs.hash, CAS_HASH);
        cbor_put_uint(e, 2);
        cbor_put_uint(e, a->fs.size);
        cbor_put_uint(e, 3);
        cbor_put_uint(e, a->fs.mode);
        break;
    case AX_FS_MKDIR:
        cbor_put_map(e, 2);
        cbor_put_uint(e, 0);
        cbor_put_cstr(e, a->fs.path);
        cbor_put_uint(e, 1);
        cbor_put_uint(e, a->fs.mode);
        break;
    case AX_FS_MV:
        cbor_put_map(e, 2);
        cbor_put_uint(e, 0);
        cbor_put_cstr(e, a->fs.path);
        cbor_put_uint(e, 1);
        cbor_put_cstr(e, a->fs.to);
        break;
    case AX_FS_QUOTA:
        cbor_put_map(e, 2);
        cbor_put_uint(e, 0);
        cbor_put_cstr(e, a->name);
        cbor_put_uint(e, 1);
        cbor_put_uint(e, a->fs.size);
        break;
    default: /* fs.rm, fs.rmdir */
        cbor_put_map(e, 1);
        cbor_put_uint(e, 0);
        cbor_put_cstr(e, a->fs.path);
        break;
    }
}

/* Reads key, then a text of at most cap - 1 bytes without NUL into out. */
static int ax_fs_get_text(cbor_dec *d, uint64_t key, char *out, size_t cap)
{
    const char *s = NULL;
    size_t n = 0;
    int err = ax_get_key(d, key);

    if (err == 0) {
        err = cbor_get_text(d, &s, &n);
    }
    if (err != 0) {
        return err;
    }
    if (n >= cap || fs_has_nul(s, n)) {
        return ZERR_CORRUPT;
    }
    memcpy(out, s, n);
    out[n] = '\0';
    return 0;
}

static int ax_fs_get_uint(cbor_dec *d, uint64_t key, uint64_t *out, uint64_t max)
{
    int err = ax_get_key(d, key);

    if (err == 0) {
        err = cbor_get_uint(d, out);
    }
    return err == 0 && *out > max ? ZERR_CORRUPT : err;
}

static int ax_fs_decode_put(cbor_dec *d, struct ax_action *a)
{
    uint64_t mode = 0;
    int err = ax_get_fixed_field(d, 1, a->fs.hash, CAS_HASH);

    if (err == 0) {
        err = ax_fs_get_uint(d, 2, &a->fs.size, UINT64_MAX);
    }
    if (err == 0) {
        err = ax_fs_get_uint(d, 3, &mode, UINT32_MAX);
    }
    a->fs.mode = (uint32_t)mode;
    return err;
}

int ax_fs_decode_payload(cbor_dec *d, struct ax_action *a, uint64_t n)
{
    static const uint8_t want[] = {4, 2, 1, 1, 2, 2}; /* put mkdir rm rmdir mv quota */
    uint64_t v = 0;
    int err;

    if (n != want[a->kind - AX_FS_PUT]) {
        return ZERR_CORRUPT;
    }
    if (a->kind == AX_FS_QUOTA) {
        err = ax_fs_get_text(d, 0, a->name, sizeof(a->name));
        return err != 0 ? err : ax_fs_get_uint(d, 1, &a->fs.size, UINT64_MAX);
    }
    err = ax_fs_get_text(d, 0, a->fs.path, sizeof(a->fs.path));
    if (err != 0) {
        return err;
    }
    switch (a->kind) {
    case AX_FS_PUT:
        return ax_fs_decode_put(d, a);
    case AX_FS_MKDIR:
        err = ax_fs_get_uint(d, 1, &v, UINT32_MAX);
        a->fs.mode = (uint32_t)v;
        return err;
    case AX_FS_MV:
        return ax_fs_get_text(d, 1, a->fs.to, sizeof(a->fs.to));
    default:
        return 0;
    }
}

/* ---- decision ---- */

static void ax_fs_why(char *why, size_t cap, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void ax_fs_why(char *why, size_t cap, const char *fmt, ...)
{
    va_list ap;

    if (why == NULL || cap == 0) {
        return;
    }
    va_start(ap, fmt);
    (void)zfmt_vsnprintf(why, cap, fmt, ap);
    va_end(ap);
}

/* Why a ZERR_PERM: what the kind needed and did not find. */
static const char *ax_fs_perm_text(uint8_t kind)
{
    switch (kind) {
    case AX_FS_PUT:
        return "a directory is in the way, or the parent is a file";
    case AX_FS_MKDIR:
        return "the parent is a file";
    case AX_FS_RM:
        return "a directory (use rmdir)";
    case AX_FS_RMDIR:
        return "not an empty directory";
    default:
        return "cannot move / or a directory into itself, or the new parent is a file";
    }
}

/* Says why a namespace check refused a; returns err. */
static int ax_fs_refuse(const struct fs *ns, const struct ax_action *a, int err, char *why,
                        size_t cap)
{
    const char *what = ax_kind_name(a->kind);
    const char *bad = fs_path_problem(a->fs.path, strlen(a->fs.path));

    if (bad == NULL && a->kind == AX_FS_MV) {
        bad = fs_path_problem(a->fs.to, strlen(a->fs.to));
    }
    switch (err) {
    case ZERR_INVAL:
        ax_fs_why(why, cap, "%s %s: %s", what, a->fs.path, bad != NULL ? bad : "path too long");
        break;
    case ZERR_NOENT:
        ax_fs_why(why, cap, "%s %s: no such file or directory (or no parent directory)", what,
                  a->fs.path);
        break;
    case ZERR_EXIST:
        ax_fs_why(why, cap, "%s %s: %s exists", what, a->fs.path,
                  a->kind == AX_FS_MV ? a->fs.to : a->fs.path);
        break;
    case ZERR_LIMIT: {
        struct fs_node old;
        const char *owner = fs_stat(ns, a->fs.path, &old) == 0 ? old.owner : a->proposer;
        ax_fs_why(why, cap, "%s %s: quota of %s exceeded (%llu bytes used)", what, a->fs.path,
                  owner, (unsigned long long)fs_used(ns, owner));
        break;
    }
    case ZERR_FULL:
        ax_fs_why(why, cap, "%s %s: the namespace holds %u nodes already", what, a->fs.path,
                  (unsigned)AX_FS_NODES);
        break;
    default:
        ax_fs_why(why, cap, "%s %s: %s", what, a->fs.path, ax_fs_perm_text(a->kind));
        break;
    }
    return err;
}

static int ax_fs_check_quota(const struct ax_state *s, const struct ax_action *a, char *why,
                             size_t cap)
{
    bool known = false;

    if (id_find(&s->ids, a->name) == NULL) {
        ax_fs_why(why, cap, "fs.quota %s: no principal %s", a->name, a->name);
        return ZERR_NOENT;
    }
    for (uint32_t i = 0; i < s->fs.ns.nquotas; i++) {
        known = known || strcmp(s->fs.ns.quotas[i].owner, a->name) == 0;
    }
    if (!known && s->fs.ns.nquotas == FS_QUOTAS) {
        ax_fs_why(why, cap, "fs.quota %s: %u principals have a quota already", a->name,
                  (unsigned)FS_QUOTAS);
        return ZERR_FULL;
    }
    return 0;
}

int ax_fs_check(const struct ax_state *s, const struct ax_action *a, char *why, size_t cap)
{
    struct fs view;
    const struct fs *ns = ax_state_fs(s, &view);
    int err;

    switch (a->kind) {
    case AX_FS_PUT:
        err = fs_check_put(ns, a->fs.path, a->proposer, a->fs.size);
        break;
    case AX_FS_MKDIR:
        err = fs_check_mkdir(ns, a->fs.path, a->proposer);
        break;
    case AX_FS_RM:
        err = fs_check_delete(ns, a->fs.path);
        break;
    case AX_FS_RMDIR:
        err = fs_check_rmdir(ns, a->fs.path);
        break;
    case AX_FS_MV:
        err = fs_check_rename(ns, a->fs.path, a->fs.to);
        break;
    default:
        return ax_fs_check_quota(s, a, why, cap);
    }
    return err == 0 ? 0 : ax_fs_refuse(ns, a, err, why, cap);
}

/* Decides one request of action on resource (a path, or a principal). */
static void ax_fs_eval(const struct ax_state *s, const struct id_principal *p, const char *action,
                       const char *resource, struct policy_decision *d)
{
    struct policy_request rq;
    const struct id_principal *r = resource[0] != '/' ? id_find(&s->ids, resource) : NULL;

    memset(&rq, 0, sizeof(rq));
    rq.proposer.name = p->name;
    rq.proposer.kind = p->kind;
    rq.proposer.parent = p->parent;
    rq.action = action;
    rq.resource.name = resource;
    rq.resource.kind = r != NULL ? r->kind : ID_KIND_NONE;
    rq.resource.parent = r != NULL ? r->parent : "";
    for (const char *q = r != NULL ? r->parent : "";
         q[0] != '\0' && rq.resource.nissuers < POLICY_CHAIN_MAX;) {
        const struct id_principal *up = id_find(&s->ids, q);
        rq.resource.issuers[rq.resource.nissuers++] = q;
        q = up != NULL ? up->parent : "";
    }
    policy_eval(&s->pol, &rq, d);
}

int ax_fs_decide_policy(const struct ax_state *s, const struct ax_action *a,
                        const struct id_principal *p, struct policy_decision *d, char *why,
                        size_t cap)
{
    const char *action = a->kind == AX_FS_QUOTA ? AX_FS_QUOTA_ACTION : AX_FS_WRITE_ACTION;
    const char *res = a->kind == AX_FS_QUOTA ? a->name : a->fs.path;

    ax_fs_eval(s, p, action, res, d);
    if (d->allow && a->kind == AX_FS_MV) {
        res = a->fs.to;
        ax_fs_eval(s, p, action, res, d);
    }
    if (d->allow) {
        return 0;
    }
    if (d->rule == POLICY_DEFAULT_RULE) {
        ax_fs_why(why, cap, "no rule allows %s %s %s (default deny)", p->name, action, res);
    } else {
        ax_fs_why(why, cap, "rule #%u denies %s %s %s", (unsigned)d->rule, p->name, action, res);
    }
    return ZERR_DENIED;
}

/* ---- perform ---- */

void ax_fs_perform(struct ax_state *s, const struct ax_action *a)
{
    struct fs *ns = ax_fs_bind(s);
    int err;

    switch (a->kind) {
    case AX_FS_PUT:
        err = fs_put(ns, a->fs.path, a->proposer, a->fs.mode, a->fs.hash, a->fs.size);
        break;
    case AX_FS_MKDIR:
        err = fs_mkdir(ns, a->fs.path, a->proposer, a->fs.mode);
        break;
    case AX_FS_RM:
        err = fs_delete(ns, a->fs.path);
        break;
    case AX_FS_RMDIR:
        err = fs_rmdir(ns, a->fs.path);
        break;
    case AX_FS_MV:
        err = fs_rename(ns, a->fs.path, a->fs.to);
        break;
    default:
        err = fs_set_quota(ns, a->name, a->fs.size);
        break;
    }
    ZASSERT(err == 0, "a decided filesystem action applies");
    if (a->kind == AX_FS_PUT || a->kind == AX_FS_MKDIR || a->kind == AX_FS_MV) {
        fs_stamp(ns, a->kind == AX_FS_MV ? a->fs.to : a->fs.path, s->applied);
    }
    s->fs.on = true;
    s->fs.dirty = true;
}

void ax_fs_describe(const struct ax_action *a, char *out, size_t cap)
{
    char hex[2 * CAS_HASH + 1];

    switch (a->kind) {
    case AX_FS_PUT:
        zfmt_hex(hex, a->fs.hash, CAS_HASH);
        zfmt_snprintf(out, cap, "%s %llu bytes %.16s", a->fs.path, (unsigned long long)a->fs.size,
                      hex);
        break;
    case AX_FS_MV:
        zfmt_snprintf(out, cap, "%s -> %s", a->fs.path, a->fs.to);
        break;
    case AX_FS_QUOTA:
        zfmt_snprintf(out, cap, "%s %llu bytes", a->name, (unsigned long long)a->fs.size);
        break;
    default:
        zfmt_snprintf(out, cap, "%s", a->fs.path);
        break;
    }
}
