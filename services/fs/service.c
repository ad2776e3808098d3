/*
 * The filesystem service: content into the store (durable), then the
 * fs.put entry that names it; verified reads by path; garbage collection
 * against the namespace in the Axiom's state.
 */
#include "services/fs/service.h"

#include "base/errors.h"
#include "base/fmt.h"
#include "base/string.h"
#include "hal/hal.h"

#define FSSVC_OBJECTS 16384u            /* index slots (a power of two) */
#define FSSVC_LIST_BYTES (1024u * 1024) /* a list of 29 000 chunks: files of about 2 GiB */

static size_t fssvc_pages(size_t bytes)
{
    return (bytes + HAL_PAGE_SIZE - 1) / HAL_PAGE_SIZE;
}

/* Allocates slot i of the store's memory. */
static void *fssvc_alloc(struct fssvc *s, int i, size_t bytes)
{
    s->mem_pages[i] = fssvc_pages(bytes);
    return hal_page_alloc(s->mem_pages[i]);
}

static void fssvc_free_mem(struct fssvc *s)
{
    void *p[7] = {s->mem.tab,  s->mem.chunk_buf, s->mem.list_buf,
                  s->mem.used, s->mem.freed,     s->mem.root,
                  NULL};

    for (int i = 0; i < 6; i++) {
        if (p[i] != NULL) {
            hal_page_free(p[i], s->mem_pages[i]);
        }
    }
    memset(&s->mem, 0, sizeof(s->mem));
}

int fssvc_open(struct fssvc *s, struct blk *dev, uint64_t base, uint64_t len)
{
    const uint8_t *app = NULL;
    size_t app_len = 0;
    size_t map = SPACE_MAP_BYTES(len / SPACE_BLOCK);

    s->open = false;
    s->mem.tab_cap = FSSVC_OBJECTS;
    s->mem.tab = fssvc_alloc(s, 0, FSSVC_OBJECTS * sizeof(struct cas_obj));
    s->mem.chunk_buf = fssvc_alloc(s, 1, CAS_CHUNK_MAX);
    s->mem.list_cap = FSSVC_LIST_BYTES;
    s->mem.list_buf = fssvc_alloc(s, 2, FSSVC_LIST_BYTES);
    s->mem.used = fssvc_alloc(s, 3, map);
    s->mem.freed = fssvc_alloc(s, 4, map);
    s->mem.root_cap = STORE_ROOT_HEADER + CAS_INDEX_HEADER + FSSVC_OBJECTS * CAS_INDEX_RECORD;
    s->mem.root = fssvc_alloc(s, 5, s->mem.root_cap);
    if (s->mem.tab == NULL || s->mem.chunk_buf == NULL || s->mem.list_buf == NULL ||
        s->mem.used == NULL || s->mem.freed == NULL || s->mem.root == NULL) {
        fssvc_free_mem(s);
        return ZERR_NOMEM;
    }
    int err = store_open(&s->st, dev, base, len, &s->mem, &app, &app_len);
    if (err != 0) {
        fssvc_free_mem(s);
        return err;
    }
    s->open = true;
    return 0;
}

void fssvc_close(struct fssvc *s)
{
    if (s->open) {
        fssvc_free_mem(s);
        s->open = false;
    }
}

/* The Axiom's state (read-only), or NULL. */
static const struct ax_state *fssvc_state(struct fssvc *s)
{
    const struct ax_state *st = NULL;
    struct rt_msg m = {AXIOM_OP_STATE, NULL, 0, &st, sizeof(const struct ax_state *), 0};

    return rt_call(s->rt, s->self, s->h_axiom, &m) == 0 ? st : NULL;
}

/* The content a put stores: the data, or for an append the old content
 * and the data in *buf (pages the caller frees). */
static int fssvc_content(struct fssvc *s, const struct fs_node *old, const struct fssvc_put *rq,
                         uint8_t **buf, size_t *pages, uint64_t *total)
{
    size_t got = 0;

    *buf = NULL;
    *total = rq->len;
    if (!rq->append || old == NULL || old->size == 0) {
        return 0;
    }
    *total = old->size + rq->len;
    *pages = fssvc_pages((size_t)*total);
    *buf = hal_page_alloc(*pages);
    if (*buf == NULL) {
        return ZERR_NOMEM;
    }
    int err = cas_read(&s->st.cas, old->hash, 0, *buf, (size_t)old->size, &got, NULL);
    if (err == 0 && rq->len > 0) {
        memcpy(*buf + old->size, rq->data, (size_t)rq->len);
    }
    return err;
}

/* Stores len bytes and makes them durable; *hash names them. */
static int fssvc_store(struct fssvc *s, const void *p, uint64_t len, uint8_t hash[CAS_HASH],
                       struct axiom_result *res)
{
    int err = cas_put(&s->st.cas, p, len, hash, NULL);

    if (err == 0) {
        err = store_commit(&s->st, NULL, 0);
    }
    if (err != 0) {
        zfmt_snprintf(res->why, sizeof(res->why), "cannot store the content: %s%s", zerr_text(err),
                      err == ZERR_FULL ? " (the store is full; try fs gc)" : "");
    }
    return err;
}

