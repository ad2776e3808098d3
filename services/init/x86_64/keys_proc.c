/*
 * The key service as its own process (see keys_proc.h).  Wire format over
 * the runtime channel (svcrt/x86_64/rtx.h):
 *
 *   KEYS_OP_PUBLIC / KEYS_OP_SIGN: a0 generation, a1 name length; buffer:
 *     name bytes, then the message to sign; reply: the key or signature.
 *   KP_OP_ROOT: buffer: the 32-byte root secret (accepted once).
 *   KP_OP_STOP: wipe every secret, reply, exit.
 */
#include "services/init/x86_64/keys_proc.h"

#include "base/errors.h"
#include "base/string.h"
#include "crypto/ct.h"
#include "services/keys/keys.h"
#include "svcrt/runtime.h"
#include "zero/zero.h"

#define KP_OP_ROOT 0x100u
#define KP_OP_STOP 0x101u
#define KP_NAME_MAX 32u
#define KP_BUF_VA 0x0000400000000000ull

/* ---- the node's side --------------------------------------------------------- */

/* Endpoint capability for a runtime badge: the kernel badge says the same. */
static int kp_endpoint(const struct keys_proc *kp, uint64_t badge, uint64_t *ep)
{
    if (badge == KEYS_BADGE_PUBLIC) {
        *ep = kp->ep_public;
    } else if (badge == KEYS_BADGE_SIGN) {
        *ep = kp->ep_sign;
    } else {
        return ZERR_PERM;
    }
    return 0;
}

/* The runtime handler of the key service in the node: forwards over IPC. */
static int kp_forward(void *self, uint64_t badge, struct rt_msg *m)
{
    struct keys_proc *kp = self;
    const struct keys_req *rq = m->in;
    uint64_t ep;
    int err = kp_endpoint(kp, badge, &ep);
    if (err != 0) {
        return err;
    }
    if (rq == NULL || m->in_len != sizeof(*rq) || rq->name == NULL) {
        return ZERR_INVAL;
    }
    size_t nlen = strnlen(rq->name, KP_NAME_MAX + 1);
    size_t mlen = m->op == KEYS_OP_SIGN ? rq->len : 0;
    if (nlen > KP_NAME_MAX || mlen > RTX_BUF_LEN - nlen || (mlen > 0 && rq->msg == NULL)) {
        return nlen > KP_NAME_MAX ? ZERR_INVAL : ZERR_RANGE;
    }
    memcpy(kp->chan.buf, rq->name, nlen);
    if (mlen > 0) {
        memcpy(kp->chan.buf + nlen, rq->msg, mlen);
    }
    size_t out_len = 0;
    err = rtx_call(&kp->chan, ep, m->op, rq->gen, nlen, nlen + mlen, &out_len);
    if (err == 0 && (out_len > m->out_cap || m->out == NULL)) {
        return ZERR_RANGE;
    }
    if (err == 0) {
        memcpy(m->out, kp->chan.buf, out_len);
        m->out_len = out_len;
    }
    return err;
}

static int kp_start(void *self, const uint8_t root[KEYS_SECRET_LEN])
{
    struct keys_proc *kp = self;
    size_t out_len;
    memcpy(kp->chan.buf, root, KEYS_SECRET_LEN);
    int err = rtx_call(&kp->chan, kp->ep_sign, KP_OP_ROOT, 0, 0, KEYS_SECRET_LEN, &out_len);
    secure_zero(kp->chan.buf, KEYS_SECRET_LEN);
    return err;
}

static void kp_stop(void *self)
{
    keys_proc_end(self);
}

/* A badged copy of ep that may call (WRITE) and pass capabilities (GRANT). */
static int64_t kp_derive(uint64_t ep, uint64_t badge)
{
    return zsys4(SYS_CAP_DERIVE, ep, ZERO_SLOT_ANY, CAP_RIGHT_WRITE | CAP_RIGHT_GRANT, badge);
}

