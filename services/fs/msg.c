/*
 * The filesystem service's messages as bytes (docs/services.md), and a
 * client's calls.
 */
#include "base/endian.h"
#include "base/errors.h"
#include "base/fmt.h"
#include "base/string.h"
#include "hal/hal.h"
#include "services/fs/service.h"
#include "svcrt/wire.h"

int fssvc_put_encode(const struct fssvc_put *rq, void *buf, size_t cap, size_t *len)
{
    struct wire_out w;

    if (rq->len > FSSVC_PUT_MAX) {
        return ZERR_RANGE;
    }
    wire_out_init(&w, buf, cap);
    wire_str(&w, rq->proposer, AXIOM_NAME_FIELD);
    wire_str(&w, rq->path, AXIOM_PATH_FIELD);
    wire_u32(&w, rq->mode);
    wire_u8(&w, rq->append ? 1 : 0);
    wire_var(&w, rq->data, (size_t)rq->len);
    return wire_out_end(&w, len);
}

int fssvc_put_decode(const void *buf, size_t len, struct fssvc_put *rq)
{
    struct wire_in r;
    size_t n = 0;

    memset(rq, 0, sizeof(*rq));
    wire_in_init(&r, buf, len);
    wire_get_str(&r, rq->proposer, AXIOM_NAME_FIELD);
    wire_get_str(&r, rq->path, AXIOM_PATH_FIELD);
    rq->mode = wire_get_u32(&r);
    rq->append = wire_get_bool(&r);
    rq->data = wire_get_var(&r, FSSVC_PUT_MAX, &n);
    rq->len = n;
    int err = wire_in_end(&r);
    if (err == 0 && fs_path_problem(rq->path, strlen(rq->path)) != NULL) {
        err = ZERR_INVAL;
    }
    return err;
}

int fssvc_part_encode(const struct fssvc_part *p, void *buf, size_t cap, size_t *len)
{
    struct wire_out w;

    if (p->len > FSSVC_PART_MAX) {
        return ZERR_RANGE;
    }
    wire_out_init(&w, buf, cap);
    wire_u64(&w, p->token);
    wire_u64(&w, p->total);
    wire_u64(&w, p->offset);
    wire_var(&w, p->data, p->len);
    return wire_out_end(&w, len);
}

int fssvc_part_decode(const void *buf, size_t len, struct fssvc_part *p)
{
    struct wire_in r;
    size_t n = 0;

    memset(p, 0, sizeof(*p));
    wire_in_init(&r, buf, len);
    p->token = wire_get_u64(&r);
    p->total = wire_get_u64(&r);
    p->offset = wire_get_u64(&r);
    p->data = wire_get_var(&r, FSSVC_PART_MAX, &n);
    p->len = (uint32_t)n;
    int err = wire_in_end(&r);
    if (err == 0 && (p->total > FSSVC_PUT_MAX || p->offset > p->total ||
                     p->len > p->total - p->offset || (p->token == 0) != (p->offset == 0))) {
        err = ZERR_INVAL;
    }
    return err;
}

int fssvc_staged_encode(uint64_t token, const struct fssvc_put *rq, void *buf, size_t cap,
                        size_t *len)
{
    struct fssvc_put head = *rq;
    size_t n = 0;

    if (cap < 8) {
        return ZERR_RANGE;
    }
    le64_put(buf, token);
    head.data = NULL;
    head.len = 0;
    int err = fssvc_put_encode(&head, (uint8_t *)buf + 8, cap - 8, &n);
    *len = 8 + n;
    return err;
}

int fssvc_staged_decode(const void *buf, size_t len, uint64_t *token, struct fssvc_put *rq)
{
    if (len < 8) {
        memset(rq, 0, sizeof(*rq));
        return ZERR_TRUNCATED;
    }
    *token = le64_get(buf);
    int err = fssvc_put_decode((const uint8_t *)buf + 8, len - 8, rq);
    if (err == 0 && (rq->len != 0 || *token == 0)) {
        err = ZERR_INVAL;
    }
    return err;
}

