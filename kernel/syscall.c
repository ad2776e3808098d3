/*
 * System calls: a bounds-checked table of handlers.  Each handler decodes
 * (looks up every capability with the type and rights it needs, checks
 * every number and user pointer) and only then performs; it returns the
 * caller's status, and puts further results in the caller's saved state
 * (see lib/zero/abi.h).  Nothing a user passes can make the
 * kernel fault: pointers are copied through copy_from_user/copy_to_user.
 */
#include "base/errors.h"
#include "zero/abi.h"
#include "kernel/kernel.h"
#include "kernel/lockstat.h"
#include "kernel/syscall.h"

static struct cap_space *cspace(struct thread *t)
{
    return &t->proc->cspace;
}

/*
 * Takes at most CONSOLE_CHUNK bytes per call and returns how many
 * (zero_write loops).  They are copied into this CPU's console buffer
 * here, under the kernel lock; kernel_syscall writes them to the UART once
 * it has released the kernel lock, under the console lock alone.
 */
static int64_t sys_debug_write(struct thread *t, struct trap_frame *f)
{
    const struct cap *c;
    int r = sys_lookup(t, frame_arg(f, 0), CAP_IOPORT, CAP_RIGHT_WRITE, &c);
    if (r == 0 && !ioport_covers(c, CONSOLE_PORT, 1)) {
        r = ZERR_PERM;
    }
    if (r == 0 && frame_arg(f, 2) > (1u << 20)) {
        r = ZERR_RANGE;
    }
    if (r != 0) {
        return r;
    }
    struct cpu *cpu = arch_cpu();
    uint64_t n = frame_arg(f, 2) < CONSOLE_CHUNK ? frame_arg(f, 2) : CONSOLE_CHUNK;
    if (copy_from_user(cpu->console_buf, frame_arg(f, 1), n) != 0) {
        return ZERR_FAULT;
    }
    cpu->console_len = (uint32_t)n;
    return (int64_t)n;
}

static int64_t sys_yield(struct thread *t, struct trap_frame *f)
{
    (void)f;
    t->ticks_left = 0;
    arch_cpu()->need_resched = true;
    return 0;
}

static int64_t sys_exit(struct thread *t, struct trap_frame *f)
{
    proc_exit(t->proc, (int)frame_arg(f, 0));
    return 0; /* no one reads it: t is gone */
}

/* Common decode of send and call: endpoint, optional capability, message. */
static int64_t send_or_call(struct thread *t, struct trap_frame *f, bool is_call)
{
    const struct cap *ep;
    int r = sys_lookup(t, frame_arg(f, 0), CAP_ENDPOINT, CAP_RIGHT_WRITE, &ep);
    if (r == 0 && frame_arg(f, 1) != CAP_NONE) {
        r = (ep->rights & CAP_RIGHT_GRANT) ? sys_lookup(t, frame_arg(f, 1), CAP_TYPE_ANY, 0, NULL)
                                           : ZERR_PERM;
    }
    if (r != 0) {
        return r;
    }
    for (unsigned i = 0; i < MSG_WORDS; i++) {
        t->msg[i] = frame_msg(f, i);
    }
    t->badge = ep->badge;
    t->xfer_cap = (uint32_t)frame_arg(f, 1);
    t->ep_cap = (uint32_t)frame_arg(f, 0);
    t->is_call = is_call;
    ipc_send(t, (struct endpoint *)ep->obj);
    return 0;
}

static int64_t sys_send(struct thread *t, struct trap_frame *f)
{
    return send_or_call(t, f, false);
}

static int64_t sys_call(struct thread *t, struct trap_frame *f)
{
    const struct cap *ep;
    if (frame_arg(f, 1) == CAP_NONE &&
        sys_lookup(t, frame_arg(f, 0), CAP_ENDPOINT, CAP_RIGHT_WRITE, &ep) == 0 &&
        ipc_call_fast(t, f, (struct endpoint *)ep->obj, ep->badge)) {
        return 0;
    }
    return send_or_call(t, f, true);
}

