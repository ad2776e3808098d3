/*
 * The filesystem service: content into the store (durable), then the
 * fs.put entry that names it; verified reads by path; garbage collection
 * against the namespace in the Axiom's state.
 */
#include "services/fs/service.h"

#include "base/errors.h"
#include "base/fmt.h"
#include "base/endian.h"
#include "base/string.h"
#include "hal/hal.h"
#include "svcrt/wire.h"

/* index slots (a power of two): a put needs room for one chunk per 16 KiB
 * at worst, so files of up to about 220 MiB */
#define FSSVC_OBJECTS 16384u
#define FSSVC_LIST_BYTES (512u * 1024) /* a list of 14 500 chunks */

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

/* The store's client root: the effects cursor (docs/formats.md "File
 * store on a node"): magic, entries done, the hash of the last of them. */
static const uint8_t fssvc_fx_magic[8] = {'Z', 'F', 'S', 'F', 'X', 0, 0, 1};
#define FSSVC_FX_LEN (8 + 8 + AX_HASH_LEN)

static int fssvc_cursor_decode(struct fssvc *s, const uint8_t *p, size_t n)
{
    s->fx_done = 0;
    memset(s->fx_head, 0, sizeof(s->fx_head));
    if (n == 0) {
        return 0;
    }
    if (n != FSSVC_FX_LEN || memcmp(p, fssvc_fx_magic, 8) != 0) {
        return ZERR_CORRUPT;
    }
    s->fx_done = le64_get(p + 8);
    memcpy(s->fx_head, p + 16, AX_HASH_LEN);
    return 0;
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
    if (err == 0) {
        err = fssvc_cursor_decode(s, app, app_len);
    }
    if (err != 0) {
        fssvc_free_mem(s);
        return err;
    }
    s->open = true;
    uint64_t swept = 0;
    return fssvc_drive(s, false, &swept);
}

/* Drops the staged put, if any. */
static void fssvc_stage_drop(struct fssvc *s)
{
    if (s->stage != NULL) {
        hal_page_free(s->stage, s->stage_pages);
    }
    s->stage = NULL;
    s->stage_pages = 0;
    s->stage_token = 0;
    s->stage_total = s->stage_len = 0;
}

/* Forgets the read window (its memory stays for the next one). */
static void fssvc_win_drop(struct fssvc *s)
{
    s->win_len = 0;
}

void fssvc_close(struct fssvc *s)
{
    fssvc_stage_drop(s);
    if (s->win != NULL) {
        hal_page_free(s->win, fssvc_pages(FSSVC_READ_WINDOW));
        s->win = NULL;
    }
    s->win_len = 0;
    if (s->open) {
        fssvc_free_mem(s);
        s->open = false;
    }
}

/* The node at path, by a query to the Axiom. */
static int fssvc_stat(struct fssvc *s, const char *path, struct fs_node *n)
{
    return axiom_fs_stat(s->rt, s->self, s->h_axiom, path, n);
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
    struct fs_node old;
    struct ax_action a;
    uint8_t *buf = NULL;
    size_t pages = 0;
    uint64_t total = 0;

    int err = fssvc_stat(s, rq->path, &old);
    if (err != 0 && err != ZERR_NOENT) {
        zfmt_snprintf(res->why, sizeof(res->why), "cannot ask the Axiom about %s: %s", rq->path,
                      zerr_text(err));
        return err;
    }
    bool exists = err == 0 && old.kind == FS_FILE;
    memset(&a, 0, sizeof(a));
    err = fssvc_content(s, exists ? &old : NULL, rq, &buf, &pages, &total);
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
    err = axiom_submit(s->rt, s->self, s->h_axiom, &a, res);
    if (err == 0) {
        uint64_t swept = 0;
        (void)fssvc_drive(s, false, &swept); /* a failure is re-driven later */
    }
    return err;
}

static int fssvc_put(struct fssvc *s, struct rt_msg *m)
{
    struct fssvc_put rq;
    struct axiom_result res;

    if (m->out_cap < AXIOM_RESULT_LEN) {
        return ZERR_RANGE;
    }
    memset(&res, 0, sizeof(res));
    int err = fssvc_put_decode(m->in, m->in_len, &rq);
    if (err != 0) {
        zfmt_snprintf(res.why, sizeof(res.why), "malformed put message: %s", zerr_text(err));
    } else {
        err = fssvc_put_file(s, &rq, &res);
    }
    res.err = err;
    int e = axiom_result_encode(&res, m->out, m->out_cap, &m->out_len);
    return err != 0 ? err : e;
}

/*
 * One part of a staged put.  Offset 0 (token 0) drops any stream before it
 * and starts one of total bytes, with memory for all of them; the others
 * must carry its token and continue exactly where the last part ended.
 * Replies the token.  One stream at a time: a client whose stream another
 * one replaced gets ZERR_AGAIN.
 */
