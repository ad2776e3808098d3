/*
 * Garbage collection: objects no live file reaches are released.
 */
#include "base/errors.h"
#include "base/string.h"
#include "services/cas/internal/cas.h"

int cas_mark(struct cas *c, const uint8_t hash[CAS_HASH])
{
    struct cas_obj *o = cas_find(c, hash);
    struct cas_list l;

    if (o == NULL) {
        return ZERR_NOENT;
    }
    o->mark = 1;
    if (o->kind != CAS_FILE) {
        return 0;
    }
    struct cas_obj *lo = cas_find(c, o->ref);
    if (lo != NULL) {
        lo->mark = 1;
    }
    int err = cas_load_list(c, o, &l, NULL);
    if (err != 0) {
        return err;
    }
    for (uint32_t i = 0; i < l.count; i++) {
        uint32_t len;
        struct cas_obj *ch = cas_find(c, cas_list_chunk(&l, i, &len));
        if (ch != NULL) {
            ch->mark = 1;
        }
    }
    return 0;
}

/* Re-inserts every entry once, starting after an empty slot, so probe
 * chains broken by removed entries close up (each entry moves only towards
 * its home slot). */
static void cas_rehash(struct cas *c)
{
    uint32_t e = 0;

    while (c->tab[e].kind != CAS_EMPTY) {
        e++;
    }
    for (uint32_t k = 1; k <= c->cap; k++) {
        struct cas_obj *o = &c->tab[(e + k) & (c->cap - 1)];
        if (o->kind == CAS_EMPTY) {
            continue;
        }
        struct cas_obj tmp = *o;
        o->kind = CAS_EMPTY;
        *cas_slot(c, tmp.hash) = tmp;
    }
}

uint64_t cas_sweep(struct cas *c)
{
    uint64_t dropped = 0;

    for (uint32_t i = 0; i < c->cap; i++) {
        struct cas_obj *o = &c->tab[i];
        if (o->kind != CAS_EMPTY && !o->mark) {
            if (o->kind == CAS_DATA && o->len > 0) {
                c->ops->release(c->space, o->loc, o->len);
            }
            memset(o, 0, sizeof(*o));
            c->count--;
            dropped++;
        }
        o->mark = 0;
    }
    if (dropped > 0) {
        cas_rehash(c);
    }
    return dropped;
}