int keys_proc_attach(struct keys_proc *kp, uint64_t ep_public, uint64_t ep_sign)
{
    memset(kp, 0, sizeof(*kp));
    kp->thread = ZERO_CAP_NONE;
    kp->ep_public = ep_public;
    kp->ep_sign = ep_sign;
    kp->running = true;
    int err = rtx_open(&kp->chan, kp->ep_sign, KP_BUF_VA);
    if (err != 0) {
        keys_proc_end(kp);
        return err;
    }
    kp->remote = (struct node_keys_remote){kp, kp_forward, kp_start, kp_stop};
    return 0;
}

int keys_proc_spawn(struct keys_proc *kp, uint64_t role)
{
    int64_t ep = zsys3(SYS_ENDPOINT_CREATE, 0, 0, 0);
    if (ep < 0) {
        return (int)ep;
    }
    struct zsys r = {SYS_SPAWN, 0, role, (uint64_t)ep, ZERO_CAP_NONE, 0, 0};
    zsys_raw(&r);
    if ((int64_t)r.rax < 0) {
        return (int)(int64_t)r.rax;
    }
    int64_t pub = kp_derive((uint64_t)ep, KEYS_BADGE_PUBLIC);
    int64_t sign = kp_derive((uint64_t)ep, KEYS_BADGE_SIGN);
    if (pub < 0 || sign < 0) {
        zsys3(SYS_THREAD_KILL, r.rax, 0, 0);
        return (int)(pub < 0 ? pub : sign);
    }
    int err = keys_proc_attach(kp, (uint64_t)pub, (uint64_t)sign);
    kp->thread = r.rax;
    if (err != 0) {
        zsys3(SYS_THREAD_KILL, kp->thread, 0, 0);
    }
    return err;
}

void keys_proc_end(struct keys_proc *kp)
{
    if (!kp->running) {
        return;
    }
    size_t out_len;
    if ((kp->chan.buf == NULL ||
         rtx_call(&kp->chan, kp->ep_sign, KP_OP_STOP, 0, 0, 0, &out_len) != 0) &&
        kp->thread != ZERO_CAP_NONE) {
        zsys3(SYS_THREAD_KILL, kp->thread, 0, 0);
    }
    kp->running = false;
}

/* ---- the key process ------------------------------------------------------------ */

struct kp_server {
    struct keys keys;
    char name[KP_NAME_MAX + 1];
    uint8_t msg[RTX_BUF_LEN];
    uint8_t out[KEYS_SIG_LEN];
};

/* Copies the request out of the shared buffer, then lets keys_handle check and serve it. */
static int kp_serve_keys(struct kp_server *s, struct rtx_req *rq)
{
    size_t nlen = rq->a1;
    if (nlen == 0 || nlen > KP_NAME_MAX || nlen > rq->in_len) {
        return ZERR_INVAL;
    }
    memset(s->name, 0, sizeof(s->name));
    memcpy(s->name, rq->buf, nlen);
    size_t mlen = rq->in_len - nlen;
    memcpy(s->msg, rq->buf + nlen, mlen);
    struct keys_req kr = {s->name, (uint32_t)rq->a0, s->msg, mlen};
    struct rt_msg m = {rq->op, {0}, &kr, sizeof(kr), s->out, sizeof(s->out), 0};
    int err = keys_handle(&s->keys, rq->badge, &m);
    if (err == 0) {
        memcpy(rq->buf, s->out, m.out_len);
        rq->out_len = m.out_len;
    }
    secure_zero(s->msg, mlen);
    return err;
}

static int kp_handle(void *self, struct rtx_req *rq)
{
    struct kp_server *s = self;
    switch (rq->op) {
    case KP_OP_ROOT:
        if (s->keys.ready || rq->in_len != KEYS_SECRET_LEN) {
            return ZERR_DENIED;
        }
        keys_init(&s->keys, rq->buf);
        secure_zero(rq->buf, KEYS_SECRET_LEN);
        return 0;
    case KP_OP_STOP:
        keys_wipe(&s->keys);
        rq->stop = 1;
        return 0;
    default:
        return s->keys.ready ? kp_serve_keys(s, rq) : ZERR_AGAIN;
    }
}

int keys_proc_serve(void)
{
    static struct kp_server server;
    int err = rtx_serve(ZERO_SLOT_EP, KP_BUF_VA, kp_handle, &server);
    keys_wipe(&server.keys);
    return err == 0 ? 0 : 1;
}