static int fssvc_part(struct fssvc *s, struct rt_msg *m)
{
    struct fssvc_part p;
    int err = fssvc_part_decode(m->in, m->in_len, &p);

    if (err == 0 && m->out_cap < 8) {
        err = ZERR_RANGE;
    }
    if (err == 0 && p.offset == 0) {
        fssvc_stage_drop(s);
        s->stage_pages = fssvc_pages(p.total > 0 ? (size_t)p.total : 1);
        s->stage = hal_page_alloc(s->stage_pages);
        if (s->stage == NULL) {
            s->stage_pages = 0;
            return ZERR_NOMEM;
        }
        s->stage_token = ++s->stage_next;
        s->stage_total = p.total;
    } else if (err == 0 && (p.token != s->stage_token || s->stage == NULL)) {
        err = ZERR_AGAIN;
    } else if (err == 0 && (p.offset != s->stage_len || p.total != s->stage_total)) {
        err = ZERR_INVAL;
    }
    if (err != 0) {
        return err;
    }
    memcpy(s->stage + p.offset, p.data, p.len);
    s->stage_len = p.offset + p.len;
    le64_put(m->out, s->stage_token);
    m->out_len = 8;
    return 0;
}

/* Puts the staged content (all of it must have come) as one file. */
static int fssvc_put_staged(struct fssvc *s, struct rt_msg *m)
{
    struct fssvc_put rq;
    struct axiom_result res;
    uint64_t token = 0;

    if (m->out_cap < AXIOM_RESULT_LEN) {
        return ZERR_RANGE;
    }
    memset(&res, 0, sizeof(res));
    int err = fssvc_staged_decode(m->in, m->in_len, &token, &rq);
    if (err != 0) {
        zfmt_snprintf(res.why, sizeof(res.why), "malformed staged put: %s", zerr_text(err));
    } else if (token != s->stage_token || s->stage == NULL) {
        err = ZERR_AGAIN;
        zfmt_snprintf(res.why, sizeof(res.why), "no such staged put (another put replaced it)");
    } else if (s->stage_len != s->stage_total) {
        err = ZERR_INVAL;
        zfmt_snprintf(res.why, sizeof(res.why), "the staged put has %llu of its %llu bytes",
                      (unsigned long long)s->stage_len, (unsigned long long)s->stage_total);
    } else {
        rq.data = s->stage;
        rq.len = s->stage_total;
        err = fssvc_put_file(s, &rq, &res);
        fssvc_stage_drop(s);
    }
    res.err = err;
    int e = axiom_result_encode(&res, m->out, m->out_cap, &m->out_len);
    return err != 0 ? err : e;
}

/*
 * Reads up to cap bytes of content hash from off into out through the
 * window: a read inside the last window copies from it; a read smaller
 * than the window fills it first (one verified cas_read of
 * FSSVC_READ_WINDOW bytes, so a file read in small messages has each
 * chunk verified about once, not once per message).  A window that fails
 * falls back to reading just the bytes asked for, so an error names what
 * that read touches, as without the window.
 */
static int fssvc_read_win(struct fssvc *s, const uint8_t hash[CAS_HASH], uint64_t off, void *out,
                          size_t cap, size_t *got, struct cas_fault *f)
{
    size_t n = 0;

    if (cap < FSSVC_READ_WINDOW && s->win == NULL) {
        s->win = hal_page_alloc(fssvc_pages(FSSVC_READ_WINDOW));
    }
    bool inside = s->win_len != 0 && memcmp(hash, s->win_hash, CAS_HASH) == 0 &&
                  off >= s->win_off && off < s->win_off + s->win_len;
    if (!inside && cap < FSSVC_READ_WINDOW && s->win != NULL) {
        s->win_len = 0;
        if (cas_read(&s->st.cas, hash, off, s->win, FSSVC_READ_WINDOW, &n, NULL) == 0 && n > 0) {
            memcpy(s->win_hash, hash, CAS_HASH);
            s->win_off = off;
            s->win_len = n;
            inside = true;
        }
    }
    if (!inside) {
        return cas_read(&s->st.cas, hash, off, out, cap, got, f);
    }
    n = (size_t)(s->win_off + s->win_len - off);
    *got = n < cap ? n : cap;
    memcpy(out, s->win + (off - s->win_off), *got);
    return 0;
}