static int64_t sys_recv(struct thread *t, struct trap_frame *f)
{
    const struct cap *ep;
    int r = sys_lookup(t, frame_arg(f, 0), CAP_ENDPOINT, CAP_RIGHT_READ, &ep);
    if (r != 0) {
        return r;
    }
    t->ep_cap = (uint32_t)frame_arg(f, 0);
    ipc_recv(t, (struct endpoint *)ep->obj);
    return 0;
}

static int64_t sys_reply_recv(struct thread *t, struct trap_frame *f)
{
    const struct cap *ep;
    int r = sys_lookup(t, frame_arg(f, 0), CAP_ENDPOINT, CAP_RIGHT_READ, &ep);
    if (r != 0) {
        return r;
    }
    if (ipc_reply_recv_fast(t, f, (struct endpoint *)ep->obj, (uint32_t)frame_arg(f, 0))) {
        return 0;
    }
    uint64_t msg[MSG_WORDS] = {frame_msg(f, 0), frame_msg(f, 1), frame_msg(f, 2), frame_msg(f, 3)};
    struct thread *caller = ipc_reply(t, msg);
    t->ep_cap = (uint32_t)frame_arg(f, 0);
    bool got = ipc_recv(t, (struct endpoint *)ep->obj);
    if (caller == NULL) {
        return 0;
    }
    if (got || !sched_may_run(caller, arch_cpu()->id)) {
        sched_ready(caller);
    } else {
        caller->state = TS_RUNNING; /* fast path: straight back to the caller */
        sched_switch(t, caller);
    }
    return 0;
}

static int64_t sys_reply(struct thread *t, struct trap_frame *f)
{
    uint64_t msg[MSG_WORDS] = {frame_msg(f, 0), frame_msg(f, 1), frame_msg(f, 2), frame_msg(f, 3)};
    struct thread *caller = ipc_reply(t, msg);
    if (caller != NULL) {
        sched_ready(caller);
    }
    return caller != NULL ? 0 : ZERR_NOENT;
}

static int64_t sys_signal(struct thread *t, struct trap_frame *f)
{
    const struct cap *n;
    int r = sys_lookup(t, frame_arg(f, 0), CAP_NOTIFICATION, CAP_RIGHT_WRITE, &n);
    if (r == 0) {
        notification_signal((struct notification *)n->obj, n->badge != 0 ? n->badge : 1);
    }
    return r;
}

static int64_t wait_or_poll(struct thread *t, struct trap_frame *f, bool block)
{
    const struct cap *n;
    int r = sys_lookup(t, frame_arg(f, 0), CAP_NOTIFICATION, CAP_RIGHT_READ, &n);
    if (r != 0) {
        return r;
    }
    notification_wait(t, (struct notification *)n->obj, block);
    return 0;
}

static int64_t sys_wait(struct thread *t, struct trap_frame *f)
{
    return wait_or_poll(t, f, true);
}

static int64_t sys_poll(struct thread *t, struct trap_frame *f)
{
    return wait_or_poll(t, f, false);
}

static int64_t sys_cap_derive(struct thread *t, struct trap_frame *f)
{
    uint64_t src = frame_arg(f, 0);
    uint64_t dst = frame_arg(f, 1);
    uint64_t rights = frame_arg(f, 2);
    if (src > UINT32_MAX || dst > UINT32_MAX || rights > CAP_RIGHTS_ALL) {
        return rights > CAP_RIGHTS_ALL ? ZERR_INVAL : ZERR_BADCAP;
    }
    return cap_copy(cspace(t), (uint32_t)src, cspace(t), (uint32_t)dst, (uint32_t)rights,
                    frame_arg(f, 3));
}

