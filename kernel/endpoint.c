/*
 * Endpoints: synchronous IPC (send, call, receive, reply) with a short
 * register message and one transferred capability.
 *
 * Results reach a thread through its saved state (status, badge,
 * transferred capability, message words: kernel/arch/x86_64/frame.h), so
 * waking a blocked thread and answering the running one are the same
 * operation.
 *
 * Fast path: a call that finds a receiver waiting, and a reply-receive that
 * finds no sender queued (kernel/syscall.c), switch straight to the partner
 * without touching the run queues.  ipc_call_fast and ipc_reply_recv_fast
 * are those two cases alone, in one pass each: they check every condition
 * first and do nothing unless all hold (the general code then runs), and
 * move the message straight from frame to frame.  kernel/entry.c runs them
 * with the kernel lock held shared (ipc_call_shared, ipc_reply_recv_shared:
 * under the endpoint's own lock), so that IPC on different endpoints goes
 * on on several CPUs at once; see docs/kernel.md, "Locking and SMP".
 */
#include "base/assert.h"
#include "base/errors.h"
#include "zero/abi.h"
#include "kernel/kernel.h"
#include "kernel/thread_queue.h"

struct endpoint endpoints[MAX_ENDPOINTS];

/* A fresh endpoint with one reference, or NULL when the pool is empty. */
struct endpoint *endpoint_alloc(void)
{
    for (int i = 0; i < MAX_ENDPOINTS; i++) {
        if (!endpoints[i].live) {
            struct endpoint *e = &endpoints[i];
            e->live = true;
            e->refs = 1;
            e->senders.head = e->senders.tail = NULL;
            e->receivers.head = e->receivers.tail = NULL;
            return e;
        }
    }
    return NULL;
}

/* Drops a reference; the last one wakes every queued thread with ZERR_BADCAP. */
void endpoint_put(struct endpoint *e)
{
    ZASSERT(e->refs > 0, "an endpoint is put once per reference taken");
    if (--e->refs > 0) {
        return;
    }
    struct thread *t;
    while ((t = tq_pop(&e->senders)) != NULL) {
        sched_wake(t, ZERR_BADCAP);
    }
    while ((t = tq_pop(&e->receivers)) != NULL) {
        sched_wake(t, ZERR_BADCAP);
    }
    e->live = false;
}

/*
 * Takes dying thread t out of every queue and reply relation; a caller
 * waiting on t's reply is woken with ZERR_NOENT.
 */
void ipc_cancel(struct thread *t)
{
    if (t->state == TS_SEND && t->ep != NULL) {
        tq_remove(&t->ep->senders, t);
    } else if (t->state == TS_RECV && t->ep != NULL) {
        tq_remove(&t->ep->receivers, t);
    } else if (t->state == TS_NOTIFY && t->ntfn != NULL) {
        tq_remove(&t->ntfn->waiters, t);
    }
    t->ep = NULL;
    t->ntfn = NULL;
    if (t->reply_from != NULL) {
        t->reply_from->reply_to = NULL;
        t->reply_from = NULL;
    }
    if (t->reply_to != NULL) {
        struct thread *caller = t->reply_to;
        t->reply_to = NULL;
        caller->reply_from = NULL;
        if (caller->state == TS_REPLY) {
            sched_wake(caller, ZERR_NOENT);
        }
    }
}

/*
 * Capability handle of p to e is being removed (deleted or revoked): every
 * thread of p queued on e through it, to send, call or receive, is woken
 * with ZERR_BADCAP.  Revocation takes authority away at once, including the
 * authority of an operation already waiting.
 */
void ipc_cancel_through(struct endpoint *e, const struct proc *p, uint32_t handle)
{
    struct thread_queue *queues[2] = {&e->senders, &e->receivers};
    for (int q = 0; q < 2; q++) {
        struct thread *next = NULL;
        for (struct thread *t = queues[q]->head; t != NULL; t = next) {
            next = t->next;
            if (t->proc == p && t->ep_cap == handle) {
                tq_remove(queues[q], t);
                t->ep = NULL;
                sched_wake(t, ZERR_BADCAP);
            }
        }
    }
}