/* Reads from rq.off into m->out, verified; a damaged chunk is named in the reply. */
static int fssvc_read(struct fssvc *s, struct rt_msg *m)
{
    struct fssvc_read rq;
    struct fs_node n;
    struct fs_fault f;
    size_t got = 0;

    int err = fssvc_read_decode(m->in, m->in_len, &rq);
    if (err == 0) {
        err = fssvc_stat(s, rq.path, &n);
    }
    if (err == 0 && n.kind != FS_FILE) {
        err = ZERR_PERM;
    }
    if (err == 0) {
        err = fssvc_read_win(s, n.hash, rq.off, m->out, m->out_cap, &got, &f.cas);
    }
    m->out_len = err == 0 ? got : 0;
    if (err == ZERR_CORRUPT) {
        char why[FSSVC_WHY_MAX];
        struct wire_out w;
        memcpy(f.path, n.path, sizeof(f.path));
        (void)fs_fault_text(&f, why, sizeof(why));
        wire_out_init(&w, m->out, m->out_cap);
        wire_str(&w, why, FSSVC_WHY_MAX);
        (void)wire_out_end(&w, &m->out_len);
    }
    return err;
}

/* Adds the nodes of one page to u; marks each file's content when mark. */
static void fssvc_count(struct fssvc *s, const struct fs_node *nodes, uint32_t n,
                        struct fssvc_usage *u, bool mark)
{
    for (uint32_t i = 0; i < n; i++) {
        if (nodes[i].kind == FS_FILE) {
            u->files++;
            u->file_bytes += nodes[i].size;
            if (mark) {
                (void)cas_mark(&s->st.cas, nodes[i].hash);
            }
        } else {
            u->dirs++;
        }
    }
}

/*
 * Counts the committed namespace into u, read in pages from the Axiom, and
 * with mark marks every file's content live.  The service runs one
 * message at a time and is the only writer of content, so no put lands
 * between two pages.  0 or the first page's error (marks made before it
 * stay: the next sweep keeps more, never less).
 */
static int fssvc_walk(struct fssvc *s, struct fssvc_usage *u, bool mark)
{
    static struct fs_node page[AXIOM_FS_LIST_PAGE];
    uint32_t got = 0, total = 0;
    int err = 0;

    for (uint32_t first = 0; err == 0 && (first == 0 || first < total); first += got) {
        err = axiom_fs_list(s->rt, s->self, s->h_axiom, "/", true, first, page, AXIOM_FS_LIST_PAGE,
                            &got, &total);
        fssvc_count(s, page, err == 0 ? got : 0, u, mark);
        if (err == 0 && got == 0) {
            break;
        }
    }
    return err;
}

int fssvc_drive(struct fssvc *s, bool force, uint64_t *swept)
{
    struct axiom_head h;
    struct fssvc_usage u;
    uint8_t root[FSSVC_FX_LEN];

    *swept = 0;
    int err = axiom_get_head(s->rt, s->self, s->h_axiom, &h);
    if (err != 0 || (!force && h.entries == s->fx_done)) {
        return err;
    }
    /* The state is the durable one: the node commits each entry before the
     * next is proposed, so nothing in flight is missing from it.  A page
     * that fails stops the collection before it sweeps. */
    memset(&u, 0, sizeof(u));
    err = fssvc_walk(s, &u, true);
    if (err != 0) {
        return err;
    }
    fssvc_win_drop(s);
    *swept = cas_sweep(&s->st.cas);
    memcpy(root, fssvc_fx_magic, 8);
    le64_put(root + 8, h.entries);
    memcpy(root + 16, h.head, AX_HASH_LEN);
    err = store_commit(&s->st, root, sizeof(root));
    if (err == 0) {
        s->fx_done = h.entries;
        memcpy(s->fx_head, h.head, AX_HASH_LEN);
    }
    return err;
}

/* Runs the pending effects (or, for fs gc, the collection in any case)
 * and replies with the usage after them. */
static int fssvc_gc(struct fssvc *s, struct rt_msg *m, bool sweep, bool force)
{
    struct fssvc_usage u;
    uint64_t swept = 0;
    int err = m->in_len == 0 ? 0 : ZERR_INVAL;

    if (err == 0 && sweep) {
        err = fssvc_drive(s, force, &swept);
    }
    memset(&u, 0, sizeof(u));
    if (err == 0) {
        err = fssvc_walk(s, &u, false);
    }
    if (err != 0) {
        return err;
    }
    u.swept = swept;
    u.region_bytes = space_total_blocks(&s->st.sp) * SPACE_BLOCK;
    u.used_bytes = u.region_bytes - space_free_blocks(&s->st.sp) * SPACE_BLOCK;
    u.objects = s->st.cas.count;
    return fssvc_usage_encode(&u, m->out, m->out_cap, &m->out_len);
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
        return fssvc_gc(s, m, true, true);
    case FSSVC_OP_DF:
        return fssvc_gc(s, m, false, false);
    case FSSVC_OP_EFFECTS:
        return fssvc_gc(s, m, true, false);
    case FSSVC_OP_PART:
        return fssvc_part(s, m);
    case FSSVC_OP_PUT_STAGED:
        return fssvc_put_staged(s, m);
    default:
        return ZERR_UNSUPPORTED;
    }
}
