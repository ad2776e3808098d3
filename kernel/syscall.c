/*
 * System calls: a bounds-checked table of handlers.  Each handler decodes
 * (looks up every capability with the type and rights it needs, checks
 * every number and user pointer) and only then performs; results go to the
 * caller's frame (see kernel/abi.h).  Nothing a user passes can make the
 * kernel fault: pointers are copied through copy_from_user/copy_to_user.
 */
#include "base/errors.h"
#include "kernel/abi.h"
#include "kernel/kernel.h"
#include "kernel/sysdev.h"

#define COM1_BASE 0x3f8
#define DEBUG_CHUNK 256

typedef void (*sys_fn)(struct thread *t, struct trap_frame *f);

static void ret(struct trap_frame *f, int64_t v)
{
    f->rax = (uint64_t)v;
}

static struct cap_space *cspace(struct thread *t)
{
    return &t->proc->cspace;
}

/* Looks up handle (which must fit 32 bits) with type and rights. */
static int lookup(struct thread *t, uint64_t handle, uint32_t type, uint32_t need,
                  const struct cap **out)
{
    if (handle > UINT32_MAX) {
        return ZERR_BADCAP;
    }
    return cap_lookup(cspace(t), (uint32_t)handle, type, need, out);
}

static bool ioport_covers(const struct cap *c, uint64_t port)
{
    uint64_t base = c->obj >> 16;
    uint64_t count = c->obj & 0xffff;
    return port >= base && port < base + count;
}

static void sys_debug_write(struct thread *t, struct trap_frame *f)
{
    const struct cap *c;
    int r = lookup(t, f->rdi, CAP_IOPORT, CAP_RIGHT_WRITE, &c);
    if (r == 0 && !ioport_covers(c, COM1_BASE)) {
        r = ZERR_PERM;
    }
    if (r == 0 && f->rdx > (1u << 20)) {
        r = ZERR_RANGE;
    }
    if (r != 0) {
        ret(f, r);
        return;
    }
    char buf[DEBUG_CHUNK];
    uint64_t done = 0;
    while (done < f->rdx) {
        uint64_t n = f->rdx - done < DEBUG_CHUNK ? f->rdx - done : DEBUG_CHUNK;
        if (copy_from_user(buf, f->rsi + done, n) != 0) {
            ret(f, done > 0 ? (int64_t)done : ZERR_FAULT);
            return;
        }
        arch_console_write(buf, n);
        done += n;
    }
    ret(f, (int64_t)done);
}

static void sys_yield(struct thread *t, struct trap_frame *f)
{
    t->ticks_left = 0;
    arch_cpu()->need_resched = true;
    ret(f, 0);
}

static void sys_exit(struct thread *t, struct trap_frame *f)
{
    proc_exit(t->proc, (int)f->rdi);
}

/* Common decode of send and call: endpoint, optional capability, message. */
static void send_or_call(struct thread *t, struct trap_frame *f, bool is_call)
{
    const struct cap *ep;
    int r = lookup(t, f->rdi, CAP_ENDPOINT, CAP_RIGHT_WRITE, &ep);
    if (r == 0 && f->rsi != CAP_NONE) {
        r = (ep->rights & CAP_RIGHT_GRANT) ? lookup(t, f->rsi, CAP_TYPE_ANY, 0, NULL) : ZERR_PERM;
    }
    if (r != 0) {
        ret(f, r);
        return;
    }
    t->msg[0] = f->rdx;
    t->msg[1] = f->r10;
    t->msg[2] = f->r8;
    t->msg[3] = f->r9;
    t->badge = ep->badge;
    t->xfer_cap = (uint32_t)f->rsi;
    t->is_call = is_call;
    ipc_send(t, (struct endpoint *)ep->obj);
}

static void sys_send(struct thread *t, struct trap_frame *f)
{
    send_or_call(t, f, false);
}

static void sys_call(struct thread *t, struct trap_frame *f)
{
    send_or_call(t, f, true);
}

static void sys_recv(struct thread *t, struct trap_frame *f)
{
    const struct cap *ep;
    int r = lookup(t, f->rdi, CAP_ENDPOINT, CAP_RIGHT_READ, &ep);
    if (r != 0) {
        ret(f, r);
        return;
    }
    ipc_recv(t, (struct endpoint *)ep->obj);
}