/* Moves the message (and capability) of sender s to receiver r's frame. */
static void deliver(struct thread *s, struct thread *r)
{
    struct trap_frame *f = &r->frame;
    frame_set_return(f, 0);
    frame_set_badge(f, s->badge);
    frame_set_cap(f, ZERO_CAP_NONE);
    for (unsigned i = 0; i < MSG_WORDS; i++) {
        frame_set_msg(f, i, s->msg[i]);
    }
    if (s->xfer_cap != CAP_NONE) {
        int h = cap_copy(&s->proc->cspace, s->xfer_cap, &r->proc->cspace, CAP_SLOT_ANY,
                         CAP_RIGHTS_ALL, 0);
        if (h >= 0) {
            frame_set_cap(f, (uint64_t)h);
        }
    }
}

/* Links caller c and server s for the reply, and blocks c. */
static void await_reply(struct thread *c, struct thread *s)
{
    if (s->reply_to != NULL) { /* an unanswered earlier caller: it gets an error */
        struct thread *old = s->reply_to;
        old->reply_from = NULL;
        sched_wake(old, ZERR_NOENT);
    }
    c->state = TS_REPLY;
    c->reply_from = s;
    s->reply_to = c;
}

/*
 * Send or call from the current thread t on e (message, badge and xfer_cap
 * already in t).  Returns true if t keeps running (a send that found a
 * receiver); otherwise the caller must reschedule.
 */
bool ipc_send(struct thread *t, struct endpoint *e)
{
    struct thread *r = tq_pop(&e->receivers);
    if (r == NULL) {
        t->state = TS_SEND;
        t->ep = e;
        tq_push(&e->senders, t);
        return false;
    }
    r->ep = NULL;
    deliver(t, r);
    if (!t->is_call) {
        frame_set_return(&t->frame, 0);
        sched_ready(r);
        return true;
    }
    await_reply(t, r);
    if (!sched_may_run(r, arch_cpu()->id)) {
        sched_ready(r); /* the server may not run here: it runs on its CPU */
        return false;
    }
    r->state = TS_RUNNING; /* fast path: straight to the server */
    sched_switch(t, r);
    return true;
}

/*
 * Receive on e for the current thread t.  Returns true if a message was
 * waiting (t keeps running), false if t blocked.
 */
bool ipc_recv(struct thread *t, struct endpoint *e)
{
    struct thread *s = tq_pop(&e->senders);
    if (s == NULL) {
        t->state = TS_RECV;
        t->ep = e;
        tq_push(&e->receivers, t);
        return false;
    }
    s->ep = NULL;
    deliver(s, t);
    if (s->is_call) {
        await_reply(s, t);
    } else {
        frame_set_return(&s->frame, 0);
        sched_ready(s);
    }
    return true;
}

/* Answers the caller waiting on t's reply with msg; returns it (or NULL). */
struct thread *ipc_reply(struct thread *t, const uint64_t msg[MSG_WORDS])
{
    struct thread *c = t->reply_to;
    if (c == NULL) {
        return NULL;
    }
    t->reply_to = NULL;
    c->reply_from = NULL;
    struct trap_frame *f = &c->frame;
    frame_set_return(f, 0);
    frame_set_cap(f, ZERO_CAP_NONE);
    for (unsigned i = 0; i < MSG_WORDS; i++) {
        frame_set_msg(f, i, msg[i]);
    }
    return c;
}

/*
 * The common call: no capability transferred, a receiver r waiting on e
 * that has no unanswered caller and may run on this CPU.  Moves the
 * message from f (t's saved state) to r, blocks t for the reply and
 * switches to r.  Returns false, having changed nothing, otherwise.
 */
