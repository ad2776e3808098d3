/*
 * IPC: synchronous endpoints (send, call, receive, reply) with a short
 * register message and one transferred capability, and asynchronous
 * notifications (a word of bits, OR-ed by signals, taken by a wait).
 *
 * Results reach a thread through its saved frame (status, badge or bits,
 * transferred capability, message words: kernel/arch/x86_64/frame.h), so
 * waking a blocked thread and answering the running one are the same
 * operation.
 *
 * Fast path: a call that finds a receiver waiting, and a reply-receive that
 * finds no sender queued, switch straight to the partner without touching
 * the run queues.
 */
#include "base/errors.h"
#include "kernel/abi.h"
#include "kernel/kernel.h"

struct endpoint endpoints[MAX_ENDPOINTS];
struct notification notifications[MAX_NOTIFICATIONS];
static struct notification *irq_ntfn[MAX_IRQS];
static uint64_t irq_bits[MAX_IRQS];

/* One-shot timers: each holds a reference on its notification until it fires. */
struct timer {
    struct notification *n;
    const struct proc *owner;
    uint64_t bits;
    uint64_t deadline; /* in scheduler ticks */
};

static struct timer timers[MAX_TIMERS];

static void q_push(struct thread_queue *q, struct thread *t)
{
    t->next = NULL;
    t->prev = q->tail;
    if (q->tail != NULL) {
        q->tail->next = t;
    } else {
        q->head = t;
    }
    q->tail = t;
}

static void q_remove(struct thread_queue *q, struct thread *t)
{
    if (t->prev != NULL) {
        t->prev->next = t->next;
    } else {
        q->head = t->next;
    }
    if (t->next != NULL) {
        t->next->prev = t->prev;
    } else {
        q->tail = t->prev;
    }
    t->next = NULL;
    t->prev = NULL;
}

static struct thread *q_pop(struct thread_queue *q)
{
    struct thread *t = q->head;
    if (t != NULL) {
        q_remove(q, t);
    }
    return t;
}

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

/* A fresh notification with one reference, or NULL when the pool is empty. */
struct notification *notification_alloc(void)
{
    for (int i = 0; i < MAX_NOTIFICATIONS; i++) {
        if (!notifications[i].live) {
            struct notification *n = &notifications[i];
            n->live = true;
            n->refs = 1;
            n->bits = 0;
            n->waiters.head = n->waiters.tail = NULL;
            return n;
        }
    }
    return NULL;
}

/* Wakes t with status err (its IPC partner or object went away). */
static void wake_with_error(struct thread *t, int err)
{
    t->ep = NULL;
    t->ntfn = NULL;
    frame_set_return(&t->frame, err);
    sched_ready(t);
}

/* Drops a reference; the last one wakes every queued thread with ZERR_BADCAP. */
void endpoint_put(struct endpoint *e)
{
    if (--e->refs > 0) {
        return;
    }
    struct thread *t;
    while ((t = q_pop(&e->senders)) != NULL) {
        wake_with_error(t, ZERR_BADCAP);
    }
    while ((t = q_pop(&e->receivers)) != NULL) {
        wake_with_error(t, ZERR_BADCAP);
    }
    e->live = false;
}

/* Drops a reference; the last one wakes every waiter with ZERR_BADCAP. */
void notification_put(struct notification *n)
{
    if (--n->refs > 0) {
        return;
    }
    struct thread *t;
    while ((t = q_pop(&n->waiters)) != NULL) {
        wake_with_error(t, ZERR_BADCAP);
    }
    for (int i = 0; i < MAX_IRQS; i++) {
        if (irq_ntfn[i] == n) {
            irq_ntfn[i] = NULL;
        }
    }
    n->live = false;
}

/*
 * Takes dying thread t out of every queue and reply relation; a caller
 * waiting on t's reply is woken with ZERR_NOENT.
 */
