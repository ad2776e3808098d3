/*
 * The filesystem service's messages as bytes (docs/services.md), and a
 * client's calls.
 */
#include "base/errors.h"
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

int fssvc_put_call(struct rt *rt, uint32_t caller, uint32_t h, const struct fssvc_put *rq,
                   struct axiom_result *res)
{
    uint8_t out[AXIOM_RESULT_LEN];
    size_t cap = FSSVC_PUT_FIXED + (size_t)rq->len, len = 0;
    size_t pages = (cap + HAL_PAGE_SIZE - 1) / HAL_PAGE_SIZE;

    memset(res, 0, sizeof(*res));
    if (rq->len > FSSVC_PUT_MAX) {
        return res->err = ZERR_LIMIT;
    }
    uint8_t *buf = hal_page_alloc(pages);
    if (buf == NULL) {
        return res->err = ZERR_NOMEM;
    }
    int err = fssvc_put_encode(rq, buf, cap, &len);
    if (err == 0) {
        struct rt_msg m = {FSSVC_OP_PUT, buf, len, out, sizeof(out), 0};
        err = rt_call(rt, caller, h, &m);
        if (m.out_len != 0 && axiom_result_decode(out, m.out_len, res) != 0) {
            memset(res, 0, sizeof(*res));
            memcpy(res->why, "malformed reply from the filesystem", 36);
            err = err != 0 ? err : ZERR_CORRUPT;
        }
    }
    hal_page_free(buf, pages);
    res->err = err;
    return err;
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
