/*
 * The filesystem's queries to the Axiom: one node by path, and a page of
 * the namespace (a directory's children, or every node under a path).
 * The namespace lives in the Axiom's state; a reader gets copies as bytes
 * (docs/services.md, "Messages are bytes").
 */
#include "base/errors.h"
#include "base/string.h"
#include "services/axiom/service.h"
#include "svcrt/wire.h"

void axiom_fs_node_put(struct wire_out *w, const struct fs_node *n)
{
    wire_str(w, n->path, AXIOM_PATH_FIELD);
    wire_str(w, n->owner, FS_OWNER_MAX + 1);
    wire_bytes(w, n->hash, CAS_HASH);
    wire_u64(w, n->size);
    wire_u32(w, n->mode);
    wire_u8(w, n->kind);
    wire_u64(w, n->changed);
}

void axiom_fs_node_get(struct wire_in *r, struct fs_node *n)
{
    memset(n, 0, sizeof(*n));
    wire_get_str(r, n->path, AXIOM_PATH_FIELD);
    wire_get_str(r, n->owner, FS_OWNER_MAX + 1);
    wire_get_bytes(r, n->hash, CAS_HASH);
    n->size = wire_get_u64(r);
    n->mode = wire_get_u32(r);
    n->kind = wire_get_u8(r);
    n->changed = wire_get_u64(r);
    if (r->err == 0 && n->kind != FS_FILE && n->kind != FS_DIR) {
        r->err = ZERR_INVAL;
    }
}

/* Decodes a path field; 0, the wire's error, or ZERR_INVAL for a bad path. */
static int axfs_get_path(struct wire_in *r, char path[AXIOM_PATH_FIELD])
{
    wire_get_str(r, path, AXIOM_PATH_FIELD);
    if (r->err == 0 && fs_path_problem(path, strlen(path)) != NULL) {
        r->err = ZERR_INVAL;
    }
    return r->err;
}

int axiom_fs_stat_reply(const struct ax_state *st, struct rt_msg *m)
{
    char path[AXIOM_PATH_FIELD];
    struct wire_in r;
    struct wire_out w;
    struct fs view;
    struct fs_node n;

    wire_in_init(&r, m->in, m->in_len);
    (void)axfs_get_path(&r, path);
    int err = wire_in_end(&r);
    if (err != 0) {
        return err;
    }
    err = fs_stat(ax_state_fs(st, &view), path, &n);
    if (err != 0) {
        return err;
    }
    wire_out_init(&w, m->out, m->out_cap);
    axiom_fs_node_put(&w, &n);
    return wire_out_end(&w, &m->out_len);
}

/* True when node path p is a child of dir d (all: at any depth). */
static bool axfs_under(const char *d, const char *p, bool all)
{
    size_t dn = strcmp(d, "/") == 0 ? 0 : strlen(d);

    if (strncmp(p, d, dn) != 0 || p[dn] != '/' || p[dn + 1] == '\0') {
        return false;
    }
    return all || strchr(p + dn + 1, '/') == NULL;
}

int axiom_fs_list_reply(const struct ax_state *st, struct rt_msg *m)
{
    char path[AXIOM_PATH_FIELD];
    struct wire_in r;
    struct wire_out w;
    struct fs view;
    struct fs_node dir;

    wire_in_init(&r, m->in, m->in_len);
    (void)axfs_get_path(&r, path);
    bool all = wire_get_bool(&r);
    uint32_t first = wire_get_u32(&r);
    int err = wire_in_end(&r);
    const struct fs *ns = ax_state_fs(st, &view);
    if (err == 0) {
        err = fs_stat(ns, path, &dir);
    }
    if (err != 0 || dir.kind != FS_DIR || m->out_cap < 8) {
        return err != 0 ? err : dir.kind != FS_DIR ? ZERR_PERM : ZERR_RANGE;
    }
    uint32_t total = 0;
    for (uint32_t i = 0; i < ns->count; i++) {
        total += axfs_under(path, ns->nodes[i].path, all) ? 1u : 0u;
    }
    if (first > total) {
        return ZERR_RANGE;
    }
    uint32_t n = total - first;
    if (n > (m->out_cap - 8) / AXIOM_FS_NODE_LEN) {
        n = (uint32_t)((m->out_cap - 8) / AXIOM_FS_NODE_LEN);
    }
    wire_out_init(&w, m->out, m->out_cap);
    wire_u32(&w, total);
    wire_u32(&w, n);
    for (uint32_t i = 0, seen = 0, put = 0; i < ns->count && put < n; i++) {
        if (axfs_under(path, ns->nodes[i].path, all) && seen++ >= first) {
            axiom_fs_node_put(&w, &ns->nodes[i]);
            put++;
        }
    }
    return wire_out_end(&w, &m->out_len);
}

int axiom_fs_stat(struct rt *rt, uint32_t caller, uint32_t h, const char *path, struct fs_node *out)
{
    uint8_t in[AXIOM_PATH_FIELD], buf[AXIOM_FS_NODE_LEN];
    struct wire_out w;
    struct wire_in r;
    size_t len;

    wire_out_init(&w, in, sizeof(in));
    wire_str(&w, path, AXIOM_PATH_FIELD);
    int err = wire_out_end(&w, &len);
    if (err != 0) {
        return ZERR_INVAL;
    }
    struct rt_msg m = {AXIOM_OP_FS_STAT, in, len, buf, sizeof(buf), 0};
    err = rt_call(rt, caller, h, &m);
    if (err != 0) {
        return err;
    }
    wire_in_init(&r, buf, m.out_len);
    axiom_fs_node_get(&r, out);
    return wire_in_end(&r) != 0 ? ZERR_CORRUPT : 0;
}

int axiom_fs_list(struct rt *rt, uint32_t caller, uint32_t h, const char *path, bool all,
                  uint32_t first, struct fs_node *out, uint32_t cap, uint32_t *n, uint32_t *total)
{
    static uint8_t buf[8u + AXIOM_FS_LIST_PAGE * AXIOM_FS_NODE_LEN];
    uint8_t in[AXIOM_PATH_FIELD + 5];
    struct wire_out w;
    struct wire_in r;
    size_t len, room = 8u + (size_t)(cap < AXIOM_FS_LIST_PAGE ? cap : AXIOM_FS_LIST_PAGE) *
                                AXIOM_FS_NODE_LEN;

    *n = *total = 0;
    wire_out_init(&w, in, sizeof(in));
    wire_str(&w, path, AXIOM_PATH_FIELD);
    wire_u8(&w, all ? 1 : 0);
    wire_u32(&w, first);
    if (wire_out_end(&w, &len) != 0) {
        return ZERR_INVAL;
    }
    struct rt_msg m = {AXIOM_OP_FS_LIST, in, len, buf, room, 0};
    int err = rt_call(rt, caller, h, &m);
    if (err != 0) {
        return err;
    }
    wire_in_init(&r, buf, m.out_len);
    *total = wire_get_u32(&r);
    *n = wire_get_u32(&r);
    if (r.err != 0 || *n > cap || *n > *total - (first < *total ? first : *total)) {
        *n = 0;
        return ZERR_CORRUPT;
    }
    for (uint32_t i = 0; i < *n; i++) {
        axiom_fs_node_get(&r, &out[i]);
    }
    return wire_in_end(&r) != 0 ? ZERR_CORRUPT : 0;
}
