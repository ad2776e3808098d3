/*
 * Scheduler: preemptive, priority round-robin, one set of run queues per
 * CPU.  Each CPU has one queue per priority (0 lowest .. NPRIO-1 highest)
 * and a bitmap of non-empty queues.  The running thread keeps its CPU
 * until it blocks, a higher-priority thread becomes ready there, or its
 * time slice (TIMESLICE_TICKS timer ticks) runs out while a thread of equal
 * priority is ready.  With nothing ready the CPU waits for an interrupt
 * (the idle loop, kernel_idle).
 *
 * Placement (which CPU's queue a thread joins, sched_place), among the
 * CPUs its affinity allows:
 *   - a new thread goes to the least loaded CPU (ready plus running
 *     threads; ties go to the calling CPU, then the lowest id);
 *   - a woken or preempted thread goes back to the CPU it ran on last,
 *     unless that CPU is busy and another allowed CPU is idle;
 *   - a CPU that finds its own queues empty takes the best ready thread
 *     from another CPU's queues (if its affinity allows), so no CPU idles
 *     while a thread waits.
 * A thread queued on another CPU that outranks what runs there (or finds
 * it idle) sends it a reschedule IPI.
 *
 * Thread states are listed in kernel.h; transitions:
 *   READY -> RUNNING (sched_run), RUNNING -> READY (preemption, yield),
 *   RUNNING -> SEND/RECV/REPLY/NOTIFY (IPC), those -> READY or RUNNING
 *   (woken, or switched to directly by the IPC fast path), any -> DEAD.
 */
#include "base/assert.h"
#include "base/errors.h"
#include "kernel/kernel.h"
#include "kernel/thread_queue.h"

/* Ready plus running threads of c. */
static uint32_t load(const struct cpu *c)
{
    return c->nready + (c->current != NULL ? 1u : 0u);
}

/* The CPU whose run queue t joins (see the placement rule above). */
static struct cpu *sched_place(const struct thread *t)
{
    struct cpu *self = arch_cpu();
    uint32_t n = arch_cpu_count();
    struct cpu *best = NULL;
    if (t->cpu < n && sched_may_run(t, t->cpu)) {
        best = arch_cpu_by_id(t->cpu);
        if (load(best) == 0) {
            return best;
        }
    }
    if (best == NULL && sched_may_run(t, self->id)) {
        best = self;
    }
    for (uint32_t i = 0; i < n; i++) {
        struct cpu *c = arch_cpu_by_id(i);
        if (!sched_may_run(t, i)) {
            continue;
        }
        bool wake = t->cpu != NO_CPU;
        if (best == NULL || (wake ? load(c) == 0 : load(c) < load(best))) {
            best = c;
        }
    }
    return best != NULL ? best : self;
}

/*
 * Queues t at the tail of its priority on the CPU sched_place chooses;
 * asks that CPU to reschedule if t outranks what runs there (or it idles).
 */
static void enqueue(struct thread *t)
{
    struct cpu *c = sched_place(t);
    t->state = TS_READY;
    t->cpu = c->id;
    tq_push(&c->runq[t->prio], t);
    c->runnable_mask |= 1u << t->prio;
    c->nready++;
    struct thread *cur = c->current;
    if (c == arch_cpu()) {
        if (cur != NULL && cur->state == TS_RUNNING && t->prio > cur->prio) {
            c->need_resched = true;
        }
    } else if (cur == NULL || t->prio > cur->prio) {
        c->need_resched = true;
        arch_resched_ipi(c);
    }
}

/* Makes t runnable (see enqueue). */
void sched_ready(struct thread *t)
{
    ZASSERT(t->state != TS_READY && t->state != TS_FREE, "thread made ready twice");
    enqueue(t);
}

/* Wakes blocked t with status (its IPC partner or object went away). */
void sched_wake(struct thread *t, int status)
{
    t->ep = NULL;
    t->ntfn = NULL;
    frame_set_return(&t->frame, status);
    sched_ready(t);
}

/* Takes a READY thread off its run queue (others: nothing). */
void sched_unready(struct thread *t)
{
    if (t->state != TS_READY) {
        return;
    }
    struct cpu *c = arch_cpu_by_id(t->cpu);
    tq_remove(&c->runq[t->prio], t);
    c->nready--;
    if (c->runq[t->prio].head == NULL) {
        c->runnable_mask &= ~(1u << t->prio);
    }
}

static int highest_ready(const struct cpu *c)
{
    return c->runnable_mask == 0 ? -1 : 31 - __builtin_clz(c->runnable_mask);
}

/*
 * The first thread of other's queues that may run on CPU cpu, best priority
 * first; only the non-empty queues are looked at (runnable_mask).
 */
static struct thread *stealable(const struct cpu *other, uint32_t cpu, int *prio)
{
    for (uint32_t mask = other->runnable_mask; mask != 0;
         mask &= ~(1u << (31 - __builtin_clz(mask)))) {
        int p = 31 - __builtin_clz(mask);
        for (struct thread *t = other->runq[p].head; t != NULL; t = t->next) {
            if (sched_may_run(t, cpu)) {
                *prio = p;
                return t;
            }
        }
    }
    return NULL;
}

