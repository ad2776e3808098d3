/*
 * Deterministic CBOR: encoder, strict decoder and whole-buffer validator.
 *
 * Every head is decoded by read_head(), the one place that enforces
 * shortest-form arguments and definite lengths, so the validator, the
 * getters and cbor_skip() accept exactly the same items.
 */
#include "cbor/cbor.h"
#include "base/check.h"
#include "base/errors.h"
#include "base/string.h"

enum {
    MT_UINT = 0,
    MT_NEGINT = 1,
    MT_BYTES = 2,
    MT_TEXT = 3,
    MT_ARRAY = 4,
    MT_MAP = 5,
    MT_TAG = 6,
    MT_SIMPLE = 7,
};

enum { SIMPLE_FALSE = 20, SIMPLE_TRUE = 21, SIMPLE_NULL = 22 };

/* ---- encoder ---- */

void cbor_enc_init(cbor_enc *e, uint8_t *buf, size_t cap)
{
    e->buf = buf;
    e->cap = buf == NULL ? 0 : cap;
    e->len = 0;
    e->err = 0;
}

/* Appends n bytes if they fit; always counts them. */
static void emit(cbor_enc *e, const void *p, size_t n)
{
    size_t end;
    if (zck_add_size(e->len, n, &end)) {
        e->err = ZERR_FULL;
        e->len = (size_t)-1;
        return;
    }
    if (e->err == 0 && end <= e->cap) {
        if (n > 0) {
            memcpy(e->buf + e->len, p, n);
        }
    } else {
        e->err = ZERR_FULL;
    }
    e->len = end;
}

/* Writes the shortest head for major type mt with argument v. */
static void put_head(cbor_enc *e, unsigned mt, uint64_t v)
{
    uint8_t h[9];
    size_t n;
    uint8_t ib = (uint8_t)(mt << 5);
    if (v < 24) {
        h[0] = ib | (uint8_t)v;
        n = 1;
    } else if (v <= 0xff) {
        h[0] = ib | 24;
        n = 2;
    } else if (v <= 0xffff) {
        h[0] = ib | 25;
        n = 3;
    } else if (v <= 0xffffffffULL) {
        h[0] = ib | 26;
        n = 5;
    } else {
        h[0] = ib | 27;
        n = 9;
    }
    for (size_t i = 1; i < n; i++) {
        h[i] = (uint8_t)(v >> (8 * (n - 1 - i)));
    }
    emit(e, h, n);
}

void cbor_put_uint(cbor_enc *e, uint64_t v)
{
    put_head(e, MT_UINT, v);
}

void cbor_put_int(cbor_enc *e, int64_t v)
{
    if (v < 0) {
        put_head(e, MT_NEGINT, ~(uint64_t)v);
    } else {
        put_head(e, MT_UINT, (uint64_t)v);
    }
}

void cbor_put_bytes(cbor_enc *e, const void *p, size_t n)
{
    put_head(e, MT_BYTES, n);
    emit(e, p, n);
}

void cbor_put_text(cbor_enc *e, const char *s, size_t n)
{
    put_head(e, MT_TEXT, n);
    emit(e, s, n);
}

void cbor_put_cstr(cbor_enc *e, const char *s)
{
    cbor_put_text(e, s, strlen(s));
}

void cbor_put_array(cbor_enc *e, uint64_t n)
{
    put_head(e, MT_ARRAY, n);
}

void cbor_put_map(cbor_enc *e, uint64_t n)
{
    put_head(e, MT_MAP, n);
}

void cbor_put_tag(cbor_enc *e, uint64_t tag)
{
    put_head(e, MT_TAG, tag);
}

void cbor_put_bool(cbor_enc *e, bool v)
{
    uint8_t b = (uint8_t)((MT_SIMPLE << 5) | (v ? SIMPLE_TRUE : SIMPLE_FALSE));
    emit(e, &b, 1);
}

void cbor_put_null(cbor_enc *e)
{
    uint8_t b = (uint8_t)((MT_SIMPLE << 5) | SIMPLE_NULL);
    emit(e, &b, 1);
}

void cbor_put_raw(cbor_enc *e, const void *p, size_t n)
{
    emit(e, p, n);
}

int cbor_enc_finish(const cbor_enc *e, size_t *len)
{
    if (len != NULL) {
        *len = e->len;
    }
    return e->err;
}

