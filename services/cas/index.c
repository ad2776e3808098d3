/*
 * The index's encoding, so a space can keep it in its committed root
 * (docs/formats.md "CAS index").
 */
#include "base/endian.h"
#include "base/errors.h"
#include "base/string.h"
#include "services/cas/internal/cas.h"

static const uint8_t index_magic[8] = {'Z', 'C', 'A', 'S', 'I', 'D', 'X', 1};

size_t cas_index_size(const struct cas *c)
{
    return CAS_INDEX_HEADER + (size_t)c->count * CAS_INDEX_RECORD;
}

int cas_index_encode(const struct cas *c, uint8_t *out, size_t cap, size_t *n)
{
    uint8_t *r = out + CAS_INDEX_HEADER;

    *n = cas_index_size(c);
    if (*n > cap) {
        return ZERR_LIMIT;
    }
    memcpy(out, index_magic, sizeof(index_magic));
    le64_put(out + 8, c->count);
    for (uint32_t i = 0; i < c->cap; i++) {
        const struct cas_obj *o = &c->tab[i];
        if (o->kind == CAS_EMPTY) {
            continue;
        }
        memset(r, 0, CAS_INDEX_RECORD);
        r[0] = o->kind;
        memcpy(r + 1, o->hash, CAS_HASH);
        if (o->kind == CAS_FILE) {
            memcpy(r + 33, o->ref, CAS_HASH);
        } else {
            le64_put(r + 33, o->loc);
            le32_put(r + 41, o->len);
        }
        r += CAS_INDEX_RECORD;
    }
    return 0;
}

/* Decodes one record into its slot.  0 or ZERR_CORRUPT. */
static int index_record(struct cas *c, const uint8_t *r)
{
    struct cas_obj *o;
    static const uint8_t zero[20] = {0};

    if (r[0] != CAS_DATA && r[0] != CAS_FILE) {
        return ZERR_CORRUPT;
    }
    if (r[0] == CAS_DATA &&
        (memcmp(r + 45, zero, sizeof(zero)) != 0 || le32_get(r + 41) > CAS_LIST_MAX_BYTES)) {
        return ZERR_CORRUPT;
    }
    o = cas_slot(c, r + 1);
    if (o->kind != CAS_EMPTY) {
        return ZERR_CORRUPT; /* a duplicate */
    }
    memset(o, 0, sizeof(*o));
    o->kind = r[0];
    memcpy(o->hash, r + 1, CAS_HASH);
    if (o->kind == CAS_FILE) {
        memcpy(o->ref, r + 33, CAS_HASH);
    } else {
        o->loc = le64_get(r + 33);
        o->len = le32_get(r + 41);
    }
    c->count++;
    return 0;
}

/* Every file's list must be a stored data object. */
static int index_check_files(const struct cas *c)
{
    for (uint32_t i = 0; i < c->cap; i++) {
        const struct cas_obj *o = &c->tab[i];
        if (o->kind != CAS_FILE) {
            continue;
        }
        const struct cas_obj *l = cas_find(c, o->ref);
        if (l == NULL || l->kind != CAS_DATA) {
            return ZERR_CORRUPT;
        }
    }
    return 0;
}

int cas_index_decode(struct cas *c, const uint8_t *p, size_t n)
{
    int err = 0;

    memset(c->tab, 0, (size_t)c->cap * sizeof(*c->tab));
    c->count = 0;
    if (n < CAS_INDEX_HEADER) {
        return ZERR_TRUNCATED;
    }
    uint64_t count = le64_get(p + 8);
    if (memcmp(p, index_magic, sizeof(index_magic)) != 0) {
        return ZERR_CORRUPT;
    }
    if (count > c->cap - c->cap / 8) {
        return ZERR_LIMIT;
    }
    if (n != CAS_INDEX_HEADER + count * CAS_INDEX_RECORD) {
        return n < CAS_INDEX_HEADER + count * CAS_INDEX_RECORD ? ZERR_TRUNCATED : ZERR_CORRUPT;
    }
    for (uint64_t i = 0; i < count && err == 0; i++) {
        err = index_record(c, p + CAS_INDEX_HEADER + i * CAS_INDEX_RECORD);
    }
    if (err == 0) {
        err = index_check_files(c);
    }
    if (err != 0) {
        memset(c->tab, 0, (size_t)c->cap * sizeof(*c->tab));
        c->count = 0;
    }
    return err;
}