static int64_t sys_cap_delete(struct thread *t, struct trap_frame *f)
{
    int r = sys_lookup(t, frame_arg(f, 0), CAP_TYPE_ANY, 0, NULL);
    if (r == 0) {
        r = cap_delete(cspace(t), (uint32_t)frame_arg(f, 0), cap_release, NULL);
    }
    return r;
}

static int64_t sys_cap_revoke(struct thread *t, struct trap_frame *f)
{
    int r = sys_lookup(t, frame_arg(f, 0), CAP_TYPE_ANY, 0, NULL);
    if (r == 0) {
        r = cap_revoke(cspace(t), (uint32_t)frame_arg(f, 0), cap_release, NULL);
    }
    return r;
}

/* SYS_CAP_INFO reports thread states by the kernel's own numbers. */
_Static_assert(TS_DEAD == ZERO_THREAD_DEAD, "lib/zero/abi.h: ZERO_THREAD_DEAD is TS_DEAD");

static int64_t sys_cap_info(struct thread *t, struct trap_frame *f)
{
    const struct cap *c;
    int r = sys_lookup(t, frame_arg(f, 0), CAP_TYPE_ANY, 0, &c);
    if (r == 0) {
        frame_set_result(f, 0, c->type);
        frame_set_result(f, 1, c->rights);
        frame_set_result(f, 2, c->badge);
        if (c->type == CAP_THREAD) {
            const struct thread *th = (const struct thread *)c->obj;
            /* A killed thread that has not yet left its CPU still reads as
             * running: DEAD means it will never touch a CPU again. */
            frame_set_result(f, 3, th->state == TS_DEAD && th->on_cpu ? TS_RUNNING : th->state);
            frame_set_result(f, 4, (uint64_t)(int64_t)th->exit_status);
            frame_set_result(f, 5, th->proc != NULL ? th->proc->pid : 0);
        }
    }
    return r;
}

/*
 * Puts a new original capability to obj in the caller's cspace; it takes
 * its own reference to obj (cap_install).
 */
static int new_cap(struct thread *t, uint32_t type, uintptr_t obj)
{
    struct cap c = {.type = type, .rights = CAP_RIGHTS_ALL, .badge = 0, .obj = obj};
    return cap_install(cspace(t), CAP_SLOT_ANY, &c);
}

static int64_t sys_endpoint_create(struct thread *t, struct trap_frame *f)
{
    (void)f;
    struct endpoint *e = endpoint_alloc();
    if (e == NULL) {
        return ZERR_NOMEM;
    }
    int h = new_cap(t, CAP_ENDPOINT, (uintptr_t)e);
    endpoint_put(e); /* the allocation's reference: the capability holds its own */
    return h;
}

static int64_t sys_ntfn_create(struct thread *t, struct trap_frame *f)
{
    (void)f;
    struct notification *n = notification_alloc();
    if (n == NULL) {
        return ZERR_NOMEM;
    }
    int h = new_cap(t, CAP_NOTIFICATION, (uintptr_t)n);
    notification_put(n); /* the allocation's reference: the capability holds its own */
    return h;
}

static int64_t sys_frame_alloc(struct thread *t, struct trap_frame *f)
{
    (void)f;
    uint64_t pa = 0;
    int r = quota_frame_alloc(t->proc->quota, &pa);
    if (r != 0) {
        return r;
    }
    int h = new_cap(t, CAP_FRAME, (uintptr_t)pa);
    frame_put(pa); /* the allocation's reference: the capability holds its own */
    return h;
}

