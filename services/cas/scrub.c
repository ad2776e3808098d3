/*
 * Scrub: read and verify everything, then name each damaged object with
 * the files that use it.
 */
#include "base/errors.h"
#include "base/string.h"
#include "crypto/blake3.h"
#include "services/cas/internal/cas.h"

/* Pass 1: every data object is read and checked against its hash. */
static void scrub_objects(struct cas *c, struct cas_scrub_stats *st)
{
    for (uint32_t i = 0; i < c->cap; i++) {
        struct cas_obj *o = &c->tab[i];
        if (o->kind != CAS_DATA) {
            continue;
        }
        uint8_t *buf = cas_buf_for(c, o->len);
        o->damaged = 0;
        if (buf == NULL || cas_load(c, o, buf) != 0) {
            o->damaged = 1;
        }
        st->objects++;
        st->bytes += o->len;
    }
}

/* Pass 2: a chunked file whose chunks all verify must hash, whole, to its
 * name; if not, its list lies and is marked damaged. */
static void scrub_file_hash(struct cas *c, const struct cas_obj *f)
{
    struct cas_list l;
    blake3_hasher hs;
    uint8_t h[CAS_HASH];

    if (cas_load_list(c, f, &l, NULL) != 0) {
        return; /* the list is marked damaged */
    }
    blake3_init(&hs);
    for (uint32_t i = 0; i < l.count; i++) {
        uint32_t len;
        struct cas_obj *o = cas_find(c, cas_list_chunk(&l, i, &len));
        if (o == NULL || o->kind != CAS_DATA || o->damaged || o->len != len) {
            return; /* a damaged or missing chunk, reported in pass 3 */
        }
        if (cas_load(c, o, c->chunk_buf) != 0) {
            return;
        }
        blake3_update(&hs, c->chunk_buf, len);
    }
    blake3_finalize(&hs, h, CAS_HASH);
    if (memcmp(h, f->hash, CAS_HASH) != 0) {
        struct cas_obj *lo = cas_find(c, f->ref);
        lo->damaged = 1;
    }
}

/* Pass 3 for one file: reports its list or its chunks if damaged or missing. */
static uint64_t scrub_report_file(struct cas *c, const struct cas_obj *f, cas_damage_fn fn,
                                  void *ctx)
{
    const struct cas_obj *lo = cas_find(c, f->ref);
    struct cas_list l;
    uint64_t missing = 0;

    if (lo == NULL || lo->kind != CAS_DATA || lo->damaged) {
        fn(ctx, f->ref, f->hash);
        return lo == NULL ? 1 : 0;
    }
    if (cas_load_list(c, f, &l, NULL) != 0) {
        fn(ctx, f->ref, f->hash);
        return 0;
    }
    for (uint32_t i = 0; i < l.count; i++) {
        uint32_t len;
        const uint8_t *ch = cas_list_chunk(&l, i, &len);
        const struct cas_obj *o = cas_find(c, ch);
        if (o == NULL || o->kind != CAS_DATA || o->damaged || o->len != len) {
            fn(ctx, ch, f->hash);
            missing += o == NULL ? 1 : 0;
        }
    }
    return missing;
}

int cas_scrub(struct cas *c, cas_damage_fn fn, void *ctx, struct cas_scrub_stats *st)
{
    struct cas_scrub_stats local;

    st = st != NULL ? st : &local;
    memset(st, 0, sizeof(*st));
    scrub_objects(c, st);
    for (uint32_t i = 0; i < c->cap; i++) {
        if (c->tab[i].kind == CAS_FILE) {
            scrub_file_hash(c, &c->tab[i]);
        }
    }
    for (uint32_t i = 0; i < c->cap; i++) {
        const struct cas_obj *o = &c->tab[i];
        if (o->kind == CAS_DATA && o->damaged) {
            st->damaged++;
            fn(ctx, o->hash, o->hash);
        } else if (o->kind == CAS_FILE) {
            st->damaged += scrub_report_file(c, o, fn, ctx);
        }
    }
    return st->damaged == 0 ? 0 : ZERR_CORRUPT;
}
