/*
 * One-shot timers: each signals a notification once the scheduler tick
 * count reaches its deadline, and holds a reference on the notification
 * until it fires.
 */
#include "base/errors.h"
#include "kernel/kernel.h"

struct timer {
    struct notification *n;
    const struct proc *owner;
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
    notification_get(n);
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