static void sys_reply_recv(struct thread *t, struct trap_frame *f)
{
    const struct cap *ep;
    int r = lookup(t, f->rdi, CAP_ENDPOINT, CAP_RIGHT_READ, &ep);
    if (r != 0) {
        ret(f, r);
        return;
    }
    uint64_t msg[MSG_WORDS] = {f->rdx, f->r10, f->r8, f->r9};
    struct thread *caller = ipc_reply(t, msg);
    bool got = ipc_recv(t, (struct endpoint *)ep->obj);
    if (caller == NULL) {
        return;
    }
    if (got || !sched_may_run(caller, arch_cpu()->id)) {
        sched_ready(caller);
    } else {
        caller->state = TS_RUNNING; /* fast path: straight back to the caller */
        arch_switch_to(t, caller);
    }
}

static void sys_reply(struct thread *t, struct trap_frame *f)
{
    uint64_t msg[MSG_WORDS] = {f->rdx, f->r10, f->r8, f->r9};
    struct thread *caller = ipc_reply(t, msg);
    if (caller != NULL) {
        sched_ready(caller);
    }
    ret(f, caller != NULL ? 0 : ZERR_NOENT);
}

static void sys_signal(struct thread *t, struct trap_frame *f)
{
    const struct cap *n;
    int r = lookup(t, f->rdi, CAP_NOTIFICATION, CAP_RIGHT_WRITE, &n);
    if (r == 0) {
        notification_signal((struct notification *)n->obj, n->badge != 0 ? n->badge : 1);
    }
    ret(f, r);
}

static void wait_or_poll(struct thread *t, struct trap_frame *f, bool block)
{
    const struct cap *n;
    int r = lookup(t, f->rdi, CAP_NOTIFICATION, CAP_RIGHT_READ, &n);
    if (r != 0) {
        ret(f, r);
        return;
    }
    notification_wait(t, (struct notification *)n->obj, block);
}

static void sys_wait(struct thread *t, struct trap_frame *f)
{
    wait_or_poll(t, f, true);
}

static void sys_poll(struct thread *t, struct trap_frame *f)
{
    wait_or_poll(t, f, false);
}

static void sys_cap_derive(struct thread *t, struct trap_frame *f)
{
    if (f->rdi > UINT32_MAX || f->rsi > UINT32_MAX || f->rdx > CAP_RIGHTS_ALL) {
        ret(f, f->rdx > CAP_RIGHTS_ALL ? ZERR_INVAL : ZERR_BADCAP);
        return;
    }
    int h = cap_derive(cspace(t), (uint32_t)f->rdi, cspace(t), (uint32_t)f->rsi, (uint32_t)f->rdx,
                       f->r10);
    if (h >= 0) {
        obj_get(&cspace(t)->slots[h].cap);
    }
    ret(f, h);
}

static void sys_cap_delete(struct thread *t, struct trap_frame *f)
{
    int r = lookup(t, f->rdi, CAP_TYPE_ANY, 0, NULL);
    if (r == 0) {
        r = cap_delete(cspace(t), (uint32_t)f->rdi, cap_release, NULL);
    }
    ret(f, r);
}

static void sys_cap_revoke(struct thread *t, struct trap_frame *f)
{
    int r = lookup(t, f->rdi, CAP_TYPE_ANY, 0, NULL);
    if (r == 0) {
        r = cap_revoke(cspace(t), (uint32_t)f->rdi, cap_release, NULL);
    }
    ret(f, r);
}

static void sys_cap_info(struct thread *t, struct trap_frame *f)
{
    const struct cap *c;
    int r = lookup(t, f->rdi, CAP_TYPE_ANY, 0, &c);
    if (r == 0) {
        f->rdi = c->type;
        f->rsi = c->rights;
        f->rdx = c->badge;
        if (c->type == CAP_THREAD) {
            const struct thread *th = (const struct thread *)c->obj;
            /* A killed thread that has not yet left its CPU still reads as
             * running: DEAD means it will never touch a CPU again. */
            f->r10 = th->state == TS_DEAD && th->on_cpu ? TS_RUNNING : th->state;
            f->r8 = (uint64_t)(int64_t)th->exit_status;
        }
    }
    ret(f, r);
}

/* Puts a new original capability to obj in the caller's cspace. */
static int new_cap(struct thread *t, uint32_t type, uintptr_t obj)
{
    struct cap c = {.type = type, .rights = CAP_RIGHTS_ALL, .badge = 0, .obj = obj};
    return cap_insert(cspace(t), CAP_SLOT_ANY, &c);
}

