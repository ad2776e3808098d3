/*
 * Boot manifest codec (manifest.h; byte layout in docs/formats.md, "Boot
 * manifest").  Decoders accept exactly one canonical encoding: cbor_validate
 * first, then every key in order.
 */
#include "services/init/manifest/manifest.h"

#include "base/errors.h"
#include "base/string.h"
#include "cbor/cbor.h"
#include "crypto/ct.h"
#include "crypto/ed25519.h"

bool mf_name_valid(const char *s, size_t n, size_t max)
{
    if (n == 0 || n > max) {
        return false;
    }
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '.')) {
            return false;
        }
    }
    return true;
}

int mf_find(const struct mf_manifest *m, const char *name)
{
    for (uint32_t i = 0; i < m->nprograms; i++) {
        if (strcmp(m->p[i].name, name) == 0) {
            return (int)i;
        }
    }
    return -1;
}

/* True if every dependency of program i is in done. */
static bool mf_ready(const struct mf_manifest *m, uint32_t i, const bool *done)
{
    for (uint32_t k = 0; k < m->p[i].ndeps; k++) {
        if (!done[mf_find(m, m->p[i].deps[k])]) {
            return false;
        }
    }
    return true;
}

int mf_order(struct mf_manifest *m, int *bad)
{
    bool done[MF_PROGRAMS_MAX] = {false};
    uint32_t n = 0;

    for (uint32_t i = 0; i < m->nprograms; i++) {
        int j = mf_find(m, m->p[i].name);
        if (j != (int)i) {
            *bad = (int)i;
            return ZERR_INVAL;
        }
        for (uint32_t k = 0; k < m->p[i].ndeps; k++) {
            if (mf_find(m, m->p[i].deps[k]) < 0) {
                *bad = (int)i;
                return ZERR_NOENT;
            }
        }
    }
    /* Kahn's algorithm, lowest index first: at most nprograms rounds. */
    while (n < m->nprograms) {
        uint32_t i = 0;
        while (i < m->nprograms && (done[i] || !mf_ready(m, i, done))) {
            i++;
        }
        if (i == m->nprograms) {
            *bad = -1;
            return ZERR_INVAL; /* the rest depend on each other */
        }
        done[i] = true;
        m->order[n++] = (uint8_t)i;
    }
    return 0;
}

static void mf_put_names(cbor_enc *e, const char (*names)[MF_CAP_MAX + 1], uint32_t n)
{
    cbor_put_array(e, n);
    for (uint32_t i = 0; i < n; i++) {
        cbor_put_cstr(e, names[i]);
    }
}

static void mf_put_deps(cbor_enc *e, const struct mf_program *p)
{
    cbor_put_array(e, p->ndeps);
    for (uint32_t i = 0; i < p->ndeps; i++) {
        cbor_put_cstr(e, p->deps[i]);
    }
}

static void mf_put_program(cbor_enc *e, const struct mf_program *p)
{
    cbor_put_map(e, 8);
    cbor_put_uint(e, 0);
    cbor_put_cstr(e, p->name);
    cbor_put_uint(e, 1);
    cbor_put_cstr(e, p->image);
    cbor_put_uint(e, 2);
    cbor_put_bytes(e, p->hash, MF_HASH_LEN);
    cbor_put_uint(e, 3);
    cbor_put_uint(e, p->arg);
    cbor_put_uint(e, 4);
    mf_put_deps(e, p);
    cbor_put_uint(e, 5);
    mf_put_names(e, p->caps, p->ncaps);
    cbor_put_uint(e, 6);
    cbor_put_map(e, 2);
    cbor_put_uint(e, 0);
    cbor_put_uint(e, p->mem_pages);
    cbor_put_uint(e, 1);
    cbor_put_uint(e, p->threads);
    cbor_put_uint(e, 7);
    cbor_put_bool(e, p->restartable);
}