static int fssvc_put_file(struct fssvc *s, const struct fssvc_put *rq, struct axiom_result *res)
{
    const struct ax_state *st = fssvc_state(s);
    struct fs view;
    struct fs_node old;
    struct ax_action a;
    uint8_t *buf = NULL;
    size_t pages = 0;
    uint64_t total = 0;

    if (st == NULL) {
        return ZERR_IO;
    }
    bool exists = fs_stat(ax_state_fs(st, &view), rq->path, &old) == 0 && old.kind == FS_FILE;
    memset(&a, 0, sizeof(a));
    int err = fssvc_content(s, exists ? &old : NULL, rq, &buf, &pages, &total);
    if (err == 0) {
        err = fssvc_store(s, buf != NULL ? buf : rq->data, total, a.fs.hash, res);
    } else {
        zfmt_snprintf(res->why, sizeof(res->why), "cannot read %s to append: %s", rq->path,
                      zerr_text(err));
    }
    if (buf != NULL) {
        hal_page_free(buf, pages);
    }
    if (err != 0) {
        return err;
    }
    a.kind = AX_FS_PUT;
    memcpy(a.proposer, rq->proposer, sizeof(a.proposer));
    memcpy(a.fs.path, rq->path, sizeof(a.fs.path));
    a.fs.size = total;
    a.fs.mode = rq->mode;
    return axiom_submit(s->rt, s->self, s->h_axiom, &a, res);
}

static int fssvc_put(struct fssvc *s, struct rt_msg *m)
{
    struct fssvc_put rq;
    struct axiom_result *res = m->out;

    if (m->in == NULL || m->in_len != sizeof(rq) || res == NULL || m->out_cap < sizeof(*res)) {
        return ZERR_INVAL;
    }
    memcpy(&rq, m->in, sizeof(rq));
    rq.path[FS_PATH_MAX] = '\0';
    rq.proposer[ID_NAME_MAX] = '\0';
    memset(res, 0, sizeof(*res));
    m->out_len = sizeof(*res);
    if (rq.data == NULL && rq.len != 0) {
        return ZERR_INVAL;
    }
    res->err = fssvc_put_file(s, &rq, res);
    return res->err;
}

/* Reads from rq->off into m->out, verified; a damaged chunk is named. */
static int fssvc_read(struct fssvc *s, struct rt_msg *m)
{
    const struct fssvc_read *in = m->in;
    struct fssvc_read rq;
    const struct ax_state *st = fssvc_state(s);
    struct fs view;
    struct fs_fault f;
    size_t got = 0;

    if (in == NULL || m->in_len != sizeof(rq) || in->why == NULL || m->out == NULL || st == NULL) {
        return ZERR_INVAL;
    }
    rq = *in;
    rq.path[FS_PATH_MAX] = '\0';
    rq.why[0] = '\0';
    const struct fs *ns = ax_state_fs(st, &view);
    struct fs reader = *ns;
    reader.cas = &s->st.cas;
    int err = fs_read(&reader, rq.path, rq.off, m->out, m->out_cap, &got, &f);
    if (err == ZERR_CORRUPT) {
        (void)fs_fault_text(&f, rq.why, FSSVC_WHY_MAX);
    }
    m->out_len = got;
    return err;
}

void fssvc_usage(const struct fssvc *s, const struct fs *ns, struct fssvc_usage *u)
{
    memset(u, 0, sizeof(*u));
    u->region_bytes = space_total_blocks(&s->st.sp) * SPACE_BLOCK;
    u->used_bytes = u->region_bytes - space_free_blocks(&s->st.sp) * SPACE_BLOCK;
    u->objects = s->st.cas.count;
    for (uint32_t i = 0; i < ns->count; i++) {
        if (ns->nodes[i].kind == FS_FILE) {
            u->files++;
            u->file_bytes += ns->nodes[i].size;
        } else {
            u->dirs++;
        }
    }
}

/* Marks every file of the committed namespace, sweeps the rest and
 * commits the store. */
static int fssvc_gc(struct fssvc *s, struct rt_msg *m, bool sweep)
{
    const struct ax_state *st = fssvc_state(s);
    struct fs view;
    struct fssvc_usage *u = m->out;
    uint64_t swept = 0;
    int err = 0;

    if (st == NULL || u == NULL || m->out_cap < sizeof(*u)) {
        return ZERR_INVAL;
    }
    const struct fs *ns = ax_state_fs(st, &view);
    if (sweep) {
        struct fs marker = *ns;
        marker.cas = &s->st.cas;
        swept = fs_gc(&marker);
        err = store_commit(&s->st, NULL, 0);
    }
    fssvc_usage(s, ns, u);
    u->swept = swept;
    m->out_len = sizeof(*u);
    return err;
}

int fssvc_handle(void *self, uint64_t badge, struct rt_msg *m)
{
    struct fssvc *s = self;

    (void)badge;
    if (!s->open) {
        return ZERR_IO;
    }
    switch (m->op) {
    case FSSVC_OP_PUT:
        return fssvc_put(s, m);
    case FSSVC_OP_READ:
        return fssvc_read(s, m);
    case FSSVC_OP_GC:
        return fssvc_gc(s, m, true);
    case FSSVC_OP_DF:
        return fssvc_gc(s, m, false);
    default:
        return ZERR_UNSUPPORTED;
    }
}