static void sys_endpoint_create(struct thread *t, struct trap_frame *f)
{
    struct endpoint *e = endpoint_alloc();
    if (e == NULL) {
        ret(f, ZERR_NOMEM);
        return;
    }
    int h = new_cap(t, CAP_ENDPOINT, (uintptr_t)e);
    if (h < 0) {
        endpoint_put(e);
    }
    ret(f, h);
}

static void sys_ntfn_create(struct thread *t, struct trap_frame *f)
{
    struct notification *n = notification_alloc();
    if (n == NULL) {
        ret(f, ZERR_NOMEM);
        return;
    }
    int h = new_cap(t, CAP_NOTIFICATION, (uintptr_t)n);
    if (h < 0) {
        notification_put(n);
    }
    ret(f, h);
}

static void sys_frame_alloc(struct thread *t, struct trap_frame *f)
{
    uint64_t pa = frame_alloc();
    if (pa == 0) {
        ret(f, ZERR_NOMEM);
        return;
    }
    int h = new_cap(t, CAP_FRAME, (uintptr_t)pa);
    if (h < 0) {
        frame_put(pa);
    }
    ret(f, h);
}

static void sys_map(struct thread *t, struct trap_frame *f)
{
    const struct cap *as;
    const struct cap *fr;
    uint32_t need = CAP_RIGHT_READ | ((f->r10 & ZERO_MAP_WRITE) ? CAP_RIGHT_WRITE : 0) |
                    ((f->r10 & ZERO_MAP_EXEC) ? CAP_RIGHT_EXEC : 0);
    int r = (f->r10 & ~(uint64_t)(ZERO_MAP_WRITE | ZERO_MAP_EXEC)) ? ZERR_INVAL : 0;
    if (r == 0) {
        r = lookup(t, f->rdi, CAP_ASPACE, CAP_RIGHT_WRITE, &as);
    }
    if (r == 0) {
        r = lookup(t, f->rsi, CAP_FRAME, need, &fr);
    }
    if (r != 0) {
        ret(f, r);
        return;
    }
    struct frame_map *m = &t->proc->fmap[f->rsi];
    if (m->as != NULL) {
        ret(f, ZERR_BUSY); /* one mapping per frame capability: derive another to map again */
        return;
    }
    r = as_map((struct aspace *)as->obj, f->rdx, fr->obj, (uint32_t)f->r10);
    if (r == 0) {
        m->as = (struct aspace *)as->obj;
        m->va = f->rdx;
    }
    ret(f, r);
}

static void sys_unmap(struct thread *t, struct trap_frame *f)
{
    int r = lookup(t, f->rdi, CAP_FRAME, 0, NULL);
    if (r == 0 && t->proc->fmap[f->rdi].as == NULL) {
        r = ZERR_NOENT;
    }
    if (r == 0) {
        frame_cap_unmap(t->proc, (uint32_t)f->rdi);
    }
    ret(f, r);
}

static void sys_thread_create(struct thread *t, struct trap_frame *f)
{
    if (f->rdi < USER_MIN || f->rdi >= USER_MAX || f->rsi < USER_MIN || f->rsi > USER_MAP_MAX ||
        f->r10 >= NPRIO) {
        ret(f, ZERR_RANGE);
        return;
    }
    uint32_t prio = f->r10 > t->prio ? t->prio : (uint32_t)f->r10;
    struct thread *n = thread_create(t->proc, f->rdi, f->rsi, f->rdx, prio);
    if (n == NULL) {
        ret(f, ZERR_LIMIT);
        return;
    }
    int h = new_cap(t, CAP_THREAD, (uintptr_t)n);
    if (h >= 0) {
        n->refs++;
    }
    ret(f, h);
}

static void sys_thread_kill(struct thread *t, struct trap_frame *f)
{
    const struct cap *c;
    int r = lookup(t, f->rdi, CAP_THREAD, CAP_RIGHT_WRITE, &c);
    ret(f, r);
    if (r == 0) {
        thread_kill((struct thread *)c->obj, ZERR_DENIED);
    }
}

