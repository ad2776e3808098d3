/*
 * The node's content store as the jobs service uses it: the store on the
 * disk's CAS region, opened with memory from hal_page_alloc.  A commit
 * keeps the client root (the filesystem's namespace) as it was opened.
 */
#include "base/errors.h"
#include "base/string.h"
#include "hal/hal.h"
#include "services/jobs/jobs.h"

#define JS_TAB 8192u
#define JS_LIST_CHUNKS 1024u

static void *js_pages(size_t bytes)
{
    return hal_page_alloc((bytes + HAL_PAGE_SIZE - 1) / HAL_PAGE_SIZE);
}

static void js_unpages(void *p, size_t bytes)
{
    if (p != NULL) {
        hal_page_free(p, (bytes + HAL_PAGE_SIZE - 1) / HAL_PAGE_SIZE);
    }
}

static size_t js_map_bytes(uint64_t len)
{
    return SPACE_MAP_BYTES(len / SPACE_BLOCK);
}

void jobs_store_close(struct jobs_store *s)
{
    struct store_mem *m = &s->mem;

    js_unpages(m->tab, (size_t)m->tab_cap * sizeof(struct cas_obj));
    js_unpages(m->chunk_buf, CAS_CHUNK_MAX);
    js_unpages(m->list_buf, m->list_cap);
    js_unpages(m->used, js_map_bytes(s->len));
    js_unpages(m->freed, js_map_bytes(s->len));
    js_unpages(m->root, m->root_cap);
    memset(s, 0, sizeof(*s));
}

int jobs_store_open(struct jobs_store *s, struct blk *dev, uint64_t base, uint64_t len)
{
    struct store_mem *m = &s->mem;
    const uint8_t *app = NULL;
    int err;

    memset(s, 0, sizeof(*s));
    s->len = len;
    m->tab_cap = JS_TAB;
    m->tab = js_pages((size_t)JS_TAB * sizeof(struct cas_obj));
    m->chunk_buf = js_pages(CAS_CHUNK_MAX);
    m->list_cap = CAS_LIST_HEADER + (size_t)JS_LIST_CHUNKS * CAS_LIST_ENTRY;
    m->list_buf = js_pages(m->list_cap);
    m->used = js_pages(js_map_bytes(len));
    m->freed = js_pages(js_map_bytes(len));
    m->root_cap =
        STORE_ROOT_HEADER + JOBS_APP_MAX + CAS_INDEX_HEADER + (size_t)JS_TAB * CAS_INDEX_RECORD;
    m->root = js_pages(m->root_cap);
    if (m->tab == NULL || m->chunk_buf == NULL || m->list_buf == NULL || m->used == NULL ||
        m->freed == NULL || m->root == NULL) {
        jobs_store_close(s);
        return ZERR_NOMEM;
    }
    err = store_open(&s->st, dev, base, len, m, &app, &s->app_len);
    if (err == 0 && s->app_len > JOBS_APP_MAX) {
        err = ZERR_LIMIT;
    }
    if (err != 0) {
        jobs_store_close(s);
        return err;
    }
    memcpy(s->app, app, s->app_len);
    return 0;
}

int jobs_store_commit(void *ctx)
{
    struct jobs_store *s = ctx;

    return store_commit(&s->st, s->app, s->app_len);
}
