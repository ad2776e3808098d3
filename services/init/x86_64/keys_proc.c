/*
 * The key service as its own process (see keys_proc.h).  Its messages are
 * the key service's own (services/keys/keys.h), carried by the runtime's
 * generic forwarder and server (svcrt/x86_64/rtx.h); two more operations
 * belong to the node and the key process alone:
 *
 *   KP_OP_ROOT: buffer: the 32-byte root secret (accepted once; again only the same
 *               one, from an Axiom that was started again).
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
#define KP_BUF_VA 0x0000400000000000ull

/* ---- the node's side --------------------------------------------------------- */

int keys_proc_forward_patient(void *self, uint64_t badge, struct rt_msg *m)
{
    int err = rtx_forward(self, badge, m);
    uint64_t until = zero_ticks() + 200u; /* 10 ms ticks */
    while (err == ZERR_AGAIN && zero_ticks() < until) {
        uint64_t next = zero_ticks() + 1u;
        while (zero_ticks() < next) {
            zero_yield();
        }
        err = rtx_forward(self, badge, m);
    }
    return err;
}

/* The runtime handler of the key service in the node: the proxy for the caller's badge.
 * A key process started again answers ZERR_AGAIN until it has the root secret: the
 * node hands it over (refeed) and asks once more. */
static int kp_forward(void *self, uint64_t badge, struct rt_msg *m)
{
    struct keys_proc *kp = self;
    struct rtx_proxy *px = badge == KEYS_BADGE_PUBLIC ? &kp->proxy_public
                           : badge == KEYS_BADGE_SIGN ? &kp->proxy_sign
                                                      : NULL;
    if (px == NULL) {
        return ZERR_PERM;
    }
    int err = rtx_forward(px, badge, m);
    if (err == ZERR_AGAIN && kp->refeed != NULL && kp->refeed(kp->refeed_ctx) == 0) {
        err = rtx_forward(px, badge, m);
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
    kp->proxy_public = (struct rtx_proxy){&kp->chan, ep_public};
    kp->proxy_sign = (struct rtx_proxy){&kp->chan, ep_sign};
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
};

static int kp_handle(void *self, struct rtx_req *rq)
{
    struct kp_server *s = self;
    bool node = (RTX_BADGE_BITS(rq->badge) & KEYS_BADGE_SIGN) != 0;
    if ((rq->op == KP_OP_ROOT || rq->op == KP_OP_STOP) && !node) {
        return ZERR_PERM; /* only the holder of the signing capability starts and stops it */
    }
    switch (rq->op) {
    case KP_OP_ROOT:
        if (rq->in_len != KEYS_SECRET_LEN) {
            return ZERR_DENIED;
        }
        if (s->keys.ready) {
            /* A restarted Axiom hands the secret again: the same one only. */
            int same = ct_equal(s->keys.root, rq->buf, KEYS_SECRET_LEN);
            secure_zero(rq->buf, KEYS_SECRET_LEN);
            return same ? 0 : ZERR_DENIED;
        }
        keys_init(&s->keys, rq->buf);
        secure_zero(rq->buf, KEYS_SECRET_LEN);
        return 0;
    case KP_OP_STOP:
        keys_wipe(&s->keys);
        rq->stop = 1;
        return 0;
    default:
        return s->keys.ready ? rtx_dispatch(rq, keys_handle, &s->keys) : ZERR_AGAIN;
    }
}

int keys_proc_serve(void)
{
    static struct kp_server server;
    int err = rtx_serve(ZERO_SLOT_EP, KP_BUF_VA, kp_handle, &server);
    keys_wipe(&server.keys);
    return err == 0 ? 0 : 1;
}