int cbor_key_cmp(const uint8_t *a, size_t a_len, const uint8_t *b, size_t b_len)
{
    size_t n = a_len < b_len ? a_len : b_len;
    int c = n > 0 ? memcmp(a, b, n) : 0;
    if (c != 0) {
        return c;
    }
    return (a_len > b_len) - (a_len < b_len);
}

int cbor_text_key_cmp(const char *a, size_t a_len, const char *b, size_t b_len)
{
    /* A head encodes the length big-endian in the shortest form, so
     * encodings order by length first. */
    if (a_len != b_len) {
        return a_len < b_len ? -1 : 1;
    }
    return a_len > 0 ? memcmp(a, b, a_len) : 0;
}

/* ---- heads ---- */

typedef struct cbor_head {
    unsigned major;
    uint64_t arg; /* value, length, count, tag, or simple value */
} cbor_head;

/* Decodes the simple value in initial-byte info ai: only false, true and
 * null are part of Zero's encoding. */
static int read_simple(unsigned ai, cbor_head *h)
{
    if (ai == SIMPLE_FALSE || ai == SIMPLE_TRUE || ai == SIMPLE_NULL) {
        h->arg = ai;
        return 0;
    }
    return ZERR_CORRUPT;
}

/* Decodes one head at *pp (before end) into h and advances *pp.  Returns
 * ZERR_TRUNCATED, ZERR_NONCANONICAL (argument not in shortest form,
 * indefinite length) or ZERR_CORRUPT (reserved or unsupported). */
static int read_head(const uint8_t **pp, const uint8_t *end, cbor_head *h)
{
    const uint8_t *p = *pp;
    if (p >= end) {
        return ZERR_TRUNCATED;
    }
    unsigned ib = *p++;
    unsigned ai = ib & 31;
    h->major = ib >> 5;
    if (h->major == MT_SIMPLE) {
        *pp = p;
        return read_simple(ai, h);
    }
    if (ai < 24) {
        h->arg = ai;
        *pp = p;
        return 0;
    }
    if (ai == 31) {
        return h->major >= MT_BYTES && h->major <= MT_MAP ? ZERR_NONCANONICAL : ZERR_CORRUPT;
    }
    if (ai > 27) {
        return ZERR_CORRUPT;
    }
    size_t n = (size_t)1 << (ai - 24);
    if ((size_t)(end - p) < n) {
        return ZERR_TRUNCATED;
    }
    uint64_t v = 0;
    for (size_t i = 0; i < n; i++) {
        v = (v << 8) | p[i];
    }
    static const uint64_t min_for_size[4] = {24, 0x100, 0x10000, 0x100000000ULL};
    if (v < min_for_size[ai - 24]) {
        return ZERR_NONCANONICAL;
    }
    h->arg = v;
    *pp = p + n;
    return 0;
}

/* Returns true if the n bytes at s are well-formed UTF-8 (no overlong
 * forms, no surrogates, nothing above U+10FFFF). */
static bool utf8_valid(const uint8_t *s, size_t n)
{
    size_t i = 0;
    while (i < n) {
        uint8_t c = s[i];
        if (c < 0x80) {
            i++;
            continue;
        }
        size_t len;
        uint32_t cp;
        uint32_t min;
        if ((c & 0xe0) == 0xc0) {
            len = 2, cp = c & 0x1f, min = 0x80;
        } else if ((c & 0xf0) == 0xe0) {
            len = 3, cp = c & 0x0f, min = 0x800;
        } else if ((c & 0xf8) == 0xf0) {
            len = 4, cp = c & 0x07, min = 0x10000;
        } else {
            return false;
        }
        if (n - i < len) {
            return false;
        }
        for (size_t k = 1; k < len; k++) {
            if ((s[i + k] & 0xc0) != 0x80) {
                return false;
            }
            cp = (cp << 6) | (s[i + k] & 0x3f);
        }
        if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) {
            return false;
        }
        i += len;
    }
    return true;
}

/* Consumes the payload of a string head h at *pp: checks it fits and, for
 * text, that it is UTF-8. */
static int read_string_body(const uint8_t **pp, const uint8_t *end, const cbor_head *h)
{
    if (h->arg > (uint64_t)(end - *pp)) {
        return ZERR_TRUNCATED;
    }
    if (h->major == MT_TEXT && !utf8_valid(*pp, (size_t)h->arg)) {
        return ZERR_CORRUPT;
    }
    *pp += h->arg;
    return 0;
}

/* ---- validation ---- */

typedef struct cbor_vctx {
    const uint8_t *p;
    const uint8_t *end;
    unsigned max_depth;
} cbor_vctx;

static int validate_item(cbor_vctx *v, unsigned depth);