static int64_t sys_map(struct thread *t, struct trap_frame *f)
{
    const struct cap *as;
    const struct cap *fr;
    uint64_t frame = frame_arg(f, 1);
    uint64_t va = frame_arg(f, 2);
    uint64_t flags = frame_arg(f, 3);
    uint32_t need = CAP_RIGHT_READ | ((flags & ZERO_MAP_WRITE) ? CAP_RIGHT_WRITE : 0) |
                    ((flags & ZERO_MAP_EXEC) ? CAP_RIGHT_EXEC : 0);
    int r = (flags & ~(uint64_t)(ZERO_MAP_WRITE | ZERO_MAP_EXEC)) ? ZERR_INVAL : 0;
    if (r == 0) {
        r = sys_lookup(t, frame_arg(f, 0), CAP_ASPACE, CAP_RIGHT_WRITE, &as);
    }
    if (r == 0) {
        r = sys_lookup(t, frame, CAP_FRAME, need, &fr);
    }
    if (r != 0) {
        return r;
    }
    struct frame_map *m = &t->proc->fmap[frame];
    if (m->as != NULL) {
        return ZERR_BUSY; /* one mapping per frame capability: derive another to map again */
    }
    r = as_map((struct aspace *)as->obj, va, fr->obj, (uint32_t)flags);
    if (r == 0) {
        m->as = (struct aspace *)as->obj;
        m->va = va;
    }
    return r;
}

static int64_t sys_unmap(struct thread *t, struct trap_frame *f)
{
    int r = sys_lookup(t, frame_arg(f, 0), CAP_FRAME, 0, NULL);
    if (r == 0 && t->proc->fmap[frame_arg(f, 0)].as == NULL) {
        r = ZERR_NOENT;
    }
    if (r == 0) {
        frame_cap_unmap(t->proc, (uint32_t)frame_arg(f, 0));
    }
    return r;
}

static int64_t sys_thread_create(struct thread *t, struct trap_frame *f)
{
    uint64_t entry = frame_arg(f, 0);
    uint64_t stack = frame_arg(f, 1);
    uint64_t want = frame_arg(f, 3);
    if (entry < USER_MIN || entry >= USER_MAX || stack < USER_MIN || stack > USER_MAP_MAX ||
        want >= NPRIO) {
        return ZERR_RANGE;
    }
    if (cspace(t)->used >= cspace(t)->nslots) {
        return ZERR_FULL; /* before the thread exists: no thread nobody holds */
    }
    if (quota_check(t->proc->quota, QUOTA_SLOTS, 1) != 0) {
        return ZERR_LIMIT;
    }
    uint32_t prio = want > t->prio ? t->prio : (uint32_t)want;
    struct thread *n = thread_create(t->proc, entry, stack, frame_arg(f, 2), prio);
    if (n == NULL) {
        return ZERR_LIMIT;
    }
    return new_cap(t, CAP_THREAD, (uintptr_t)n);
}

static int64_t sys_thread_kill(struct thread *t, struct trap_frame *f)
{
    const struct cap *c;
    int r = sys_lookup(t, frame_arg(f, 0), CAP_THREAD, CAP_RIGHT_WRITE, &c);
    if (r == 0) {
        thread_kill((struct thread *)c->obj, ZERR_DENIED);
    }
    return r;
}

/*
 * Ends the process of a live thread, every thread of it (THREAD_KILL stops
 * one, and a process ends only with its last): init's svc kill of a
 * service with threads of its own.  Its threads end with ZERR_DENIED, as
 * killed ones.  ZERR_NOENT for a thread already dead (its process slot
 * may be another's by now), ZERR_INVAL for the caller's own (SYS_EXIT).
 */
static int64_t sys_proc_kill(struct thread *t, struct trap_frame *f)
{
    const struct cap *c;
    int r = sys_lookup(t, frame_arg(f, 0), CAP_THREAD, CAP_RIGHT_WRITE, &c);
    if (r != 0) {
        return r;
    }
    struct thread *th = (struct thread *)c->obj;
    if (th->state == TS_DEAD || th->state == TS_FREE) {
        return ZERR_NOENT;
    }
    if (th->proc == t->proc) {
        return ZERR_INVAL;
    }
    proc_exit(th->proc, ZERR_DENIED);
    return 0;
}