/* The best ready thread of another CPU that may run on c, or NULL. */
static struct thread *steal(const struct cpu *c)
{
    struct thread *best = NULL;
    int best_prio = -1;
    for (uint32_t i = 0; i < arch_cpu_count(); i++) {
        const struct cpu *o = arch_cpu_by_id(i);
        int p = -1;
        struct thread *t = o == c ? NULL : stealable(o, c->id, &p);
        if (t != NULL && p > best_prio) {
            best = t;
            best_prio = p;
        }
    }
    return best;
}

/*
 * Dequeues the first thread of c's highest non-empty priority, or else one
 * stolen from another CPU; NULL if nothing may run on c.
 */
struct thread *sched_pick(struct cpu *c)
{
    int p = highest_ready(c);
    struct thread *t = p >= 0 ? c->runq[p].head : steal(c);
    if (t != NULL) {
        sched_unready(t);
    }
    return t;
}

/*
 * Lock-free hint for an idle CPU c after an interrupt: false only if it has
 * no reason to take the kernel lock (nothing queued here or anywhere else,
 * no reschedule asked).  A CPU that queues a thread for an idle one always
 * sends it an IPI after the queue is updated, so a false answer is never a
 * lost wake-up; threads queued on busy CPUs are stolen at the next tick.
 */
bool sched_work_hint(struct cpu *c)
{
    if (__atomic_load_n(&c->need_resched, __ATOMIC_ACQUIRE) ||
        __atomic_load_n(&c->runnable_mask, __ATOMIC_ACQUIRE) != 0) {
        return true;
    }
    for (uint32_t i = 0; i < arch_cpu_count(); i++) {
        struct cpu *o = arch_cpu_by_id(i);
        if (o != c && __atomic_load_n(&o->nready, __ATOMIC_RELAXED) != 0) {
            return true;
        }
    }
    return false;
}

/* True if the running thread cur should keep the CPU. */
static bool keep_running(struct cpu *c, struct thread *cur)
{
    if (!sched_may_run(cur, c->id)) {
        return false;
    }
    int best = highest_ready(c);
    if (best < 0 || best < (int)cur->prio) {
        if (cur->ticks_left == 0) {
            cur->ticks_left = TIMESLICE_TICKS;
        }
        return true;
    }
    return best == (int)cur->prio && cur->ticks_left > 0;
}

/* A thread that left its CPU dead, with no capability naming it, is free. */
static void reap(struct thread *t)
{
    if (t != NULL && t->state == TS_DEAD && t->refs == 0 && !t->on_cpu) {
        t->state = TS_FREE;
    }
}

/*
 * Leaves nothing current on c, where sched_pick has just found nothing to
 * run (so it is not asked again before an interrupt, unless leaving the
 * address space queued a thread here): saves cur's state, drops the address space (so no TLB of an
 * idle CPU holds user mappings), then waits for interrupts until some thread may run here.  Returns
 * it (dequeued).
 */
static struct thread *sched_idle(struct cpu *c, struct thread *cur)
{
    if (cur != NULL) {
        arch_switch_out(cur);
        reap(cur);
    }
    c->current = NULL;
    aspace_switch(c, NULL); /* may wake threads (a deferred exit): look again if so */
    struct thread *next = c->runnable_mask != 0 ? sched_pick(c) : NULL;
    while (next == NULL) {
        kernel_idle();
        next = sched_pick(c);
    }
    return next;
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
    struct thread *next = sched_pick(c);
    if (next == NULL) {
        next = sched_idle(c, cur);
        cur = NULL;
    }
    if (next->ticks_left == 0) {
        next->ticks_left = TIMESLICE_TICKS;
    }
    next->state = TS_RUNNING;
    sched_switch(cur, next);
    if (cur != next) {
        reap(cur);
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
        timer_expire(arch_time_ticks());
    }
    struct thread *cur = c->current;
    if (cur != NULL && cur->proc != NULL) {
        cur->proc->cpu_ticks++;
    }
    if (cur != NULL && cur->state == TS_RUNNING && cur->ticks_left > 0) {
        if (--cur->ticks_left == 0) {
            c->need_resched = true;
        }
    }
}

/*
 * Restricts t to the CPUs in mask (bit per CPU index; bits of CPUs not
 * online are ignored).  A ready thread moves at once; a running one at its
 * CPU's next reschedule, which is requested now.  0, or ZERR_INVAL when
 * no online CPU is left in mask.
 */
int sched_set_affinity(struct thread *t, uint32_t mask)
{
    uint32_t n = arch_cpu_count();
    uint32_t online = n >= 32 ? UINT32_MAX : (1u << n) - 1;
    if ((mask & online) == 0) {
        return ZERR_INVAL;
    }
    t->affinity = mask & online;
    if (t->state == TS_READY && !sched_may_run(t, t->cpu)) {
        sched_unready(t);
        enqueue(t);
    } else if (t->state == TS_RUNNING && !sched_may_run(t, t->cpu)) {
        struct cpu *c = arch_cpu_by_id(t->cpu);
        c->need_resched = true;
        arch_resched_ipi(c);
    }
    return 0;
}