/* Gives child p the console (if t has one), the endpoint and the exit notification. */
static void spawn_grant(struct thread *t, struct proc *p, uint64_t ep, const struct cap *n)
{
    const struct cap *c;
    if (lookup(t, ZERO_SLOT_CONSOLE, CAP_IOPORT, 0, &c) == 0 &&
        cap_derive(cspace(t), ZERO_SLOT_CONSOLE, &p->cspace, ZERO_SLOT_CONSOLE, CAP_RIGHT_WRITE,
                   0) >= 0) {
        obj_get(c);
    }
    if (ep != CAP_NONE &&
        cap_derive(cspace(t), (uint32_t)ep, &p->cspace, ZERO_SLOT_EP, CAP_RIGHTS_ALL, 0) >= 0) {
        obj_get(&p->cspace.slots[ZERO_SLOT_EP].cap);
    }
    if (n != NULL) {
        p->exit_ntfn = (struct notification *)n->obj;
        p->exit_ntfn->refs++;
        p->exit_bits = n->badge != 0 ? n->badge : 1;
    }
}

static void sys_spawn(struct thread *t, struct trap_frame *f)
{
    const struct cap *n = NULL;
    int r = f->rdi < boot_info.nmodules ? 0 : ZERR_NOENT;
    if (r == 0 && f->rdx != CAP_NONE) {
        r = lookup(t, f->rdx, CAP_ENDPOINT, 0, NULL);
    }
    if (r == 0 && f->r10 != CAP_NONE) {
        r = lookup(t, f->r10, CAP_NOTIFICATION, CAP_RIGHT_WRITE, &n);
    }
    if (r == 0 && cspace(t)->used >= cspace(t)->nslots) {
        r = ZERR_FULL;
    }
    struct proc *p = NULL;
    if (r == 0) {
        r = proc_spawn_module((uint32_t)f->rdi, f->rsi, t->prio, &p);
    }
    if (r != 0) {
        ret(f, r);
        return;
    }
    spawn_grant(t, p, f->rdx, n);
    int h = new_cap(t, CAP_THREAD, (uintptr_t)p->main_thread);
    p->main_thread->refs++;
    ret(f, h);
}

static void sys_irq_bind(struct thread *t, struct trap_frame *f)
{
    const struct cap *irq;
    const struct cap *n;
    int r = lookup(t, f->rdi, CAP_IRQ, CAP_RIGHT_WRITE, &irq);
    if (r == 0) {
        r = lookup(t, f->rsi, CAP_NOTIFICATION, CAP_RIGHT_WRITE, &n);
    }
    if (r == 0) {
        r = irq_bind((uint32_t)irq->obj, (struct notification *)n->obj,
                     n->badge != 0 ? n->badge : 1);
    }
    ret(f, r);
}

static void sys_irq_ack(struct thread *t, struct trap_frame *f)
{
    const struct cap *irq;
    int r = lookup(t, f->rdi, CAP_IRQ, CAP_RIGHT_WRITE, &irq);
    if (r == 0) {
        arch_irq_unmask((uint32_t)irq->obj);
    }
    ret(f, r);
}

static void sys_ioport_out(struct thread *t, struct trap_frame *f)
{
    const struct cap *c;
    int r = lookup(t, f->rdi, CAP_IOPORT, CAP_RIGHT_WRITE, &c);
    if (r == 0 && !ioport_covers(c, f->rsi)) {
        r = ZERR_PERM;
    }
    if (r == 0) {
        arch_outb((uint16_t)f->rsi, (uint8_t)f->rdx);
    }
    ret(f, r);
}

static void sys_ioport_in(struct thread *t, struct trap_frame *f)
{
    const struct cap *c;
    int r = lookup(t, f->rdi, CAP_IOPORT, CAP_RIGHT_READ, &c);
    if (r == 0 && !ioport_covers(c, f->rsi)) {
        r = ZERR_PERM;
    }
    if (r == 0) {
        f->rdi = arch_inb((uint16_t)f->rsi);
    }
    ret(f, r);
}

static void sys_info(struct thread *t, struct trap_frame *f)
{
    f->rdi = frame_free_count();
    f->rsi = cspace(t)->used;
    f->rdx = arch_time_ticks();
    ret(f, 0);
}

static void sys_null(struct thread *t, struct trap_frame *f)
{
    (void)t;
    ret(f, 0);
}

static void sys_timer(struct thread *t, struct trap_frame *f)
{
    const struct cap *n;
    int r = lookup(t, f->rdi, CAP_NOTIFICATION, CAP_RIGHT_WRITE, &n);
    if (r == 0 && f->rsi > UINT64_MAX / 2) {
        r = ZERR_RANGE;
    }
    if (r == 0) {
        uint64_t ticks = (f->rsi + TICK_NS - 1) / TICK_NS;
        r = timer_arm(t->proc, (struct notification *)n->obj, n->badge != 0 ? n->badge : 1,
                      arch_time_ticks() + (ticks == 0 ? 1 : ticks));
    }
    ret(f, r);
}