static inline __attribute__((always_inline)) bool
call_fast(struct thread *t, const struct trap_frame *f, struct endpoint *e, uint64_t badge)
{
    struct thread *r = e->receivers.head;
    if (r == NULL || r->reply_to != NULL || !sched_may_run(r, t->cpu)) {
        return false;
    }
    tq_remove(&e->receivers, r);
    r->ep = NULL;
    struct trap_frame *rf = &r->frame;
    frame_set_return(rf, 0);
    frame_set_badge(rf, badge);
    frame_set_cap(rf, ZERO_CAP_NONE);
    for (unsigned i = 0; i < MSG_WORDS; i++) {
        frame_set_msg(rf, i, frame_msg(f, i));
    }
    t->state = TS_REPLY; /* on no queue: its badge and handle are not needed */
    t->reply_from = r;
    r->reply_to = t;
    r->state = TS_RUNNING;
    sched_switch(t, r);
    return true;
}

/*
 * The common reply-receive: t answers caller c (waiting for the reply, may
 * run on this CPU) with the message in f, finds no sender queued on e,
 * waits there (through handle) and switches to c.  Returns false, having
 * changed nothing, otherwise.
 */
static inline __attribute__((always_inline)) bool
reply_recv_fast(struct thread *t, const struct trap_frame *f, struct endpoint *e, uint32_t handle)
{
    struct thread *c = t->reply_to;
    if (c == NULL || e->senders.head != NULL || !sched_may_run(c, t->cpu)) {
        return false;
    }
    t->reply_to = NULL;
    c->reply_from = NULL;
    struct trap_frame *cf = &c->frame;
    frame_set_return(cf, 0);
    frame_set_cap(cf, ZERO_CAP_NONE);
    for (unsigned i = 0; i < MSG_WORDS; i++) {
        frame_set_msg(cf, i, frame_msg(f, i));
    }
    t->ep_cap = handle;
    t->state = TS_RECV;
    t->ep = e;
    tq_push(&e->receivers, t);
    c->state = TS_RUNNING;
    sched_switch(t, c);
    return true;
}

bool ipc_call_fast(struct thread *t, const struct trap_frame *f, struct endpoint *e, uint64_t badge)
{
    return call_fast(t, f, e, badge);
}

bool ipc_reply_recv_fast(struct thread *t, const struct trap_frame *f, struct endpoint *e,
                         uint32_t handle)
{
    return reply_recv_fast(t, f, e, handle);
}

/*
 * The endpoint lock: taken by the IPC fast path, which runs with the
 * kernel lock held shared (kernel/entry.c), so that two CPUs never work on
 * one endpoint's queues at once.  It is held until the thread that leaves
 * this CPU has been switched out (its registers saved): the CPU that takes
 * it off the queue next may run it at once.  The general paths run with
 * the kernel lock held, when no CPU holds it shared, and do not take it.
 */
static void ep_lock(struct endpoint *e)
{
    while (__atomic_exchange_n(&e->lock, 1, __ATOMIC_ACQUIRE) != 0) {
        while (__atomic_load_n(&e->lock, __ATOMIC_RELAXED) != 0) {
        }
    }
}

static void ep_unlock(struct endpoint *e)
{
    __atomic_store_n(&e->lock, 0, __ATOMIC_RELEASE);
}

/* ipc_call_fast with the kernel lock held shared. */
bool ipc_call_shared(struct thread *t, const struct trap_frame *f, struct endpoint *e,
                     uint64_t badge)
{
    ep_lock(e);
    bool done = call_fast(t, f, e, badge);
    ep_unlock(e);
    return done;
}

/* ipc_reply_recv_fast with the kernel lock held shared. */
bool ipc_reply_recv_shared(struct thread *t, const struct trap_frame *f, struct endpoint *e,
                           uint32_t handle)
{
    ep_lock(e);
    bool done = reply_recv_fast(t, f, e, handle);
    ep_unlock(e);
    return done;
}
