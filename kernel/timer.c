/*
 * One-shot timers: each signals a notification once the scheduler tick
 * count reaches its deadline, and holds a reference on the notification
 * until it fires or its process ends (timer_cancel).  A timer belongs to
 * its process by pid, which is never reused: a process that takes over a
 * dead one's struct proc starts with none.
 */
#include "base/errors.h"
#include "kernel/kernel.h"

struct timer {
    struct notification *n;
    uint32_t owner; /* pid */
    uint64_t bits;
    uint64_t deadline; /* in scheduler ticks */
};

static struct timer timers[MAX_TIMERS];

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
        } else if (timers[i].owner == owner->pid) {
            mine++;
        }
    }
    if (mine >= TIMERS_PER_PROC) {
        return ZERR_LIMIT;
    }
    if (slot == NULL) {
        return ZERR_FULL;
    }
    notification_get(n);
    slot->n = n;
    slot->owner = owner->pid;
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
            t->owner = 0;
            notification_signal(n, t->bits);
            notification_put(n);
        }
    }
}

/* Drops every pending timer of owner, unsignalled (its process has ended). */
void timer_cancel(const struct proc *owner)
{
    for (int i = 0; i < MAX_TIMERS; i++) {
        struct timer *t = &timers[i];
        if (t->n != NULL && t->owner == owner->pid) {
            struct notification *n = t->n;
            t->n = NULL;
            t->owner = 0;
            notification_put(n);
        }
    }
}