int fssvc_read_encode(const struct fssvc_read *rq, void *buf, size_t cap, size_t *len)
{
    struct wire_out w;

    wire_out_init(&w, buf, cap);
    wire_str(&w, rq->path, AXIOM_PATH_FIELD);
    wire_u64(&w, rq->off);
    return wire_out_end(&w, len);
}

int fssvc_read_decode(const void *buf, size_t len, struct fssvc_read *rq)
{
    struct wire_in r;

    memset(rq, 0, sizeof(*rq));
    wire_in_init(&r, buf, len);
    wire_get_str(&r, rq->path, AXIOM_PATH_FIELD);
    rq->off = wire_get_u64(&r);
    int err = wire_in_end(&r);
    if (err == 0 && fs_path_problem(rq->path, strlen(rq->path)) != NULL) {
        err = ZERR_INVAL;
    }
    return err;
}

int fssvc_usage_encode(const struct fssvc_usage *u, void *buf, size_t cap, size_t *len)
{
    struct wire_out w;
    const uint64_t v[7] = {u->region_bytes, u->used_bytes, u->objects, u->files,
                           u->dirs,         u->file_bytes, u->swept};

    wire_out_init(&w, buf, cap);
    for (int i = 0; i < 7; i++) {
        wire_u64(&w, v[i]);
    }
    return wire_out_end(&w, len);
}

int fssvc_usage_decode(const void *buf, size_t len, struct fssvc_usage *u)
{
    struct wire_in r;

    wire_in_init(&r, buf, len);
    u->region_bytes = wire_get_u64(&r);
    u->used_bytes = wire_get_u64(&r);
    u->objects = wire_get_u64(&r);
    u->files = wire_get_u64(&r);
    u->dirs = wire_get_u64(&r);
    u->file_bytes = wire_get_u64(&r);
    u->swept = wire_get_u64(&r);
    return wire_in_end(&r);
}

/* Decodes an Axiom result reply into res (a malformed one is ZERR_CORRUPT). */
static int fssvc_result(int err, const uint8_t *out, size_t out_len, struct axiom_result *res)
{
    if (out_len != 0 && axiom_result_decode(out, out_len, res) != 0) {
        memset(res, 0, sizeof(*res));
        memcpy(res->why, "malformed reply from the filesystem", 36);
        err = err != 0 ? err : ZERR_CORRUPT;
    }
    res->err = err;
    return err;
}

/* The whole put in one FSSVC_OP_PUT message. */
static int fssvc_put_one(struct rt *rt, uint32_t caller, uint32_t h, const struct fssvc_put *rq,
                         struct axiom_result *res)
{
    uint8_t out[AXIOM_RESULT_LEN];
    size_t cap = FSSVC_PUT_FIXED + (size_t)rq->len, len = 0;
    size_t pages = (cap + HAL_PAGE_SIZE - 1) / HAL_PAGE_SIZE;
    uint8_t *buf = hal_page_alloc(pages);

    if (buf == NULL) {
        return res->err = ZERR_NOMEM;
    }
    int err = fssvc_put_encode(rq, buf, cap, &len);
    struct rt_msg m = {FSSVC_OP_PUT, buf, len, out, sizeof(out), 0};
    if (err == 0) {
        err = rt_call(rt, caller, h, &m);
    }
    hal_page_free(buf, pages);
    return fssvc_result(err, out, m.out_len, res);
}

