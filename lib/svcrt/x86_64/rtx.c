/* The service runtime over kernel IPC (x86_64); see rtx.h. */
#include "svcrt/x86_64/rtx.h"

#include "base/errors.h"
#include "base/string.h"
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

int rtx_call(struct rtx_chan *c, uint64_t ep, uint32_t op, uint64_t a0, uint64_t a1, size_t in_len,
             size_t *out_len)
{
    *out_len = 0;
    if (c->buf == NULL || in_len > RTX_BUF_LEN) {
        return c->buf == NULL ? ZERR_INVAL : ZERR_RANGE;
    }
    struct zmsg m = {.w = {op, in_len, a0, a1}};
    int64_t r = zero_call(ep, ZERO_CAP_NONE, &m);
    if (r != 0) {
        return (int)r;
    }
    if (m.w[1] > RTX_BUF_LEN) {
        return ZERR_CORRUPT;
    }
    *out_len = (size_t)m.w[1];
    return (int)(int64_t)m.w[0];
}

/* Maps a shared frame the client sent; 0 or a ZERR_* code. */
static int64_t serve_share(uint64_t va, const struct zmsg *m)
{
    if (m->cap == ZERO_CAP_NONE || m->w[2] >= RTX_PAGES) {
        return ZERR_INVAL;
    }
    return zsys4(SYS_MAP, ZERO_SLOT_ASPACE, m->cap, va + m->w[2] * PAGE, ZERO_MAP_WRITE);
}

int rtx_serve(uint64_t ep, uint64_t va, rtx_handler handle, void *self)
{
    struct zmsg m = {0};
    uint32_t shared = 0;
    int64_t r = zero_recv(ep, &m);
    while (r == 0) {
        struct rtx_req rq = {
            m.badge, (uint32_t)m.w[0], m.w[2], m.w[3], (uint8_t *)(uintptr_t)va, (size_t)m.w[1], 0,
            0};
        int64_t res;
        if (rq.op == RTX_OP_SHARE) {
            res = serve_share(va, &m);
            shared += res == 0 ? 1u : 0u;
        } else if (shared < RTX_PAGES || rq.in_len > RTX_BUF_LEN) {
            res = ZERR_INVAL; /* no buffer yet, or a length that cannot be */
        } else {
            res = handle(self, &rq);
        }
        m = (struct zmsg){.w = {(uint64_t)res, rq.out_len <= RTX_BUF_LEN ? rq.out_len : 0, 0, 0}};
        if (rq.stop) {
            zsys4(SYS_REPLY, 0, 0, m.w[0], m.w[1]);
            return 0;
        }
        r = zero_reply_recv(ep, &m);
    }
    return (int)r;
}