/* Validates n key/value pairs whose keys must strictly increase. */
static int validate_map_body(cbor_vctx *v, uint64_t n, unsigned depth)
{
    const uint8_t *prev = NULL;
    size_t prev_len = 0;
    for (uint64_t i = 0; i < n; i++) {
        const uint8_t *key = v->p;
        int err = validate_item(v, depth);
        if (err != 0) {
            return err;
        }
        size_t key_len = (size_t)(v->p - key);
        if (prev != NULL && cbor_key_cmp(prev, prev_len, key, key_len) >= 0) {
            return ZERR_NONCANONICAL;
        }
        prev = key;
        prev_len = key_len;
        err = validate_item(v, depth);
        if (err != 0) {
            return err;
        }
    }
    return 0;
}

/* Validates one item at v->p nested depth containers deep; recursion is
 * bounded by v->max_depth. */
static int validate_item(cbor_vctx *v, unsigned depth)
{
    cbor_head h;
    int err = read_head(&v->p, v->end, &h);
    if (err != 0) {
        return err;
    }
    size_t left = (size_t)(v->end - v->p);
    switch (h.major) {
    case MT_BYTES:
    case MT_TEXT:
        return read_string_body(&v->p, v->end, &h);
    case MT_ARRAY:
    case MT_MAP:
    case MT_TAG:
        if (depth >= v->max_depth) {
            return ZERR_LIMIT;
        }
        break;
    default:
        return 0;
    }
    if (h.major == MT_TAG) {
        return validate_item(v, depth + 1);
    }
    /* Every item takes at least one byte: reject absurd counts early. */
    if (h.arg > left || (h.major == MT_MAP && h.arg > left / 2)) {
        return ZERR_TRUNCATED;
    }
    if (h.major == MT_MAP) {
        return validate_map_body(v, h.arg, depth + 1);
    }
    for (uint64_t i = 0; i < h.arg; i++) {
        err = validate_item(v, depth + 1);
        if (err != 0) {
            return err;
        }
    }
    return 0;
}

int cbor_validate(const uint8_t *buf, size_t len, unsigned max_depth)
{
    if (buf == NULL || len == 0) {
        return buf == NULL && len > 0 ? ZERR_INVAL : ZERR_TRUNCATED;
    }
    cbor_vctx v = {buf, buf + len, max_depth > CBOR_MAX_DEPTH ? CBOR_MAX_DEPTH : max_depth};
    int err = validate_item(&v, 0);
    if (err != 0) {
        return err;
    }
    return v.p == v.end ? 0 : ZERR_CORRUPT;
}

/* ---- decoder ---- */

void cbor_dec_init(cbor_dec *d, const uint8_t *buf, size_t len)
{
    d->start = buf;
    d->p = buf;
    d->end = buf == NULL ? buf : buf + len; /* no arithmetic on NULL */
    d->err = buf == NULL && len > 0 ? ZERR_INVAL : 0;
}

static int fail(cbor_dec *d, int err)
{
    d->err = err;
    return err;
}

int cbor_peek(const cbor_dec *d, enum cbor_type *t)
{
    if (d->err != 0) {
        return d->err;
    }
    const uint8_t *p = d->p;
    cbor_head h;
    int err = read_head(&p, d->end, &h);
    if (err == 0) {
        *t = (enum cbor_type)h.major;
    }
    return err;
}

/* Reads the next head, which must have major type mt. */
static int get_head(cbor_dec *d, unsigned mt, cbor_head *h)
{
    if (d->err != 0) {
        return d->err;
    }
    const uint8_t *p = d->p;
    int err = read_head(&p, d->end, h);
    if (err != 0) {
        return fail(d, err);
    }
    if (h->major != mt) {
        return fail(d, ZERR_CORRUPT);
    }
    d->p = p;
    return 0;
}

int cbor_get_uint(cbor_dec *d, uint64_t *v)
{
    cbor_head h;
    int err = get_head(d, MT_UINT, &h);
    if (err == 0) {
        *v = h.arg;
    }
    return err;
}

int cbor_get_int(cbor_dec *d, int64_t *v)
{
    if (d->err != 0) {
        return d->err;
    }
    const uint8_t *p = d->p;
    cbor_head h;
    int err = read_head(&p, d->end, &h);
    if (err != 0) {
        return fail(d, err);
    }
    if (h.major != MT_UINT && h.major != MT_NEGINT) {
        return fail(d, ZERR_CORRUPT);
    }
    if (h.arg > (uint64_t)INT64_MAX) {
        return fail(d, ZERR_RANGE);
    }
    *v = h.major == MT_UINT ? (int64_t)h.arg : -1 - (int64_t)h.arg;
    d->p = p;
    return 0;
}