/* Gives child p the console (if t has one), the endpoint and the exit notification. */
static void spawn_grant(struct thread *t, struct proc *p, uint64_t ep, const struct cap *n)
{
    if (sys_lookup(t, ZERO_SLOT_CONSOLE, CAP_IOPORT, 0, NULL) == 0) {
        (void)cap_copy(cspace(t), ZERO_SLOT_CONSOLE, &p->cspace, ZERO_SLOT_CONSOLE, CAP_RIGHT_WRITE,
                       0);
    }
    if (ep != CAP_NONE) {
        (void)cap_copy(cspace(t), (uint32_t)ep, &p->cspace, ZERO_SLOT_EP, CAP_RIGHTS_ALL, 0);
    }
    if (n != NULL) {
        p->exit_ntfn = (struct notification *)n->obj;
        notification_get(p->exit_ntfn);
        p->exit_bits = n->badge != 0 ? n->badge : 1;
    }
}

/*
 * Decodes the arguments SYS_SPAWN and SYS_SPAWN_LIMITED share (module, ep,
 * exit notification: f's first four), then starts the process charged to q.
 * The thread capability's handle, or an error with no process made.
 */
static int64_t spawn_charged(struct thread *t, struct trap_frame *f, struct quota *q)
{
    const struct cap *n = NULL;
    uint64_t module = frame_arg(f, 0);
    uint64_t ep = frame_arg(f, 2);
    uint64_t exit_ntfn = frame_arg(f, 3);
    int r = module < boot_info.nmodules ? 0 : ZERR_NOENT;
    if (r == 0 && ep != CAP_NONE) {
        r = sys_lookup(t, ep, CAP_ENDPOINT, 0, NULL);
    }
    if (r == 0 && exit_ntfn != CAP_NONE) {
        r = sys_lookup(t, exit_ntfn, CAP_NOTIFICATION, CAP_RIGHT_WRITE, &n);
    }
    if (r == 0 && cspace(t)->used >= cspace(t)->nslots) {
        r = ZERR_FULL;
    }
    if (r == 0) {
        r = quota_check(t->proc->quota, QUOTA_SLOTS, 1);
    }
    struct proc *p = NULL;
    if (r == 0) {
        r = proc_spawn_module((uint32_t)module, frame_arg(f, 1), t->prio, q, &p);
    }
    if (r != 0) {
        return r;
    }
    spawn_grant(t, p, ep, n);
    return new_cap(t, CAP_THREAD, (uintptr_t)p->main_thread);
}

static int64_t sys_spawn(struct thread *t, struct trap_frame *f)
{
    return spawn_charged(t, f, t->proc->quota);
}

/*
 * SYS_SPAWN with a quota of the child's own: frames, threads and slots
 * (f's fifth and sixth arguments) reserved out of the caller's quota.
 */
static int64_t sys_spawn_limited(struct thread *t, struct trap_frame *f)
{
    uint64_t lim[QUOTA_KINDS] = {frame_arg(f, 4), frame_arg(f, 5) & UINT32_MAX,
                                 frame_arg(f, 5) >> 32};
    if (lim[QUOTA_THREADS] == 0 || lim[QUOTA_SLOTS] < ZERO_SLOT_EP + 1) {
        return ZERR_RANGE; /* no room for its thread or its start-up capabilities */
    }
    struct quota *q = NULL;
    int r = quota_create(t->proc->quota, lim, &q);
    if (r != 0) {
        return r;
    }
    int64_t h = spawn_charged(t, f, q);
    quota_release(q); /* frees it if the spawn failed before charging anything */
    return h;
}

/* Fills the SYS_QUOTA_INFO results from process p. */
static void quota_report(struct trap_frame *f, const struct proc *p)
{
    const struct quota *q = p->quota;
    frame_set_result(f, 0, q->used[QUOTA_FRAMES]);
    frame_set_result(f, 1, q->limit[QUOTA_FRAMES]);
    frame_set_result(f, 2, q->used[QUOTA_THREADS] | q->limit[QUOTA_THREADS] << 32);
    frame_set_result(f, 3, q->used[QUOTA_SLOTS] | q->limit[QUOTA_SLOTS] << 32);
    frame_set_result(f, 4, p->cpu_ticks);
    frame_set_result(f, 5, p->pid);
}