/* The checks an encoder makes that the decoder makes too. */
static int mf_check(const struct mf_manifest *m)
{
    struct mf_manifest tmp;
    int bad = 0;

    if (m->nprograms == 0 || m->nprograms > MF_PROGRAMS_MAX ||
        !mf_name_valid(m->kernel, strlen(m->kernel), MF_FILE_MAX)) {
        return ZERR_INVAL;
    }
    for (uint32_t i = 0; i < m->nprograms; i++) {
        const struct mf_program *p = &m->p[i];
        bool ok = mf_name_valid(p->name, strlen(p->name), MF_NAME_MAX) &&
                  mf_name_valid(p->image, strlen(p->image), MF_FILE_MAX) &&
                  p->ndeps <= MF_DEPS_MAX && p->ncaps <= MF_CAPS_MAX;
        for (uint32_t k = 0; ok && k < p->ncaps; k++) {
            ok = mf_name_valid(p->caps[k], strlen(p->caps[k]), MF_CAP_MAX);
        }
        if (!ok) {
            return ZERR_INVAL;
        }
    }
    memcpy(&tmp, m, sizeof(tmp));
    return mf_order(&tmp, &bad) != 0 ? ZERR_INVAL : 0;
}

int mf_encode(const struct mf_manifest *m, uint8_t *buf, size_t cap, size_t *len)
{
    cbor_enc e;

    if (mf_check(m) != 0) {
        return ZERR_INVAL;
    }
    cbor_enc_init(&e, buf, cap);
    cbor_put_map(&e, 4);
    cbor_put_uint(&e, 0);
    cbor_put_uint(&e, MF_VERSION);
    cbor_put_uint(&e, 1);
    cbor_put_cstr(&e, m->kernel);
    cbor_put_uint(&e, 2);
    cbor_put_bytes(&e, m->kernel_hash, MF_HASH_LEN);
    cbor_put_uint(&e, 3);
    cbor_put_array(&e, m->nprograms);
    for (uint32_t i = 0; i < m->nprograms; i++) {
        mf_put_program(&e, &m->p[i]);
    }
    return cbor_enc_finish(&e, len);
}

/* ---- decoding: each helper reads one key and its value ---- */

static int mf_key(cbor_dec *d, uint64_t want)
{
    uint64_t k = 0;
    int err = cbor_get_uint(d, &k);

    return err != 0 ? err : (k != want ? ZERR_CORRUPT : 0);
}

/* Reads a name of at most max bytes into out (max + 1 bytes). */
static int mf_get_name(cbor_dec *d, char *out, size_t max)
{
    const char *s = NULL;
    size_t n = 0;
    int err = cbor_get_text(d, &s, &n);

    if (err != 0) {
        return err;
    }
    if (!mf_name_valid(s, n, max)) {
        return ZERR_CORRUPT;
    }
    memcpy(out, s, n);
    out[n] = '\0';
    return 0;
}

static int mf_get_fixed(cbor_dec *d, uint8_t *out, size_t want)
{
    const uint8_t *p = NULL;
    size_t n = 0;
    int err = cbor_get_bytes(d, &p, &n);

    if (err != 0) {
        return err;
    }
    if (n != want) {
        return ZERR_CORRUPT;
    }
    memcpy(out, p, n);
    return 0;
}

static int mf_get_u32(cbor_dec *d, uint32_t *out)
{
    uint64_t v = 0;
    int err = cbor_get_uint(d, &v);

    if (err == 0 && v > UINT32_MAX) {
        err = ZERR_CORRUPT;
    }
    *out = (uint32_t)v;
    return err;
}

/* Reads an array of at most max names of at most len bytes into out (stride bytes apart). */
static int mf_get_list(cbor_dec *d, char *out, size_t stride, uint32_t max, size_t len, uint32_t *n)
{
    uint64_t count = 0;
    int err = cbor_get_array(d, &count);

    if (err == 0 && count > max) {
        err = ZERR_CORRUPT;
    }
    for (uint64_t i = 0; err == 0 && i < count; i++) {
        err = mf_get_name(d, out + i * stride, len);
    }
    *n = (uint32_t)count;
    return err;
}

/* Key 6 of a program: {0: memory pages, 1: threads}. */
static int mf_get_limits(cbor_dec *d, struct mf_program *p)
{
    uint64_t n = 0;
    int err = cbor_get_map(d, &n);

    if (err == 0 && n != 2) {
        err = ZERR_CORRUPT;
    }
    err = err != 0 ? err : mf_key(d, 0);
    err = err != 0 ? err : cbor_get_uint(d, &p->mem_pages);
    err = err != 0 ? err : mf_key(d, 1);
    return err != 0 ? err : mf_get_u32(d, &p->threads);
}

