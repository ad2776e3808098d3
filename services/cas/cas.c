/*
 * The content-addressed store: index, put, verified reads, scrub.
 */
#include "base/endian.h"
#include "base/errors.h"
#include "base/string.h"
#include "crypto/blake3.h"
#include "services/cas/internal/cas.h"

void cas_init(struct cas *c, const struct cas_space_ops *ops, void *space, struct cas_obj *tab,
              uint32_t cap, uint8_t *chunk_buf, uint8_t *list_buf, size_t list_cap)
{
    memset(c, 0, sizeof(*c));
    c->ops = ops;
    c->space = space;
    c->tab = tab;
    c->cap = cap;
    c->chunk_buf = chunk_buf;
    c->list_buf = list_buf;
    c->list_cap = list_cap;
    memset(tab, 0, (size_t)cap * sizeof(*tab));
}

struct cas_obj *cas_slot(const struct cas *c, const uint8_t hash[CAS_HASH])
{
    uint32_t i = (uint32_t)le64_get(hash) & (c->cap - 1);

    while (c->tab[i].kind != CAS_EMPTY && memcmp(c->tab[i].hash, hash, CAS_HASH) != 0) {
        i = (i + 1) & (c->cap - 1);
    }
    return &c->tab[i];
}

struct cas_obj *cas_find(const struct cas *c, const uint8_t hash[CAS_HASH])
{
    struct cas_obj *o = cas_slot(c, hash);

    return o->kind == CAS_EMPTY ? NULL : o;
}

bool cas_has(const struct cas *c, const uint8_t hash[CAS_HASH])
{
    return cas_find(c, hash) != NULL;
}

/* Slots that may still be filled: the table stays at most 7/8 full so that
 * probes end. */
static uint64_t cas_room(const struct cas *c)
{
    return c->cap - c->cap / 8 - c->count;
}

/* Stores bytes under hash unless present.  Holds: room was checked. */
static int cas_put_data(struct cas *c, const uint8_t hash[CAS_HASH], const void *p, uint32_t n,
                        struct cas_put_stats *st)
{
    struct cas_obj *o = cas_slot(c, hash);
    uint64_t loc = 0;

    if (o->kind != CAS_EMPTY) {
        return 0;
    }
    if (n > 0) {
        int err = c->ops->write(c->space, p, n, &loc);
        if (err != 0) {
            return err;
        }
    }
    memset(o, 0, sizeof(*o));
    memcpy(o->hash, hash, CAS_HASH);
    o->loc = loc;
    o->len = n;
    o->kind = CAS_DATA;
    c->count++;
    st->new_chunks++;
    st->new_bytes += n;
    return 0;
}

/* Records that the file named hash is the list named list.  Holds: room. */
static void cas_put_file(struct cas *c, const uint8_t hash[CAS_HASH], const uint8_t list[CAS_HASH])
{
    struct cas_obj *o = cas_slot(c, hash);

    if (o->kind != CAS_EMPTY) {
        return;
    }
    memset(o, 0, sizeof(*o));
    memcpy(o->hash, hash, CAS_HASH);
    memcpy(o->ref, list, CAS_HASH);
    o->kind = CAS_FILE;
    c->count++;
}

int cas_put(struct cas *c, const void *data, uint64_t len, uint8_t hash[CAS_HASH],
            struct cas_put_stats *st)
{
    const uint8_t *p = data;
    struct cas_put_stats local;
    uint8_t chunk[CAS_HASH], list[CAS_HASH];
    uint64_t off = 0;
    uint32_t n = 0;

    st = st != NULL ? st : &local;
    memset(st, 0, sizeof(*st));
    if (len / CAS_CHUNK_MIN + 3 > cas_room(c)) {
        return ZERR_FULL;
    }
    blake3_hash(data, len, hash);
    if (cas_find(c, hash) != NULL) {
        st->chunks = len == 0 ? 0 : 1; /* not re-chunked: already whole */
        return 0;
    }
    do {
        size_t cut = cas_chunk_cut(p + off, len - off);
        if (CAS_LIST_HEADER + (size_t)(n + 1) * CAS_LIST_ENTRY > c->list_cap) {
            return ZERR_LIMIT;
        }
        blake3_hash(p + off, cut, chunk);
        int err = cas_put_data(c, chunk, p + off, (uint32_t)cut, st);
        if (err != 0) {
            return err;
        }
        cas_list_put_entry(c->list_buf, n++, chunk, (uint32_t)cut);
        off += cut;
    } while (off < len);
    st->chunks = n;
    if (n == 1) {
        return 0; /* the one chunk is the file */
    }
    size_t list_len = CAS_LIST_HEADER + (size_t)n * CAS_LIST_ENTRY;
    cas_list_put_header(c->list_buf, len, hash, n);
    blake3_hash(c->list_buf, list_len, list);
    int err = cas_put_data(c, list, c->list_buf, (uint32_t)list_len, st);
    if (err != 0) {
        return err;
    }
    cas_put_file(c, hash, list);
    return 0;
}

uint8_t *cas_buf_for(const struct cas *c, uint32_t len)
{
    if (len <= CAS_CHUNK_MAX) {
        return c->chunk_buf;
    }
    return len <= c->list_cap ? c->list_buf : NULL;
}

int cas_load(struct cas *c, struct cas_obj *o, uint8_t *buf)
{
    uint8_t h[CAS_HASH];

    if (o->len > 0) {
        int err = c->ops->read(c->space, o->loc, buf, o->len);
        if (err != 0) {
            o->damaged = 1;
            return err;
        }
    }
    blake3_hash(buf, o->len, h);
    if (memcmp(h, o->hash, CAS_HASH) != 0) {
        o->damaged = 1;
        return ZERR_CORRUPT;
    }
    return 0;
}