/* Thread capability handle (WRITE), or ZERO_CAP_NONE for the caller itself. */
static int thread_arg(struct thread *t, uint64_t handle, struct thread **out)
{
    if (handle == ZERO_CAP_NONE) {
        *out = t;
        return 0;
    }
    const struct cap *c;
    int r = lookup(t, handle, CAP_THREAD, CAP_RIGHT_WRITE, &c);
    if (r == 0) {
        *out = (struct thread *)c->obj;
    }
    return r;
}

static void sys_thread_affinity(struct thread *t, struct trap_frame *f)
{
    struct thread *target = NULL;
    int r = thread_arg(t, f->rdi, &target);
    if (r == 0 && (f->rsi == 0 || f->rsi > UINT32_MAX)) {
        r = ZERR_INVAL;
    }
    if (r == 0 && (target->state == TS_DEAD || target->state == TS_FREE)) {
        r = ZERR_NOENT;
    }
    if (r == 0) {
        r = sched_set_affinity(target, (uint32_t)f->rsi);
    }
    ret(f, r);
}

static void sys_cpu_info(struct thread *t, struct trap_frame *f)
{
    (void)t;
    f->rdi = arch_cpu()->id;
    f->rsi = arch_cpu_count();
    f->rdx = kernel_lock.acquired;
    f->r10 = kernel_lock.contended;
    f->r8 = kernel_lock.spins;
    ret(f, 0);
}

/* Kernel-lock acquisitions and waits by site; syscalls by number (SYS_COUNT: bad numbers). */
static uint64_t lock_taken[SYS_COUNT + 3];
static uint64_t lock_waited[SYS_COUNT + 3];

/* Counts one acquisition of the kernel lock at site (nr: syscall number). */
void lock_account(enum lock_site site, uint64_t nr)
{
    uint64_t i = site == LOCK_SYSCALL ? (nr < SYS_COUNT ? nr : SYS_COUNT) : SYS_COUNT + site;
    lock_taken[i]++;
    lock_waited[i] += kernel_lock.last_waited ? 1 : 0;
}

/*
 * Prints the kernel lock's contention: totals, then the three sites (system
 * calls by number, user traps, idle interrupts) that waited most.
 */
void lock_report(void)
{
    kprintf("kernel lock: %llu acquisitions, %llu waited, %llu spins; most waits:",
            (unsigned long long)kernel_lock.acquired, (unsigned long long)kernel_lock.contended,
            (unsigned long long)kernel_lock.spins);
    bool shown[SYS_COUNT + 3] = {false};
    for (int k = 0; k < 3; k++) {
        int best = -1;
        for (int i = 0; i < SYS_COUNT + 3; i++) {
            if (!shown[i] && lock_waited[i] > 0 &&
                (best < 0 || lock_waited[i] > lock_waited[best])) {
                best = i;
            }
        }
        if (best < 0) {
            break;
        }
        shown[best] = true;
        if (best < SYS_COUNT) {
            kprintf(" syscall %d", best);
        } else {
            kprintf(" %s", best == SYS_COUNT + LOCK_USER_TRAP ? "user-trap" : "idle-irq");
        }
        kprintf(" %llu/%llu", (unsigned long long)lock_waited[best],
                (unsigned long long)lock_taken[best]);
    }
    kprintf("\n");
}

static const sys_fn sys_table[SYS_COUNT] = {
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
};

/*
 * Entry from syscall_entry with the caller's frame: bounds-checked dispatch,
 * then a reschedule if the caller blocked, died or was outranked.
 */
void syscall_dispatch(struct trap_frame *f)
{
    spin_lock(&kernel_lock);
    lock_account(LOCK_SYSCALL, f->rax);
    struct cpu *c = arch_cpu();
    struct thread *t = c->current;
    if (t->state != TS_RUNNING) {
        sched_run(); /* killed by another CPU while it ran here */
    }
    if (f->rax < SYS_COUNT) {
        sys_table[f->rax](t, f);
    } else {
        ret(f, ZERR_INVAL);
    }
    if (c->current->state != TS_RUNNING || c->need_resched) {
        sched_run();
    }
    spin_unlock(&kernel_lock);
}