/* Reads a byte or text string of major type mt. */
static int get_string(cbor_dec *d, unsigned mt, const uint8_t **p, size_t *n)
{
    const uint8_t *save = d->p;
    cbor_head h;
    int err = get_head(d, mt, &h);
    if (err != 0) {
        return err;
    }
    const uint8_t *body = d->p;
    err = read_string_body(&d->p, d->end, &h);
    if (err != 0) {
        d->p = save;
        return fail(d, err);
    }
    *p = body;
    *n = (size_t)h.arg;
    return 0;
}

int cbor_get_bytes(cbor_dec *d, const uint8_t **p, size_t *n)
{
    return get_string(d, MT_BYTES, p, n);
}

int cbor_get_text(cbor_dec *d, const char **s, size_t *n)
{
    const uint8_t *p;
    int err = get_string(d, MT_TEXT, &p, n);
    if (err == 0) {
        *s = (const char *)p;
    }
    return err;
}

/* Reads an array or map head; the count must be plausible for the bytes
 * left (every item takes at least one). */
static int get_container(cbor_dec *d, unsigned mt, uint64_t *n)
{
    const uint8_t *save = d->p;
    cbor_head h;
    int err = get_head(d, mt, &h);
    if (err != 0) {
        return err;
    }
    size_t left = (size_t)(d->end - d->p);
    if (h.arg > left || (mt == MT_MAP && h.arg > left / 2)) {
        d->p = save;
        return fail(d, ZERR_TRUNCATED);
    }
    *n = h.arg;
    return 0;
}

int cbor_get_array(cbor_dec *d, uint64_t *n)
{
    return get_container(d, MT_ARRAY, n);
}

int cbor_get_map(cbor_dec *d, uint64_t *n)
{
    return get_container(d, MT_MAP, n);
}

int cbor_get_tag(cbor_dec *d, uint64_t *tag)
{
    cbor_head h;
    int err = get_head(d, MT_TAG, &h);
    if (err == 0) {
        *tag = h.arg;
    }
    return err;
}

int cbor_get_bool(cbor_dec *d, bool *v)
{
    const uint8_t *save = d->p;
    cbor_head h;
    int err = get_head(d, MT_SIMPLE, &h);
    if (err != 0) {
        return err;
    }
    if (h.arg != SIMPLE_TRUE && h.arg != SIMPLE_FALSE) {
        d->p = save;
        return fail(d, ZERR_CORRUPT);
    }
    *v = h.arg == SIMPLE_TRUE;
    return 0;
}

int cbor_get_null(cbor_dec *d)
{
    const uint8_t *save = d->p;
    cbor_head h;
    int err = get_head(d, MT_SIMPLE, &h);
    if (err != 0) {
        return err;
    }
    if (h.arg != SIMPLE_NULL) {
        d->p = save;
        return fail(d, ZERR_CORRUPT);
    }
    return 0;
}

int cbor_skip(cbor_dec *d)
{
    if (d->err != 0) {
        return d->err;
    }
    const uint8_t *p = d->p;
    uint64_t pending = 1;
    while (pending > 0) {
        cbor_head h;
        int err = read_head(&p, d->end, &h);
        if (err != 0) {
            return fail(d, err);
        }
        pending--;
        if (h.major == MT_BYTES || h.major == MT_TEXT) {
            err = read_string_body(&p, d->end, &h);
        } else if (h.major == MT_ARRAY || h.major == MT_MAP || h.major == MT_TAG) {
            uint64_t items = h.major == MT_TAG ? 1 : h.arg;
            /* Each pending item needs a byte: bounds pending, no overflow. */
            if (items > (uint64_t)(d->end - p) ||
                (h.major == MT_MAP && items > (uint64_t)(d->end - p) / 2)) {
                err = ZERR_TRUNCATED;
            } else {
                pending += h.major == MT_MAP ? 2 * items : items;
            }
        }
        if (err == 0 && pending > (uint64_t)(d->end - p)) {
            err = ZERR_TRUNCATED;
        }
        if (err != 0) {
            return fail(d, err);
        }
    }
    d->p = p;
    return 0;
}

int cbor_dec_finish(const cbor_dec *d)
{
    if (d->err != 0) {
        return d->err;
    }
    return d->p == d->end ? 0 : ZERR_CORRUPT;
}
