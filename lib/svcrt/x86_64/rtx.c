/* The service runtime over kernel IPC (x86_64); see rtx.h. */
#include "svcrt/x86_64/rtx.h"

#include "base/errors.h"
#include "base/string.h"
#include "crypto/ct.h"
#include "svcrt/runtime.h"
#include "zero/zero.h"

#define PAGE 4096u

int rtx_open(struct rtx_chan *c, uint64_t ep, uint64_t va)
{
    memset(c, 0, sizeof(*c));
    c->ep = ep;
    for (uint32_t i = 0; i < RTX_PAGES; i++) {
        int64_t f = zsys3(SYS_FRAME_ALLOC, 0, 0, 0);
        if (f < 0) {
            return (int)f;
        }
        c->frame[i] = (uint64_t)f;
        int64_t r = zsys4(SYS_MAP, ZERO_SLOT_ASPACE, (uint64_t)f, va + i * PAGE, ZERO_MAP_WRITE);
        struct zmsg m = {.w = {RTX_OP_SHARE, 0, i, 0}};
        r = r != 0 ? r : zero_call(ep, (uint64_t)f, &m);
        r = r != 0 ? r : (int64_t)m.w[0];
        if (r != 0) {
            return (int)r;
        }
    }
    c->buf = (uint8_t *)(uintptr_t)va;
    return 0;
}

/* Shares c's frames again with the server behind ep (a restarted server has none). */
static int64_t rtx_reshare(const struct rtx_chan *c, uint64_t ep)
{
    int64_t r = 0;
    for (uint32_t i = 0; r == 0 && i < RTX_PAGES; i++) {
        struct zmsg m = {.w = {RTX_OP_SHARE, 0, i, 0}};
        r = zero_call(ep, c->frame[i], &m);
        r = r != 0 ? r : (int64_t)m.w[0];
    }
    return r;
}

int rtx_call(struct rtx_chan *c, uint64_t ep, uint32_t op, uint64_t a0, uint64_t a1, size_t in_len,
             size_t *out_len)
{
    *out_len = 0;
    if (c->buf == NULL || in_len > RTX_BUF_LEN) {
        return c->buf == NULL ? ZERR_INVAL : ZERR_RANGE;
    }
    struct zmsg m = {.w = {op, in_len, a0, a1}};
    int64_t r = zero_call(ep, ZERO_CAP_NONE, &m);
    if (r == 0 && (int64_t)m.w[0] == ZERR_AGAIN && m.w[2] == RTX_OP_SHARE) {
        /* The server was started again on the same endpoint: share, then ask once more. */
        r = rtx_reshare(c, ep);
        m = (struct zmsg){.w = {op, in_len, a0, a1}};
        r = r != 0 ? r : zero_call(ep, ZERO_CAP_NONE, &m);
    }
    if (r != 0) {
        return (int)r;
    }
    if (m.w[1] > RTX_BUF_LEN) {
        return ZERR_CORRUPT;
    }
    *out_len = (size_t)m.w[1];
    return (int)(int64_t)m.w[0];
}

/*
 * Maps a shared frame client channel chan sent; 0 or a ZERR_* code.  A
 * client started again (same badge, new frames) replaces the page: the old
 * frame capability is deleted, which removes its mapping.
 */
static int64_t serve_share(uint64_t va, uint32_t chan, const struct zmsg *m,
                           uint64_t held[RTX_MAX_CHANS][RTX_PAGES])
{
    if (m->cap == ZERO_CAP_NONE || m->w[2] >= RTX_PAGES) {
        return ZERR_INVAL;
    }
    uint64_t *old = &held[chan][m->w[2]];
    if (*old != ZERO_CAP_NONE) {
        zsys3(SYS_CAP_DELETE, *old, 0, 0);
        *old = ZERO_CAP_NONE;
    }
    uint64_t at = va + (uint64_t)chan * RTX_BUF_LEN + m->w[2] * PAGE;
    int64_t r = zsys4(SYS_MAP, ZERO_SLOT_ASPACE, m->cap, at, ZERO_MAP_WRITE);
    *old = r == 0 ? m->cap : ZERO_CAP_NONE;
    return r;
}

