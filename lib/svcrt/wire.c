/* Service messages as bytes (see wire.h). */
#include "svcrt/wire.h"

#include "base/endian.h"
#include "base/errors.h"
#include "base/string.h"

void wire_out_init(struct wire_out *w, void *buf, size_t cap)
{
    w->buf = buf;
    w->cap = buf != NULL ? cap : 0;
    w->len = 0;
    w->err = 0;
}

/* Room for n more bytes, or NULL (and the error) if there is none. */
static uint8_t *wire_room(struct wire_out *w, size_t n)
{
    if (w->err != 0 || n > w->cap - w->len) {
        w->err = w->err != 0 ? w->err : ZERR_RANGE;
        return NULL;
    }
    uint8_t *p = w->buf + w->len;
    w->len += n;
    return p;
}

void wire_u8(struct wire_out *w, uint8_t v)
{
    uint8_t *p = wire_room(w, 1);
    if (p != NULL) {
        p[0] = v;
    }
}

void wire_u32(struct wire_out *w, uint32_t v)
{
    uint8_t *p = wire_room(w, 4);
    if (p != NULL) {
        le32_put(p, v);
    }
}

void wire_u64(struct wire_out *w, uint64_t v)
{
    uint8_t *p = wire_room(w, 8);
    if (p != NULL) {
        le64_put(p, v);
    }
}

void wire_bytes(struct wire_out *w, const void *src, size_t n)
{
    uint8_t *p = wire_room(w, n);
    if (p != NULL && n > 0) {
        memcpy(p, src, n);
    }
}

void wire_str(struct wire_out *w, const char *s, size_t field)
{
    size_t n = s != NULL ? strnlen(s, field) : 0;
    if (n >= field) {
        w->err = w->err != 0 ? w->err : ZERR_RANGE;
        return;
    }
    uint8_t *p = wire_room(w, field);
    if (p != NULL) {
        memset(p, 0, field);
        if (n > 0) {
            memcpy(p, s, n);
        }
    }
}

void wire_var(struct wire_out *w, const void *src, size_t n)
{
    if (n > UINT32_MAX) {
        w->err = w->err != 0 ? w->err : ZERR_RANGE;
        return;
    }
    wire_u32(w, (uint32_t)n);
    wire_bytes(w, src, n);
}

int wire_out_end(const struct wire_out *w, size_t *len)
{
    *len = w->err == 0 ? w->len : 0;
    return w->err;
}

void wire_in_init(struct wire_in *r, const void *buf, size_t len)
{
    r->buf = buf;
    r->len = buf != NULL ? len : 0;
    r->pos = 0;
    r->err = buf == NULL && len != 0 ? ZERR_INVAL : 0;
}

/* The next n bytes, or NULL (and the error) if the message ends first. */
static const uint8_t *wire_take(struct wire_in *r, size_t n)
{
    if (r->err != 0 || n > r->len - r->pos) {
        r->err = r->err != 0 ? r->err : ZERR_TRUNCATED;
        return NULL;
    }
    const uint8_t *p = r->buf + r->pos;
    r->pos += n;
    return p;
}

uint8_t wire_get_u8(struct wire_in *r)
{
    const uint8_t *p = wire_take(r, 1);
    return p != NULL ? p[0] : 0;
}

bool wire_get_bool(struct wire_in *r)
{
    uint8_t v = wire_get_u8(r);
    if (v > 1 && r->err == 0) {
        r->err = ZERR_INVAL;
    }
    return v == 1;
}

uint32_t wire_get_u32(struct wire_in *r)
{
    const uint8_t *p = wire_take(r, 4);
    return p != NULL ? le32_get(p) : 0;
}

uint64_t wire_get_u64(struct wire_in *r)
{
    const uint8_t *p = wire_take(r, 8);
    return p != NULL ? le64_get(p) : 0;
}

void wire_get_bytes(struct wire_in *r, void *dst, size_t n)
{
    const uint8_t *p = wire_take(r, n);
    if (p != NULL) {
        memcpy(dst, p, n);
    } else {
        memset(dst, 0, n);
    }
}

void wire_get_str(struct wire_in *r, char *dst, size_t field)
{
    const uint8_t *p = wire_take(r, field);
    memset(dst, 0, field);
    if (p == NULL || field == 0) {
        return;
    }
    size_t n = strnlen((const char *)p, field);
    bool clean = n < field;
    for (size_t i = n; clean && i < field; i++) {
        clean = p[i] == 0;
    }
    if (!clean) {
        r->err = ZERR_INVAL;
        return;
    }
    memcpy(dst, p, n);
}

const uint8_t *wire_get_var(struct wire_in *r, size_t max, size_t *n)
{
    uint32_t len = wire_get_u32(r);
    *n = 0;
    if (r->err == 0 && len > max) {
        r->err = ZERR_INVAL;
    }
    const uint8_t *p = r->err == 0 ? wire_take(r, len) : NULL;
    *n = p != NULL ? len : 0;
    return p;
}

int wire_in_end(const struct wire_in *r)
{
    if (r->err != 0) {
        return r->err;
    }
    return r->pos == r->len ? 0 : ZERR_INVAL;
}
