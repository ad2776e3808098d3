/*
 * Notifications: asynchronous signals, a word of bits OR-ed by signals
 * (from threads, interrupts and timers) and taken by a wait.
 */
#include "base/assert.h"
#include "base/errors.h"
#include "kernel/kernel.h"
#include "kernel/thread_queue.h"

struct notification notifications[MAX_NOTIFICATIONS];

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

/* Adds a reference held by the kernel itself (an IRQ binding, a timer, an exit signal). */
void notification_get(struct notification *n)
{
    n->refs++;
}

/* Drops a reference; the last one wakes every waiter with ZERR_BADCAP. */
void notification_put(struct notification *n)
{
    ZASSERT(n->refs > 0, "a notification is put once per reference taken");
    if (--n->refs > 0) {
        return;
    }
    struct thread *t;
    while ((t = tq_pop(&n->waiters)) != NULL) {
        sched_wake(t, ZERR_BADCAP);
    }
    irq_forget(n);
    n->live = false;
}

/* ORs bits into n, or hands them to the first waiter and wakes it. */
void notification_signal(struct notification *n, uint64_t bits)
{
    struct thread *w = tq_pop(&n->waiters);
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
    tq_push(&n->waiters, t);
    return false;
}