/*
 * (thread capability or ZERO_CAP_NONE for the caller): the quota of the
 * thread's process and its CPU time.  ZERR_NOENT once that process has ended.
 */
static int64_t sys_quota_info(struct thread *t, struct trap_frame *f)
{
    struct proc *p = t->proc;
    if (frame_arg(f, 0) != ZERO_CAP_NONE) {
        const struct cap *c;
        int r = sys_lookup(t, frame_arg(f, 0), CAP_THREAD, 0, &c);
        if (r != 0) {
            return r;
        }
        p = ((const struct thread *)c->obj)->proc;
    }
    if (p == NULL || !p->live) {
        return ZERR_NOENT;
    }
    quota_report(f, p);
    return 0;
}

/*
 * (thread capability with READ, first slot): the capability in the first
 * occupied slot at or after that one in the thread's process, as the
 * kernel holds it, so that init can list what each process holds without
 * asking the process (docs/boot.md, "One process per service").  The
 * slot number, or ZERR_NOENT past the last one or once the process has
 * ended.
 */
static int64_t sys_cap_list(struct thread *t, struct trap_frame *f)
{
    const struct cap *tc;
    int r = sys_lookup(t, frame_arg(f, 0), CAP_THREAD, CAP_RIGHT_READ, &tc);
    if (r != 0) {
        return r;
    }
    const struct proc *p = ((const struct thread *)tc->obj)->proc;
    if (p == NULL || !p->live) {
        return ZERR_NOENT;
    }
    for (uint64_t s = frame_arg(f, 1); s < p->cspace.nslots; s++) {
        const struct cap *c = &p->cspace.slots[s].cap;
        if (c->type == CAP_NULL) {
            continue;
        }
        frame_set_result(f, 0, c->type);
        frame_set_result(f, 1, c->rights);
        frame_set_result(f, 2, c->badge);
        uint64_t what = c->type == CAP_IRQ ? c->obj : 0;
        if (c->type == CAP_IOPORT) {
            uint32_t base;
            uint32_t count;
            ioport_unpack(c->obj, &base, &count);
            what = base | (uint64_t)count << 32;
        }
        frame_set_result(f, 3, what);
        return (int64_t)s;
    }
    return ZERR_NOENT;
}

/*
 * (thread capability) -> rdi vector, rsi address of the user exception that
 * ended the thread's process (the supervisor's svc.exit entry).  ZERR_AGAIN
 * while the thread is not dead, ZERR_NOENT when its process ended otherwise.
 */
static int64_t sys_thread_fault(struct thread *t, struct trap_frame *f)
{
    const struct cap *c;
    int r = sys_lookup(t, frame_arg(f, 0), CAP_THREAD, 0, &c);
    if (r != 0) {
        return r;
    }
    const struct thread *th = (const struct thread *)c->obj;
    if (th->state != TS_DEAD || th->on_cpu) {
        return ZERR_AGAIN;
    }
    if (!th->faulted) {
        return ZERR_NOENT;
    }
    frame_set_result(f, 0, th->fault_vector);
    frame_set_result(f, 1, th->fault_addr);
    return 0;
}

static int64_t sys_irq_bind(struct thread *t, struct trap_frame *f)
{
    const struct cap *irq;
    const struct cap *n;
    int r = sys_lookup(t, frame_arg(f, 0), CAP_IRQ, CAP_RIGHT_WRITE, &irq);
    if (r == 0) {
        r = sys_lookup(t, frame_arg(f, 1), CAP_NOTIFICATION, CAP_RIGHT_WRITE, &n);
    }
    if (r == 0) {
        r = irq_bind((uint32_t)irq->obj, (struct notification *)n->obj,
                     n->badge != 0 ? n->badge : 1);
    }
    return r;
}