void ipc_cancel(struct thread *t)
{
    if (t->state == TS_SEND && t->ep != NULL) {
        q_remove(&t->ep->senders, t);
    } else if (t->state == TS_RECV && t->ep != NULL) {
        q_remove(&t->ep->receivers, t);
    } else if (t->state == TS_NOTIFY && t->ntfn != NULL) {
        q_remove(&t->ntfn->waiters, t);
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
            wake_with_error(caller, ZERR_NOENT);
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
        int h = cap_derive(&s->proc->cspace, s->xfer_cap, &r->proc->cspace, CAP_SLOT_ANY,
                           CAP_RIGHTS_ALL, 0);
        if (h >= 0) {
            obj_get(&r->proc->cspace.slots[h].cap);
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
        wake_with_error(old, ZERR_NOENT);
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
    struct thread *r = q_pop(&e->receivers);
    if (r == NULL) {
        t->state = TS_SEND;
        t->ep = e;
        q_push(&e->senders, t);
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
    struct thread *s = q_pop(&e->senders);
    if (s == NULL) {
        t->state = TS_RECV;
        t->ep = e;
        q_push(&e->receivers, t);
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

/* ORs bits into n, or hands them to the first waiter and wakes it. */
void notification_signal(struct notification *n, uint64_t bits)
{
    struct thread *w = q_pop(&n->waiters);
    if (w == NULL) {
        n->bits |= bits;
        return;
    }
    w->ntfn = NULL;
    frame_set_return(&w->frame, 0);
    frame_set_badge(&w->frame, n->bits | bits);
    n->bits = 0;
    sched_ready(w);
}

/* Wait on n for the current thread t; returns false if t blocked. */
bool notification_wait(struct thread *t, struct notification *n, bool block)
{
    if (n->bits != 0 || !block) {
        frame_set_return(&t->frame, 0);
        frame_set_badge(&t->frame, n->bits);
        n->bits = 0;
        return true;
    }
    t->state = TS_NOTIFY;
    t->ntfn = n;
    q_push(&n->waiters, t);
    return false;
}

/* Routes irq to n (bits on each interrupt) and unmasks it. */
int irq_bind(uint32_t irq, struct notification *n, uint64_t bits)
{
    if (irq >= MAX_IRQS) {
        return ZERR_RANGE;
    }
    if (irq_ntfn[irq] != NULL) {
        notification_put(irq_ntfn[irq]);
    }
    n->refs++;
    irq_ntfn[irq] = n;
    irq_bits[irq] = bits;
    arch_irq_unmask(irq);
    return 0;
}

/* An interrupt arrived on irq (now masked): signals its notification. */
void irq_dispatch(uint32_t irq)
{
    if (irq < MAX_IRQS && irq_ntfn[irq] != NULL) {
        notification_signal(irq_ntfn[irq], irq_bits[irq]);
    }
}

/*
 * Signals n with bits once the tick count reaches deadline.  A process may
 * have TIMERS_PER_PROC timers pending.  0, ZERR_LIMIT or ZERR_FULL.
 */
int timer_arm(const struct proc *owner, struct notification *n, uint64_t bits, uint64_t deadline)
{
    struct timer *slot = NULL;
    uint32_t mine = 0;
    for (int i = 0; i < MAX_TIMERS; i++) {
        if (timers[i].n == NULL) {
            slot = slot != NULL ? slot : &timers[i];
        } else if (timers[i].owner == owner) {
            mine++;
        }
    }
    if (mine >= TIMERS_PER_PROC) {
        return ZERR_LIMIT;
    }
    if (slot == NULL) {
        return ZERR_FULL;
    }
    n->refs++;
    slot->n = n;
    slot->owner = owner;
    slot->bits = bits;
    slot->deadline = deadline;
    return 0;
}

/* Timer interrupt: fires every timer whose deadline has come. */
void timer_expire(uint64_t now)
{
    for (int i = 0; i < MAX_TIMERS; i++) {
        struct timer *t = &timers[i];
        if (t->n != NULL && t->deadline <= now) {
            struct notification *n = t->n;
            t->n = NULL;
            t->owner = NULL;
            notification_signal(n, t->bits);
            notification_put(n);
        }
    }
}