int rtx_serve(uint64_t ep, uint64_t va, rtx_handler handle, void *self)
{
    struct zmsg m = {0};
    uint32_t shared[RTX_MAX_CHANS] = {0};    /* pages mapped, one bit each */
    uint64_t held[RTX_MAX_CHANS][RTX_PAGES]; /* the frame capability of each page */
    for (uint32_t c = 0; c < RTX_MAX_CHANS; c++) {
        for (uint32_t i = 0; i < RTX_PAGES; i++) {
            held[c][i] = ZERO_CAP_NONE;
        }
    }
    int64_t r = zero_recv(ep, &m);
    while (r == 0) {
        uint32_t chan = RTX_BADGE_CHAN(m.badge);
        uint8_t *buf = (uint8_t *)(uintptr_t)(va + (uint64_t)chan * RTX_BUF_LEN);
        struct rtx_req rq = {m.badge, (uint32_t)m.w[0], m.w[2], m.w[3], buf, (size_t)m.w[1], 0, 0};
        int64_t res;
        uint64_t hint = 0;
        if (chan >= RTX_MAX_CHANS) {
            res = ZERR_BADCAP; /* a badge no channel was made for */
        } else if (rq.op == RTX_OP_SHARE) {
            res = serve_share(va, chan, &m, held);
            shared[chan] |= res == 0 ? 1u << (m.w[2] & 31u) : 0u;
        } else if (shared[chan] != (1u << RTX_PAGES) - 1u) {
            res = ZERR_AGAIN; /* no buffer yet (this server was started again): share first */
            hint = RTX_OP_SHARE;
        } else if (rq.in_len > RTX_BUF_LEN) {
            res = ZERR_INVAL; /* a length that cannot be */
        } else {
            res = handle(self, &rq);
        }
        m = (struct zmsg){
            .w = {(uint64_t)res, rq.out_len <= RTX_BUF_LEN ? rq.out_len : 0, hint, 0}};
        if (rq.stop) {
            zsys4(SYS_REPLY, 0, 0, m.w[0], m.w[1]);
            return 0;
        }
        r = zero_reply_recv(ep, &m);
    }
    return (int)r;
}

int rtx_dispatch(struct rtx_req *rq, rt_handler handle, void *self)
{
    static uint8_t in[RTX_BUF_LEN], out[RTX_BUF_LEN];
    size_t cap = rq->a0 < RTX_BUF_LEN ? (size_t)rq->a0 : RTX_BUF_LEN;

    /* The client can change the shared buffer at any time: the handler reads a copy. */
    memcpy(in, rq->buf, rq->in_len);
    struct rt_msg m = {rq->op, in, rq->in_len, out, cap, 0};
    int err = handle(self, RTX_BADGE_BITS(rq->badge), &m);
    size_t n = m.out_len <= cap ? m.out_len : 0;
    memcpy(rq->buf, out, n);
    rq->out_len = n;
    secure_zero(in, rq->in_len);
    return err;
}

struct rtx_rt_server {
    rt_handler handle;
    void *self;
};

static int rtx_rt_serve_one(void *self, struct rtx_req *rq)
{
    struct rtx_rt_server *s = self;
    return rtx_dispatch(rq, s->handle, s->self);
}

int rtx_serve_rt(uint64_t ep, uint64_t va, rt_handler handle, void *self)
{
    struct rtx_rt_server s = {handle, self};
    return rtx_serve(ep, va, rtx_rt_serve_one, &s);
}

int rtx_forward(void *self, uint64_t badge, struct rt_msg *m)
{
    struct rtx_proxy *p = self;
    size_t cap = m->out != NULL ? m->out_cap : 0;
    size_t out_len = 0;

    (void)badge; /* the kernel delivers p->ep's badge */
    if (m->in_len > RTX_BUF_LEN || (m->in_len > 0 && m->in == NULL)) {
        return m->in_len > RTX_BUF_LEN ? ZERR_RANGE : ZERR_INVAL;
    }
    cap = cap < RTX_BUF_LEN ? cap : RTX_BUF_LEN;
    if (m->in_len > 0) {
        memcpy(p->chan->buf, m->in, m->in_len);
    }
    int err = rtx_call(p->chan, p->ep, m->op, cap, 0, m->in_len, &out_len);
    if (out_len > cap) {
        return ZERR_CORRUPT; /* more than there was room for: not a reply this side sent for */
    }
    if (out_len > 0) {
        memcpy(m->out, p->chan->buf, out_len);
    }
    m->out_len = out_len;
    return err;
}