static int mf_get_program(cbor_dec *d, struct mf_program *p)
{
    uint64_t n = 0;
    int err = cbor_get_map(d, &n);

    if (err == 0 && n != 8) {
        err = ZERR_CORRUPT;
    }
    err = err != 0 ? err : mf_key(d, 0);
    err = err != 0 ? err : mf_get_name(d, p->name, MF_NAME_MAX);
    err = err != 0 ? err : mf_key(d, 1);
    err = err != 0 ? err : mf_get_name(d, p->image, MF_FILE_MAX);
    err = err != 0 ? err : mf_key(d, 2);
    err = err != 0 ? err : mf_get_fixed(d, p->hash, MF_HASH_LEN);
    err = err != 0 ? err : mf_key(d, 3);
    err = err != 0 ? err : cbor_get_uint(d, &p->arg);
    err = err != 0 ? err : mf_key(d, 4);
    err = err != 0 ? err
                   : mf_get_list(d, &p->deps[0][0], sizeof(p->deps[0]), MF_DEPS_MAX, MF_NAME_MAX,
                                 &p->ndeps);
    err = err != 0 ? err : mf_key(d, 5);
    err = err != 0 ? err
                   : mf_get_list(d, &p->caps[0][0], sizeof(p->caps[0]), MF_CAPS_MAX, MF_CAP_MAX,
                                 &p->ncaps);
    err = err != 0 ? err : mf_key(d, 6);
    err = err != 0 ? err : mf_get_limits(d, p);
    err = err != 0 ? err : mf_key(d, 7);
    return err != 0 ? err : cbor_get_bool(d, &p->restartable);
}

/* Keys 0 to 2 of a body: the version, the kernel's name and hash. */
static int mf_get_head(cbor_dec *d, struct mf_manifest *m)
{
    uint64_t n = 0;
    uint64_t version = 0;
    int err = cbor_get_map(d, &n);

    if (err == 0 && n != 4) {
        err = ZERR_CORRUPT;
    }
    err = err != 0 ? err : mf_key(d, 0);
    err = err != 0 ? err : cbor_get_uint(d, &version);
    if (err == 0 && version != MF_VERSION) {
        err = ZERR_CORRUPT;
    }
    err = err != 0 ? err : mf_key(d, 1);
    err = err != 0 ? err : mf_get_name(d, m->kernel, MF_FILE_MAX);
    err = err != 0 ? err : mf_key(d, 2);
    return err != 0 ? err : mf_get_fixed(d, m->kernel_hash, MF_HASH_LEN);
}

int mf_decode(const uint8_t *buf, size_t len, struct mf_manifest *m)
{
    cbor_dec d;
    uint64_t n = 0;
    int bad = 0;
    int err = len > MF_BODY_MAX ? ZERR_LIMIT : cbor_validate(buf, len, 5);

    if (err != 0) {
        return err;
    }
    memset(m, 0, sizeof(*m));
    cbor_dec_init(&d, buf, len);
    err = mf_get_head(&d, m);
    err = err != 0 ? err : mf_key(&d, 3);
    err = err != 0 ? err : cbor_get_array(&d, &n);
    if (err == 0 && (n == 0 || n > MF_PROGRAMS_MAX)) {
        err = ZERR_CORRUPT;
    }
    for (uint64_t i = 0; err == 0 && i < n; i++) {
        err = mf_get_program(&d, &m->p[i]);
    }
    m->nprograms = err == 0 ? (uint32_t)n : 0;
    err = err != 0 ? err : cbor_dec_finish(&d);
    if (err == 0 && mf_order(m, &bad) != 0) {
        err = ZERR_CORRUPT; /* a duplicate name, an unknown dependency or a cycle */
    }
    return err;
}

int mf_message(const uint8_t *body, size_t body_len, uint8_t *buf, size_t cap, size_t *len)
{
    size_t dom = sizeof(MF_DOMAIN);

    if (body_len > cap || cap - body_len < dom) {
        return ZERR_FULL;
    }
    memcpy(buf, MF_DOMAIN, dom);
    memcpy(buf + dom, body, body_len);
    *len = dom + body_len;
    return 0;
}