/* Streams rq's content in FSSVC_OP_PART messages; *token names the stream. */
static int fssvc_put_parts(struct rt *rt, uint32_t caller, uint32_t h, const struct fssvc_put *rq,
                           uint64_t *token)
{
    const size_t pages = FSSVC_MSG_MAX / HAL_PAGE_SIZE;
    uint8_t *in = hal_page_alloc(pages), out[8];
    struct fssvc_part p = {0, rq->len, 0, NULL, 0};
    size_t len = 0;
    int err = in != NULL ? 0 : ZERR_NOMEM;

    while (err == 0 && (p.offset < rq->len || p.offset == 0)) {
        uint64_t left = rq->len - p.offset;
        p.data = (const uint8_t *)rq->data + p.offset;
        p.len = left < FSSVC_PART_MAX ? (uint32_t)left : FSSVC_PART_MAX;
        err = fssvc_part_encode(&p, in, FSSVC_MSG_MAX, &len);
        struct rt_msg m = {FSSVC_OP_PART, in, len, out, sizeof(out), 0};
        err = err != 0 ? err : rt_call(rt, caller, h, &m);
        if (err == 0 && m.out_len != sizeof(out)) {
            err = ZERR_CORRUPT;
        }
        if (err == 0 && p.offset == 0) {
            p.token = le64_get(out);
        }
        p.offset += p.len;
    }
    if (in != NULL) {
        hal_page_free(in, pages);
    }
    *token = p.token;
    return err;
}

int fssvc_put_call(struct rt *rt, uint32_t caller, uint32_t h, const struct fssvc_put *rq,
                   struct axiom_result *res)
{
    uint8_t in[FSSVC_STAGED_LEN], out[AXIOM_RESULT_LEN];
    uint64_t token = 0;
    size_t len = 0;

    memset(res, 0, sizeof(*res));
    if (rq->len > FSSVC_PUT_MAX) {
        return res->err = ZERR_LIMIT;
    }
    if (FSSVC_PUT_FIXED + rq->len <= FSSVC_MSG_MAX) {
        return fssvc_put_one(rt, caller, h, rq, res);
    }
    int err = fssvc_put_parts(rt, caller, h, rq, &token);
    if (err != 0) {
        zfmt_snprintf(res->why, sizeof(res->why), "cannot stream the content: %s", zerr_text(err));
        return res->err = err;
    }
    err = fssvc_staged_encode(token, rq, in, sizeof(in), &len);
    struct rt_msg m = {FSSVC_OP_PUT_STAGED, in, len, out, sizeof(out), 0};
    if (err == 0) {
        err = rt_call(rt, caller, h, &m);
    }
    return fssvc_result(err, out, m.out_len, res);
}

int fssvc_read_call(struct rt *rt, uint32_t caller, uint32_t h, const char *path, uint64_t off,
                    void *buf, size_t cap, size_t *got, char *why)
{
    struct fssvc_read rq;
    uint8_t in[FSSVC_READ_LEN];
    size_t len = 0;

    *got = 0;
    why[0] = '\0';
    memset(&rq, 0, sizeof(rq));
    if (strlen(path) > FS_PATH_MAX) {
        return ZERR_INVAL;
    }
    memcpy(rq.path, path, strlen(path) + 1);
    rq.off = off;
    if (fssvc_read_encode(&rq, in, sizeof(in), &len) != 0) {
        return ZERR_INVAL;
    }
    struct rt_msg m = {FSSVC_OP_READ, in, len, buf, cap, 0};
    int err = rt_call(rt, caller, h, &m);
    if (err == ZERR_CORRUPT) {
        struct wire_in r;
        wire_in_init(&r, buf, m.out_len);
        wire_get_str(&r, why, FSSVC_WHY_MAX);
        if (wire_in_end(&r) != 0) {
            memcpy(why, "a damaged chunk (the reply did not say which)", 46);
        }
        return err;
    }
    *got = err == 0 ? m.out_len : 0;
    return err;
}

int fssvc_usage_call(struct rt *rt, uint32_t caller, uint32_t h, uint32_t op, struct fssvc_usage *u)
{
    uint8_t out[FSSVC_USAGE_LEN];
    struct rt_msg m = {op, NULL, 0, out, sizeof(out), 0};
    int err = rt_call(rt, caller, h, &m);

    memset(u, 0, sizeof(*u));
    if (err != 0) {
        return err;
    }
    return fssvc_usage_decode(out, m.out_len, u) != 0 ? ZERR_CORRUPT : 0;
}