static int64_t sys_irq_ack(struct thread *t, struct trap_frame *f)
{
    const struct cap *irq;
    int r = sys_lookup(t, frame_arg(f, 0), CAP_IRQ, CAP_RIGHT_WRITE, &irq);
    if (r == 0) {
        arch_irq_unmask((uint32_t)irq->obj);
    }
    return r;
}

/* Decodes (PCI configuration port capability, function); the line's capability. */
static int64_t sys_irq_pci(struct thread *t, struct trap_frame *f)
{
    const struct cap *c;
    uint32_t irq = 0;
    int r = sys_lookup(t, frame_arg(f, 0), CAP_IOPORT, CAP_RIGHT_READ | CAP_RIGHT_WRITE, &c);
    if (r == 0 && !ioport_covers(c, PCI_CONFIG_PORT, 8)) {
        r = ZERR_PERM;
    }
    if (r == 0 && cspace(t)->used >= cspace(t)->nslots) {
        r = ZERR_FULL;
    }
    if (r == 0 && frame_arg(f, 1) > 0xffff) {
        r = ZERR_RANGE;
    }
    if (r == 0) {
        r = arch_irq_pci((uint32_t)frame_arg(f, 1), &irq);
    }
    return r != 0 ? r : new_cap(t, CAP_IRQ, irq);
}

static int64_t sys_info(struct thread *t, struct trap_frame *f)
{
    frame_set_result(f, 0, frame_free_count());
    frame_set_result(f, 1, cspace(t)->used);
    frame_set_result(f, 2, arch_time_ticks());
    return 0;
}

static int64_t sys_null(struct thread *t, struct trap_frame *f)
{
    (void)t;
    (void)f;
    return 0;
}

static int64_t sys_timer(struct thread *t, struct trap_frame *f)
{
    const struct cap *n;
    int r = sys_lookup(t, frame_arg(f, 0), CAP_NOTIFICATION, CAP_RIGHT_WRITE, &n);
    if (r == 0 && frame_arg(f, 1) > UINT64_MAX / 2) {
        r = ZERR_RANGE;
    }
    if (r == 0) {
        uint64_t ticks = (frame_arg(f, 1) + TICK_NS - 1) / TICK_NS;
        r = timer_arm(t->proc, (struct notification *)n->obj, n->badge != 0 ? n->badge : 1,
                      arch_time_ticks() + (ticks == 0 ? 1 : ticks));
    }
    return r;
}

/* Thread capability handle (WRITE), or ZERO_CAP_NONE for the caller itself. */
static int thread_arg(struct thread *t, uint64_t handle, struct thread **out)
{
    if (handle == ZERO_CAP_NONE) {
        *out = t;
        return 0;
    }
    const struct cap *c;
    int r = sys_lookup(t, handle, CAP_THREAD, CAP_RIGHT_WRITE, &c);
    if (r == 0) {
        *out = (struct thread *)c->obj;
    }
    return r;
}

static int64_t sys_thread_affinity(struct thread *t, struct trap_frame *f)
{
    struct thread *target = NULL;
    int r = thread_arg(t, frame_arg(f, 0), &target);
    if (r == 0 && (frame_arg(f, 1) == 0 || frame_arg(f, 1) > UINT32_MAX)) {
        r = ZERR_INVAL;
    }
    if (r == 0 && (target->state == TS_DEAD || target->state == TS_FREE)) {
        r = ZERR_NOENT;
    }
    if (r == 0) {
        r = sched_set_affinity(target, (uint32_t)frame_arg(f, 1));
    }
    return r;
}

static int64_t sys_cpu_info(struct thread *t, struct trap_frame *f)
{
    (void)t;
    frame_set_result(f, 0, arch_cpu()->id);
    frame_set_result(f, 1, arch_cpu_count());
    frame_set_result(f, 2, kernel_lock.acquired);
    frame_set_result(f, 3, kernel_lock.contended);
    frame_set_result(f, 4, kernel_lock.spins);
    frame_set_result(f, 5, kernel_lock.max_hold << 8 | kernel_lock.max_site);
    return 0;
}