int mf_signed_encode(const struct mf_signed *s, uint8_t *buf, size_t cap, size_t *len)
{
    cbor_enc e;

    if (s->body_len > MF_BODY_MAX) {
        return ZERR_INVAL;
    }
    cbor_enc_init(&e, buf, cap);
    cbor_put_map(&e, 5);
    cbor_put_uint(&e, 0);
    cbor_put_cstr(&e, MF_MAGIC);
    cbor_put_uint(&e, 1);
    cbor_put_uint(&e, MF_VERSION);
    cbor_put_uint(&e, 2);
    cbor_put_bytes(&e, s->body, s->body_len);
    cbor_put_uint(&e, 3);
    cbor_put_bytes(&e, s->pub, MF_PUB_LEN);
    cbor_put_uint(&e, 4);
    cbor_put_bytes(&e, s->sig, MF_SIG_LEN);
    return cbor_enc_finish(&e, len);
}

/* The map head, key 0 (the magic) and key 1 (the version) of a signed file. */
static int mf_get_signed_head(cbor_dec *d)
{
    uint64_t n = 0;
    uint64_t version = 0;
    const char *magic = NULL;
    size_t mlen = 0;
    int err = cbor_get_map(d, &n);

    if (err == 0 && n != 5) {
        err = ZERR_CORRUPT;
    }
    err = err != 0 ? err : mf_key(d, 0);
    err = err != 0 ? err : cbor_get_text(d, &magic, &mlen);
    if (err == 0 && (mlen != strlen(MF_MAGIC) || memcmp(magic, MF_MAGIC, mlen) != 0)) {
        err = ZERR_CORRUPT;
    }
    err = err != 0 ? err : mf_key(d, 1);
    err = err != 0 ? err : cbor_get_uint(d, &version);
    return err == 0 && version != MF_VERSION ? ZERR_CORRUPT : err;
}

int mf_signed_decode(const uint8_t *buf, size_t len, struct mf_signed *s)
{
    cbor_dec d;
    int err = len > MF_FILE_SIZE_MAX ? ZERR_LIMIT : cbor_validate(buf, len, 1);

    if (err != 0) {
        return err;
    }
    memset(s, 0, sizeof(*s));
    cbor_dec_init(&d, buf, len);
    err = mf_get_signed_head(&d);
    err = err != 0 ? err : mf_key(&d, 2);
    err = err != 0 ? err : cbor_get_bytes(&d, &s->body, &s->body_len);
    if (err == 0 && s->body_len > MF_BODY_MAX) {
        err = ZERR_CORRUPT;
    }
    err = err != 0 ? err : mf_key(&d, 3);
    err = err != 0 ? err : mf_get_fixed(&d, s->pub, MF_PUB_LEN);
    err = err != 0 ? err : mf_key(&d, 4);
    err = err != 0 ? err : mf_get_fixed(&d, s->sig, MF_SIG_LEN);
    return err != 0 ? err : cbor_dec_finish(&d);
}

int mf_signed_measure(const uint8_t *buf, size_t cap, size_t *len)
{
    cbor_dec d;
    size_t n = cap < MF_FILE_SIZE_MAX ? cap : MF_FILE_SIZE_MAX;
    int err;

    cbor_dec_init(&d, buf, n);
    err = mf_get_signed_head(&d);
    if (err != 0) {
        return err;
    }
    cbor_dec_init(&d, buf, n);
    err = cbor_skip(&d);
    if (err != 0) {
        return err;
    }
    *len = (size_t)(d.p - buf);
    return 0;
}

int mf_signed_verify(const struct mf_signed *s, const uint8_t pub[MF_PUB_LEN],
                     struct mf_manifest *m)
{
    uint8_t msg[sizeof(MF_DOMAIN) + MF_BODY_MAX];
    size_t len = 0;

    if (!ct_equal(s->pub, pub, MF_PUB_LEN)) {
        return ZERR_PERM;
    }
    if (mf_message(s->body, s->body_len, msg, sizeof(msg), &len) != 0 ||
        ed25519_verify(s->sig, msg, len, pub) != 0) {
        return ZERR_BADSIG;
    }
    return mf_decode(s->body, s->body_len, m);
}
