/*
 * Store: a CAS whose objects are space extents, committed with a client root.
 */
#include "services/store/store.h"

#include "base/endian.h"
#include "base/errors.h"
#include "base/string.h"

static const uint8_t root_magic[8] = {'Z', 'S', 'T', 'O', 'R', 'E', 0, 1};

static int store_write(void *sp, const void *p, uint32_t n, uint64_t *loc)
{
    return space_put(sp, p, n, loc);
}

static int store_read(void *sp, uint64_t loc, void *p, uint32_t n)
{
    return space_get(sp, loc, p, n);
}

static void store_release(void *sp, uint64_t loc, uint32_t n)
{
    space_free(sp, loc, n);
}

const struct cas_space_ops store_space_ops = {store_write, store_read, store_release};

/* Decodes a committed root: the client part and the index; marks extents. */
static int store_load(struct store *st, size_t n, const uint8_t **app, size_t *app_len)
{
    const uint8_t *r = st->mem.root;

    if (n == 0) {
        return 0; /* freshly formatted */
    }
    if (n < STORE_ROOT_HEADER || memcmp(r, root_magic, sizeof(root_magic)) != 0) {
        return ZERR_CORRUPT;
    }
    uint64_t alen = le64_get(r + 8);
    if (alen > n - STORE_ROOT_HEADER) {
        return ZERR_CORRUPT;
    }
    int err = cas_index_decode(&st->cas, r + STORE_ROOT_HEADER + alen,
                               n - STORE_ROOT_HEADER - (size_t)alen);
    for (uint32_t i = 0; i < st->cas.cap && err == 0; i++) {
        const struct cas_obj *o = &st->cas.tab[i];
        if (o->kind == CAS_DATA && o->len > 0) {
            err = space_mark(&st->sp, o->loc, o->len);
        }
    }
    *app = r + STORE_ROOT_HEADER;
    *app_len = (size_t)alen;
    return err == ZERR_TRUNCATED ? ZERR_CORRUPT : err;
}

int store_open(struct store *st, struct blk *dev, uint64_t base, uint64_t len,
               const struct store_mem *mem, const uint8_t **app, size_t *app_len)
{
    size_t n = 0;
    int err;

    memset(st, 0, sizeof(*st));
    st->mem = *mem;
    *app = mem->root;
    *app_len = 0;
    cas_init(&st->cas, &store_space_ops, &st->sp, mem->tab, mem->tab_cap, mem->chunk_buf,
             mem->list_buf, mem->list_cap);
    err = space_mount(&st->sp, dev, base, len, mem->used, mem->freed);
    if (err == ZERR_NOENT) {
        err = space_format(dev, base, len, NULL, NULL);
        if (err == 0) {
            err = space_mount(&st->sp, dev, base, len, mem->used, mem->freed);
        }
    }
    if (err == 0) {
        err = space_read_root(&st->sp, mem->root, mem->root_cap, &n);
    }
    if (err != 0) {
        return err;
    }
    return store_load(st, n, app, app_len);
}

int store_commit(struct store *st, const uint8_t *app, size_t app_len)
{
    size_t idx = cas_index_size(&st->cas), n;
    uint8_t *r = st->mem.root;

    if (STORE_ROOT_HEADER + app_len + idx > st->mem.root_cap) {
        return ZERR_LIMIT;
    }
    if (app_len > 0) {
        memmove(r + STORE_ROOT_HEADER, app, app_len);
    }
    memcpy(r, root_magic, sizeof(root_magic));
    le64_put(r + 8, app_len);
    int err = cas_index_encode(&st->cas, r + STORE_ROOT_HEADER + app_len,
                               st->mem.root_cap - STORE_ROOT_HEADER - app_len, &n);
    if (err != 0) {
        return err;
    }
    return space_commit(&st->sp, r, STORE_ROOT_HEADER + app_len + n);
}