/*
 * SYS_CALL or SYS_REPLY_RECV (nr) of t in its common case, with the kernel
 * lock held shared (kernel/entry.c): true when done; false, having changed
 * nothing, when the general path must run under the kernel lock.
 */
bool syscall_ipc_shared(struct thread *t, struct trap_frame *f, uint64_t nr)
{
    const struct cap *ep;
    if (nr == SYS_CALL) {
        return frame_arg(f, 1) == CAP_NONE &&
               sys_lookup(t, frame_arg(f, 0), CAP_ENDPOINT, CAP_RIGHT_WRITE, &ep) == 0 &&
               ipc_call_shared(t, f, (struct endpoint *)ep->obj, ep->badge);
    }
    return sys_lookup(t, frame_arg(f, 0), CAP_ENDPOINT, CAP_RIGHT_READ, &ep) == 0 &&
           ipc_reply_recv_shared(t, f, (struct endpoint *)ep->obj, (uint32_t)frame_arg(f, 0));
}

const sys_fn sys_table[SYS_COUNT] = {
    [SYS_DEBUG_WRITE] = sys_debug_write,
    [SYS_YIELD] = sys_yield,
    [SYS_EXIT] = sys_exit,
    [SYS_SEND] = sys_send,
    [SYS_CALL] = sys_call,
    [SYS_RECV] = sys_recv,
    [SYS_REPLY_RECV] = sys_reply_recv,
    [SYS_REPLY] = sys_reply,
    [SYS_SIGNAL] = sys_signal,
    [SYS_WAIT] = sys_wait,
    [SYS_POLL] = sys_poll,
    [SYS_CAP_DERIVE] = sys_cap_derive,
    [SYS_CAP_DELETE] = sys_cap_delete,
    [SYS_CAP_REVOKE] = sys_cap_revoke,
    [SYS_CAP_INFO] = sys_cap_info,
    [SYS_ENDPOINT_CREATE] = sys_endpoint_create,
    [SYS_NTFN_CREATE] = sys_ntfn_create,
    [SYS_FRAME_ALLOC] = sys_frame_alloc,
    [SYS_MAP] = sys_map,
    [SYS_UNMAP] = sys_unmap,
    [SYS_THREAD_CREATE] = sys_thread_create,
    [SYS_THREAD_KILL] = sys_thread_kill,
    [SYS_SPAWN] = sys_spawn,
    [SYS_IRQ_BIND] = sys_irq_bind,
    [SYS_IRQ_ACK] = sys_irq_ack,
    [SYS_IOPORT_OUT] = sys_ioport_out,
    [SYS_IOPORT_IN] = sys_ioport_in,
    [SYS_INFO] = sys_info,
    [SYS_NULL] = sys_null,
    [SYS_TIMER] = sys_timer,
    [SYS_THREAD_AFFINITY] = sys_thread_affinity,
    [SYS_CPU_INFO] = sys_cpu_info,
    [SYS_IOPORT_IN_WIDE] = sys_ioport_in_wide,
    [SYS_IOPORT_OUT_WIDE] = sys_ioport_out_wide,
    [SYS_MEM_MAP] = sys_mem_map,
    [SYS_MEM_UNMAP] = sys_mem_unmap,
    [SYS_MODULE_INFO] = sys_module_info,
    [SYS_MODULE_READ] = sys_module_read,
    [SYS_SPAWN_LIMITED] = sys_spawn_limited,
    [SYS_QUOTA_INFO] = sys_quota_info,
    [SYS_IRQ_PCI] = sys_irq_pci,
    [SYS_CAP_LIST] = sys_cap_list,
    [SYS_THREAD_FAULT] = sys_thread_fault,
    [SYS_BOOT_ARGS] = sys_boot_args,
    [SYS_PROC_KILL] = sys_proc_kill,
};
