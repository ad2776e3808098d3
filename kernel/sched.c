/*
 * Scheduler: preemptive, priority round-robin.  Each CPU has one queue per
 * priority (0 lowest .. NPRIO-1 highest) and a bitmap of non-empty queues.
 * The running thread keeps the CPU until it blocks, a higher-priority thread
 * becomes ready, or its time slice (TIMESLICE_TICKS timer ticks) runs out
 * while a thread of equal priority is ready.  With nothing ready the CPU
 * waits for an interrupt (the idle loop, arch_wait_for_interrupt).
 *
 * Thread states are listed in kernel.h; transitions:
 *   READY -> RUNNING (sched_run), RUNNING -> READY (preemption, yield),
 *   RUNNING -> SEND/RECV/REPLY/NOTIFY (IPC), those -> READY or RUNNING
 *   (woken, or switched to directly by the IPC fast path), any -> DEAD.
 */
#include "base/assert.h"
#include "kernel/kernel.h"

void arch_wait_for_interrupt(void);

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

void sched_init_cpu(struct cpu *c)
{
    c->runnable_mask = 0;
    for (int p = 0; p < NPRIO; p++) {
        c->runq[p].head = NULL;
        c->runq[p].tail = NULL;
    }
}

/*
 * Queues t at the tail of its priority; asks for a reschedule if it outranks
 * the running thread.
 */
void sched_ready(struct thread *t)
{
    struct cpu *c = arch_cpu();
    ZASSERT(t->state != TS_READY && t->state != TS_FREE, "thread made ready twice");
    t->state = TS_READY;
    q_push(&c->runq[t->prio], t);
    c->runnable_mask |= 1u << t->prio;
    if (c->current != NULL && c->current->state == TS_RUNNING && t->prio > c->current->prio) {
        c->need_resched = true;
    }
}

/* Takes a READY thread off its run queue (others: nothing). */
void sched_unready(struct thread *t)
{
    struct cpu *c = arch_cpu();
    if (t->state != TS_READY) {
        return;
    }
    q_remove(&c->runq[t->prio], t);
    if (c->runq[t->prio].head == NULL) {
        c->runnable_mask &= ~(1u << t->prio);
    }
}

static int highest_ready(const struct cpu *c)
{
    return c->runnable_mask == 0 ? -1 : 31 - __builtin_clz(c->runnable_mask);
}

/* Dequeues the first thread of the highest non-empty priority, or NULL. */
struct thread *sched_pick(struct cpu *c)
{
    int p = highest_ready(c);
    if (p < 0) {
        return NULL;
    }
    struct thread *t = c->runq[p].head;
    sched_unready(t);
    return t;
}

/* True if the running thread cur should keep the CPU. */
static bool keep_running(struct cpu *c, struct thread *cur)
{
    int best = highest_ready(c);
    if (best < 0 || best < (int)cur->prio) {
        if (cur->ticks_left == 0) {
            cur->ticks_left = TIMESLICE_TICKS;
        }
        return true;
    }
    return best == (int)cur->prio && cur->ticks_left > 0;
}

/*
 * Chooses what runs next on this CPU (the current thread if it should keep
 * the CPU), waits for an interrupt while nothing can run, and returns to user
 * mode.  Called with the kernel lock held; releases it.
 */
_Noreturn void sched_run(void)
{
    struct cpu *c = arch_cpu();
    struct thread *cur = c->current;
    c->need_resched = false;
    if (cur != NULL && cur->state == TS_RUNNING) {
        if (keep_running(c, cur)) {
            spin_unlock(&kernel_lock);
            arch_return_to_user();
        }
        sched_ready(cur);
    }
    struct thread *next;
    while ((next = sched_pick(c)) == NULL) {
        arch_wait_for_interrupt();
    }
    if (next->ticks_left == 0) {
        next->ticks_left = TIMESLICE_TICKS;
    }
    next->state = TS_RUNNING;
    arch_switch_to(cur, next);
    if (cur != NULL && cur != next && cur->state == TS_DEAD && cur->refs == 0) {
        cur->state = TS_FREE;
    }
    spin_unlock(&kernel_lock);
    arch_return_to_user();
}

/* Timer interrupt: counts the tick and ends the running thread's time slice. */
void sched_tick(void)
{
    struct cpu *c = arch_cpu();
    c->ticks++;
    if (c->id == 0) {
        timer_expire(c->ticks);
    }
    struct thread *cur = c->current;
    if (cur != NULL && cur->state == TS_RUNNING && cur->ticks_left > 0) {
        if (--cur->ticks_left == 0) {
            c->need_resched = true;
        }
    }
}
