/*
 * Thread queues: doubly linked lists of threads through their next and prev
 * links, used by the run queues (kernel/sched.c) and by the wait queues of
 * endpoints and notifications.  A thread is on at most one queue.
 */
#ifndef ZERO_KERNEL_THREAD_QUEUE_H
#define ZERO_KERNEL_THREAD_QUEUE_H

#include <stddef.h>

#include "kernel/kernel.h"

/* Appends t at the tail of q. */
static inline void tq_push(struct thread_queue *q, struct thread *t)
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

/* Unlinks t from q (it must be on q). */
static inline void tq_remove(struct thread_queue *q, struct thread *t)
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

/* Takes the head of q, or NULL when q is empty. */
static inline struct thread *tq_pop(struct thread_queue *q)
{
    struct thread *t = q->head;
    if (t != NULL) {
        tq_remove(q, t);
    }
    return t;
}

#endif