static void cas_fault_set(struct cas_fault *f, const uint8_t object[CAS_HASH], uint32_t chunk,
                          uint64_t offset, bool is_list)
{
    if (f != NULL) {
        memcpy(f->object, object, CAS_HASH);
        f->chunk = chunk;
        f->offset = offset;
        f->is_list = is_list;
    }
}

int cas_load_list(struct cas *c, const struct cas_obj *o, struct cas_list *l, struct cas_fault *f)
{
    struct cas_obj *lo = cas_find(c, o->ref);
    int err;

    if (lo == NULL || lo->kind != CAS_DATA) {
        cas_fault_set(f, o->ref, 0, 0, true);
        return ZERR_CORRUPT;
    }
    if (lo->len > c->list_cap) {
        return ZERR_LIMIT;
    }
    err = cas_load(c, lo, c->list_buf);
    if (err == 0) {
        err = cas_list_decode(c->list_buf, lo->len, l) != 0 ? ZERR_CORRUPT : 0;
    }
    if (err == 0 && memcmp(l->file_hash, o->hash, CAS_HASH) != 0) {
        err = ZERR_CORRUPT;
    }
    if (err != 0) {
        lo->damaged = err == ZERR_CORRUPT ? 1 : lo->damaged;
        cas_fault_set(f, o->ref, 0, 0, true);
    }
    return err;
}

int cas_size(struct cas *c, const uint8_t hash[CAS_HASH], uint64_t *size, struct cas_fault *f)
{
    struct cas_obj *o = cas_find(c, hash);
    struct cas_list l;

    if (o == NULL) {
        return ZERR_NOENT;
    }
    if (o->kind == CAS_DATA) {
        *size = o->len;
        return 0;
    }
    int err = cas_load_list(c, o, &l, f);
    if (err == 0) {
        *size = l.size;
    }
    return err;
}

/* Copies the part of a verified object [start, start+len) that overlaps the
 * read [off, off+n) into buf; returns the bytes copied. */
static size_t cas_copy_part(const uint8_t *obj, uint64_t start, uint32_t len, uint64_t off,
                            uint8_t *buf, size_t n)
{
    uint64_t from = off > start ? off - start : 0;
    uint64_t at = start > off ? start - off : 0;
    uint64_t k = len - from;

    if (k > n - at) {
        k = n - at;
    }
    memcpy(buf + at, obj + from, k);
    return (size_t)k;
}

/* Reads the overlap of a one-object file with [off, off+n). */
static int cas_read_data(struct cas *c, struct cas_obj *o, uint64_t off, uint8_t *buf, size_t n,
                         size_t *got, struct cas_fault *f)
{
    uint8_t *tmp = cas_buf_for(c, o->len);

    if (tmp == NULL) {
        return ZERR_LIMIT;
    }
    int err = cas_load(c, o, tmp);
    if (err != 0) {
        cas_fault_set(f, o->hash, 0, 0, false);
        return err;
    }
    *got = cas_copy_part(tmp, 0, o->len, off, buf, n);
    return 0;
}

/* Loads chunk o (len bytes, starting at byte start of the file) and copies
 * its overlap with [off, off+n) into buf.  A chunk wholly inside the range
 * is read straight into place and verified there; if it fails, those bytes
 * are zeroed, so the caller never holds unverified bytes. */
static int cas_read_chunk(struct cas *c, struct cas_obj *o, uint64_t start, uint64_t off,
                          uint8_t *buf, size_t n, size_t *got)
{
    if (start >= off && start + o->len <= off + n) {
        uint8_t *dst = buf + (start - off);
        int err = cas_load(c, o, dst);
        if (err != 0) {
            memset(dst, 0, o->len);
            return err;
        }
        *got += o->len;
        return 0;
    }
    int err = cas_load(c, o, c->chunk_buf);
    if (err == 0) {
        *got += cas_copy_part(c->chunk_buf, start, o->len, off, buf, n);
    }
    return err;
}

/* Reads the overlap of a chunked file with [off, off+n), chunk by chunk. */
static int cas_read_chunks(struct cas *c, const struct cas_list *l, uint64_t off, uint8_t *buf,
                           size_t n, size_t *got, struct cas_fault *f)
{
    uint64_t start = 0;

    for (uint32_t i = 0; i < l->count && start < off + n; i++) {
        uint32_t len;
        const uint8_t *h = cas_list_chunk(l, i, &len);
        if (start + len > off) {
            struct cas_obj *o = cas_find(c, h);
            int err = o == NULL || o->kind != CAS_DATA || o->len != len
                          ? ZERR_CORRUPT
                          : cas_read_chunk(c, o, start, off, buf, n, got);
            if (err != 0) {
                cas_fault_set(f, h, i, start, false);
                return err;
            }
        }
        start += len;
    }
    return 0;
}

int cas_read(struct cas *c, const uint8_t hash[CAS_HASH], uint64_t off, void *buf, size_t n,
             size_t *got, struct cas_fault *f)
{
    struct cas_obj *o = cas_find(c, hash);
    struct cas_list l;

    *got = 0;
    if (o == NULL) {
        return ZERR_NOENT;
    }
    if (o->kind == CAS_DATA) {
        if (off > o->len) {
            return ZERR_RANGE;
        }
        return off == o->len || n == 0 ? 0 : cas_read_data(c, o, off, buf, n, got, f);
    }
    int err = cas_load_list(c, o, &l, f);
    if (err != 0) {
        return err;
    }
    if (off > l.size) {
        return ZERR_RANGE;
    }
    if (n > l.size - off) {
        n = (size_t)(l.size - off);
    }
    return n == 0 ? 0 : cas_read_chunks(c, &l, off, buf, n, got, f);
}
