/*
 * The key service as its own process (see keys_proc.h).  Its messages are
 * the key service's own (services/keys/keys.h), carried by the runtime's
 * generic forwarder and server (svcrt/x86_64/rtx.h); two more operations
 * belong to the node and the key process alone:
 *
 *   KP_OP_ROOT: buffer: the 32-byte root secret (accepted once; again only the same
 *               one, from an Axiom that was started again).
 *   KP_OP_SEALED: buffer: a sealed key slot (512 bytes) and the node's
 *       public key (32): the root secret comes when the slot is opened
 *       with KP_OP_PASS (instead of KP_OP_ROOT; again only the same slot).
 *   KP_OP_STOP: wipe every secret, reply, exit.
 *
 * and two to the holder of KEYS_BADGE_UNLOCK (the terminal) or the node:
 *
 *   KP_OP_STATE: out: one byte, KP_STATE_*.
 *   KP_OP_PASS (KEYS_BADGE_UNLOCK only): buffer: the operator's
 *       passphrase.  A locked sealed slot is opened with it (ZERR_BADSIG:
 *       wrong, nothing changes); once open, the passphrase is checked
 *       against it again (the terminal's login).  ZERR_UNSUPPORTED when the
 *       slot is not sealed, ZERR_AGAIN before the node has said, ZERR_PERM
 *       for an empty passphrase on a sealed slot ("a passphrase is needed").
 */
#include "services/init/x86_64/keys_proc.h"

#include "base/errors.h"
#include "base/string.h"
#include "crypto/ct.h"
#include "hal/hal.h"
#include "services/keys/keys.h"
#include "services/keys/slot.h"
#include "svcrt/runtime.h"
#include "zero/zero.h"

#define KP_OP_ROOT 0x100u
#define KP_OP_STOP 0x101u
#define KP_OP_SEALED 0x102u
#define KP_WAIT_MS 100u /* the node's poll for an unlock */
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

/* The state of the key process, or a ZERR_* code. */
static int kp_state(struct keys_proc *kp)
{
    size_t out_len = 0;
    int err = rtx_call(&kp->chan, kp->ep_sign, KP_OP_STATE, 0, 0, 0, &out_len);
    return err != 0 ? err : out_len == 1 ? kp->chan.buf[0] : ZERR_CORRUPT;
}

/* Hands the sealed slot over, then waits (polling) until the terminal has unlocked it. */
static int kp_start_sealed(void *self, const uint8_t *slot, const uint8_t node_pub[KEYS_PUB_LEN])
{
    struct keys_proc *kp = self;
    size_t out_len;
    memcpy(kp->chan.buf, slot, KEYSLOT_LEN);
    memcpy(kp->chan.buf + KEYSLOT_LEN, node_pub, KEYS_PUB_LEN);
    int err =
        rtx_call(&kp->chan, kp->ep_sign, KP_OP_SEALED, 0, 0, KEYSLOT_LEN + KEYS_PUB_LEN, &out_len);
    int64_t timer = err != 0 ? err : zsys3(SYS_NTFN_CREATE, 0, 0, 0);
    err = timer < 0 ? (int)timer : 0;
    if (err == 0) {
        hal_console_write(KP_SAY_SEALED, sizeof(KP_SAY_SEALED) - 1);
    }
    int st = err != 0 ? err : kp_state(kp);
    while (st == KP_STATE_LOCKED) {
        uint64_t bits;
        zsys3(SYS_TIMER, (uint64_t)timer, KP_WAIT_MS * 1000000ull, 0);
        zero_wait((uint64_t)timer, &bits, 1);
        st = kp_state(kp);
    }
    if (timer >= 0) {
        zsys3(SYS_CAP_DELETE, (uint64_t)timer, 0, 0);
    }
    return st < 0 ? st : st == KP_STATE_SEALED_OPEN ? 0 : ZERR_CORRUPT;
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
    kp->remote = (struct node_keys_remote){kp, kp_forward, kp_start, kp_stop, kp_start_sealed};
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
    bool sealed; /* the root secret comes from this sealed slot */
    uint8_t slot[KEYSLOT_LEN];
    uint8_t pass[KEYSLOT_PASS_MAX];
};

static int kp_state_of(const struct kp_server *s)
{
    return s->sealed ? (s->keys.ready ? KP_STATE_SEALED_OPEN : KP_STATE_LOCKED)
                     : (s->keys.ready ? KP_STATE_PLAIN : KP_STATE_NONE);
}

/* KP_OP_SEALED: keeps a sealed slot that checks under the node key given with it. */
static int kp_take_sealed(struct kp_server *s, struct rtx_req *rq)
{
    if (rq->in_len != KEYSLOT_LEN + KEYS_PUB_LEN || (s->keys.ready && !s->sealed)) {
        return ZERR_DENIED;
    }
    if (s->sealed) { /* a restarted Axiom hands the slot again: the same one only */
        return memcmp(s->slot, rq->buf, KEYSLOT_LEN) == 0 ? 0 : ZERR_DENIED;
    }
    memcpy(s->slot, rq->buf, KEYSLOT_LEN);
    if (keyslot_check(s->slot, rq->buf + KEYSLOT_LEN) != KEYSLOT_PASSPHRASE) {
        return ZERR_CORRUPT;
    }
    s->sealed = true;
    return 0;
}

/* KP_OP_PASS: opens the sealed slot with the passphrase, or checks it against the open one. */
static int kp_pass(struct kp_server *s, struct rtx_req *rq)
{
    uint8_t root[KEYS_SECRET_LEN];
    size_t len = rq->in_len;
    if (!s->sealed) {
        return s->keys.ready ? ZERR_UNSUPPORTED : ZERR_AGAIN;
    }
    if (len == 0) {
        return ZERR_PERM;
    }
    if (len > sizeof(s->pass)) {
        return ZERR_BADSIG; /* no passphrase this long was ever sealed */
    }
    memcpy(s->pass, rq->buf, len); /* copied out: the client can change the shared buffer */
    secure_zero(rq->buf, len);
    int err = keyslot_open(s->slot, s->pass, len, root);
    secure_zero(s->pass, sizeof(s->pass));
    if (err == 0 && s->keys.ready) {
        err = ct_equal(root, s->keys.root, KEYS_SECRET_LEN) ? 0 : ZERR_BADSIG;
    } else if (err == 0) {
        keys_init(&s->keys, root);
    }
    secure_zero(root, sizeof(root));
    return err;
}

static int kp_handle(void *self, struct rtx_req *rq)
{
    struct kp_server *s = self;
    uint64_t bits = RTX_BADGE_BITS(rq->badge);
    bool node = (bits & KEYS_BADGE_SIGN) != 0;
    bool unlock = (bits & KEYS_BADGE_UNLOCK) != 0;
    if ((rq->op == KP_OP_ROOT || rq->op == KP_OP_STOP || rq->op == KP_OP_SEALED) && !node) {
        return ZERR_PERM; /* only the holder of the signing capability starts and stops it */
    }
    if ((rq->op == KP_OP_STATE && !node && !unlock) || (rq->op == KP_OP_PASS && !unlock)) {
        return ZERR_PERM;
    }
    switch (rq->op) {
    case KP_OP_ROOT:
        if (s->sealed || rq->in_len != KEYS_SECRET_LEN) {
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
    case KP_OP_SEALED:
        return kp_take_sealed(s, rq);
    case KP_OP_STATE:
        rq->buf[0] = (uint8_t)kp_state_of(s);
        rq->out_len = 1;
        return 0;
    case KP_OP_PASS:
        return kp_pass(s, rq);
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
