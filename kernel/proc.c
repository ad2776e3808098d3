/*
 * Processes and threads: creation from boot modules, capability reference
 * counting, exit, and fault reports.
 *
 * A process is an address space, a capability space and its threads.  It
 * ends when its last thread dies; its capabilities are then deleted (which
 * drops the objects they name) and its address space goes when the last
 * reference to it does.  Object lifetimes are reference counts held by
 * capabilities (and, for frames, by mappings).
 */
#include "base/assert.h"
#include "base/errors.h"
#include "base/string.h"
#include "hal/hal.h"
#include "zero/abi.h"
#include "kernel/kernel.h"
#include "kernel/lockstat.h"

#define USER_STACK_TOP 0x00007fffffff0000ull
#define USER_STACK_PAGES 16

struct proc procs[MAX_PROCS];
struct thread threads[MAX_THREADS];
static uint32_t next_pid = 1;
static uint32_t next_tid = 1;

struct proc *proc_of_cspace(struct cap_space *cs)
{
    return (struct proc *)((char *)cs - offsetof(struct proc, cspace));
}

/* Removes the mapping made with frame capability handle of p, if any. */
void frame_cap_unmap(struct proc *p, uint32_t handle)
{
    struct frame_map *m = &p->fmap[handle];
    if (m->as != NULL) {
        (void)as_unmap(m->as, m->va);
        m->as = NULL;
        m->va = 0;
    }
}

/* Forgets every frame-capability mapping into as (it is being destroyed). */
static void fmap_forget(const struct aspace *as)
{
    for (int i = 0; i < MAX_PROCS; i++) {
        for (int h = 0; h < PROC_CSLOTS; h++) {
            if (procs[i].fmap[h].as == as) {
                procs[i].fmap[h].as = NULL;
            }
        }
    }
}

static struct proc *proc_of_aspace(struct aspace *as)
{
    return (struct proc *)((char *)as - offsetof(struct proc, as));
}

/* True if a CPU other than this one has as loaded (one of its threads is leaving it). */
static bool aspace_loaded_elsewhere(const struct aspace *as)
{
    uint32_t self = arch_cpu()->id;
    for (uint32_t i = 0; i < arch_cpu_count(); i++) {
        if (i != self && arch_cpu_by_id(i)->as == as) {
            return true;
        }
    }
    return false;
}

/* Signals p's exit notification, if it has one, and drops it. */
static void proc_signal_exit(struct proc *p)
{
    p->exit_deferred = false;
    if (p->exit_ntfn != NULL) {
        notification_signal(p->exit_ntfn, p->exit_bits);
        notification_put(p->exit_ntfn);
        p->exit_ntfn = NULL;
    }
}

/*
 * Frees as (its last reference went): its page tables, and the frame
 * capability mappings into it.  Kept out of line so that aspace_put, on
 * every address-space switch, stays small.
 */
static void __attribute__((noinline)) aspace_free(struct aspace *as)
{
    fmap_forget(as);
    as_destroy(as);
    as->live = false;
}

/* Drops a reference; the last one destroys the address space. */
void aspace_put(struct aspace *as)
{
    ZASSERT(__atomic_load_n(&as->refs, __ATOMIC_RELAXED) > 0,
            "an address space is put once per reference taken");
    if (__atomic_sub_fetch(&as->refs, 1, __ATOMIC_RELAXED) == 0) {
        aspace_free(as);
    }
}

/*
 * Makes CPU c (the calling CPU) use address space as (NULL: the kernel's
 * tables only).  A CPU holds a reference on the space it has loaded, so a
 * process that exits while one of its threads still runs on another CPU
 * keeps its page tables until that CPU has switched away.  The IPC fast
 * path calls it with the kernel lock held shared, switching from the
 * space of a running thread (whose process holds a reference and is not
 * exiting) to that of a live one: the counts change atomically, and
 * neither the last reference nor a deferred exit can be met there.
 */
void aspace_switch(struct cpu *c, struct aspace *as)
{
    struct aspace *old = c->as;
    if (old == as) {
        return;
    }
    if (as != NULL) {
        __atomic_add_fetch(&as->refs, 1, __ATOMIC_RELAXED);
    }
    as_switch(old, as);
    c->as = as;
    if (old != NULL) {
        struct proc *owner = proc_of_aspace(old);
        if (owner->exit_deferred && !aspace_loaded_elsewhere(old)) {
            proc_signal_exit(owner); /* its last thread has now left every CPU */
        }
        aspace_put(old);
    }
}

/* Adds the reference a new capability to c's object holds. */
static void obj_get(const struct cap *c)
{
    switch (c->type) {
    case CAP_ENDPOINT:
        ((struct endpoint *)c->obj)->refs++;
        break;
    case CAP_NOTIFICATION:
        ((struct notification *)c->obj)->refs++;
        break;
    case CAP_THREAD:
        ((struct thread *)c->obj)->refs++;
        break;
    case CAP_ASPACE:
        ((struct aspace *)c->obj)->refs++;
        break;
    case CAP_FRAME:
        frame_ref(c->obj);
        break;
    default:
        break;
    }
}

/*
 * Puts capability c in slot of cs (CAP_SLOT_ANY: the first free one) and
 * takes the reference it holds on its object.  The handle, or an error.
 */
int cap_install(struct cap_space *cs, uint32_t slot, const struct cap *c)
{
    struct quota *q = proc_of_cspace(cs)->quota;
    int h = quota_check(q, QUOTA_SLOTS, 1);
    if (h == 0) {
        h = cap_insert(cs, slot, c);
    }
    if (h >= 0) {
        quota_charge(q, QUOTA_SLOTS, 1);
        obj_get(c);
    }
    return h;
}

/*
 * Derives a copy of capability src of from into slot dst of to (cap_derive:
 * rights mask, badge) and takes the reference it holds on its object.  The
 * new handle, or an error.
 */
int cap_copy(struct cap_space *from, uint32_t src, struct cap_space *to, uint32_t dst,
             uint32_t rights, uint64_t badge)
{
    struct quota *q = proc_of_cspace(to)->quota;
    int h = quota_check(q, QUOTA_SLOTS, 1);
    if (h == 0) {
        h = cap_derive(from, src, to, dst, rights, badge);
    }
    if (h >= 0) {
        quota_charge(q, QUOTA_SLOTS, 1);
        obj_get(&to->slots[h].cap);
    }
    return h;
}

/* cap_release_fn for every capability removal: drops the object's reference. */
void cap_release(void *arg, struct cap_space *cs, uint32_t handle, const struct cap *c)
{
    (void)arg;
    quota_refund(proc_of_cspace(cs)->quota, QUOTA_SLOTS, 1);
    switch (c->type) {
    case CAP_ENDPOINT:
        ipc_cancel_through((struct endpoint *)c->obj, proc_of_cspace(cs), handle);
        endpoint_put((struct endpoint *)c->obj);
        break;
    case CAP_NOTIFICATION:
        notification_put((struct notification *)c->obj);
        break;
    case CAP_THREAD:
        thread_put((struct thread *)c->obj);
        break;
    case CAP_ASPACE:
        aspace_put((struct aspace *)c->obj);
        break;
    case CAP_FRAME:
        frame_cap_unmap(proc_of_cspace(cs), handle);
        frame_put(c->obj);
        break;
    default:
        break;
    }
}

/*
 * A new READY thread of p entering user mode at entry, or NULL when the pool
 * is empty or p's quota has no thread left.
 */
struct thread *thread_create(struct proc *p, uint64_t entry, uint64_t stack, uint64_t arg,
                             uint32_t prio)
{
    if (quota_check(p->quota, QUOTA_THREADS, 1) != 0) {
        return NULL;
    }
    for (int i = 0; i < MAX_THREADS; i++) {
        struct thread *t = &threads[i];
        if (t->state != TS_FREE) {
            continue;
        }
        memset(t, 0, sizeof(*t));
        t->proc = p;
        t->tid = next_tid++;
        t->prio = prio < NPRIO ? prio : NPRIO - 1;
        t->state = TS_DEAD;
        t->xfer_cap = CAP_NONE;
        t->cpu = NO_CPU; /* new: placed on the least loaded CPU */
        struct thread *creator = arch_cpu()->current;
        if (creator != NULL && creator->proc == p) {
            t->affinity = creator->affinity; /* a process's threads share its placement */
        }
        arch_thread_init(t, entry, stack, arg);
        p->nthreads++;
        quota_charge(p->quota, QUOTA_THREADS, 1);
        sched_ready(t);
        return t;
    }
    return NULL;
}

/* Drops a thread capability's reference; frees a dead thread with none left. */
void thread_put(struct thread *t)
{
    ZASSERT(t->refs > 0, "a thread is put once per capability to it");
    if (--t->refs == 0 && t->state == TS_DEAD && !t->on_cpu) {
        t->state = TS_FREE;
    }
}

/*
 * Stops t (any state) with status; the last thread of a process ends it.
 * If t is current here, the caller must reschedule; if it is current on
 * another CPU, that CPU is told to reschedule and t stays DEAD (not FREE)
 * until it has left that CPU (sched_run frees it then).
 */
void thread_kill(struct thread *t, int status)
{
    if (t->state == TS_DEAD || t->state == TS_FREE) {
        return;
    }
    ipc_cancel(t);
    sched_unready(t);
    t->state = TS_DEAD;
    t->exit_status = status;
    if (t->on_cpu && t->cpu != arch_cpu()->id) {
        struct cpu *c = arch_cpu_by_id(t->cpu);
        c->need_resched = true;
        arch_resched_ipi(c);
    }
    struct proc *p = t->proc;
    quota_refund(p->quota, QUOTA_THREADS, 1);
    if (--p->nthreads == 0) {
        proc_exit(p, status);
    }
    if (t->refs == 0 && !t->on_cpu) {
        t->state = TS_FREE;
    }
}

/*
 * Ends p: kills its threads, cancels its timers, deletes its capabilities, releases its address
 * space and signals its exit notification.  If one of its threads is still
 * current on another CPU (killed from here), that CPU keeps the address
 * space loaded until it reschedules, which the kill asked of it; the
 * notification then waits until it has (aspace_switch), so that whoever is
 * woken by it finds every frame of p back.  Stops the machine when no
 * process is left.
 */
void proc_exit(struct proc *p, int status)
{
    if (!p->live) {
        return;
    }
    p->live = false;
    p->exit_status = status;
    for (int i = 0; i < MAX_THREADS; i++) {
        if (threads[i].proc == p && threads[i].state != TS_FREE && threads[i].state != TS_DEAD) {
            threads[i].faulted = p->faulted; /* SYS_THREAD_FAULT reads it from any of them */
            threads[i].fault_vector = p->fault_vector;
            threads[i].fault_addr = p->fault_addr;
            p->nthreads = 1; /* keep thread_kill from re-entering proc_exit */
            thread_kill(&threads[i], status);
        }
    }
    p->nthreads = 0;
    timer_cancel(p);
    cap_space_clear(&p->cspace, cap_release, NULL);
    quota_detach(p->quota);
    if (aspace_loaded_elsewhere(&p->as)) {
        p->exit_deferred = true;
    } else {
        proc_signal_exit(p);
    }
    aspace_put(&p->as);
    for (int i = 0; i < MAX_PROCS; i++) {
        if (procs[i].live) {
            return;
        }
    }
    kprintf("kernel: every process has exited (last status %d); stopping\n", status);
    if (arch_cpu_count() > 1) {
        lock_report();
    }
    hal_exit(status == 0 ? 0 : 1);
}

/* Reports a user exception of t and stops its process (status ZERR_TRAP). */
void proc_fault(struct thread *t, uint64_t vector, uint64_t addr, uint64_t error)
{
    kprintf("fault: pid %u tid %u %s (vector %llu) at 0x%llx error 0x%llx rip 0x%llx: "
            "process stopped\n",
            t->proc->pid, t->tid, arch_exception_name(vector), (unsigned long long)vector,
            (unsigned long long)addr, (unsigned long long)error,
            (unsigned long long)frame_pc(&t->frame));
    t->proc->faulted = true;
    t->proc->fault_vector = (uint32_t)vector;
    t->proc->fault_addr = addr;
    proc_exit(t->proc, ZERR_TRAP);
}

static struct proc *proc_alloc(void)
{
    for (int i = 0; i < MAX_PROCS; i++) {
        struct proc *p = &procs[i];
        if (!p->live && !p->as.live) {
            memset(p, 0, sizeof(*p));
            p->pid = next_pid++;
            cap_space_init(&p->cspace, p->slots, PROC_CSLOTS, p->pid);
            return p;
        }
    }
    return NULL;
}

static int stack_map(struct aspace *as, struct quota *q)
{
    for (uint64_t i = 1; i <= USER_STACK_PAGES; i++) {
        uint64_t pa = 0;
        int fr = quota_frame_alloc(q, &pa);
        if (fr != 0) {
            return fr;
        }
        int r = as_map(as, USER_STACK_TOP - i * PAGE_SIZE, pa, MAP_WRITE);
        frame_put(pa);
        if (r != 0) {
            return r;
        }
    }
    return 0;
}

/*
 * Starts boot module as a new process charged to quota q (ELF image, stack,
 * own address-space capability, one thread with arg).  0 with *out, or
 * ZERR_NOENT, ZERR_LIMIT (no process left, or q exhausted), ZERR_NOMEM or an
 * ELF error; on error nothing stays charged to q.
 */
int proc_spawn_module(uint32_t module, uint64_t arg, uint32_t prio, struct quota *q,
                      struct proc **out)
{
    if (module >= boot_info.nmodules) {
        return ZERR_NOENT;
    }
    struct proc *p = proc_alloc();
    if (p == NULL) {
        return ZERR_LIMIT;
    }
    int r = as_create(&p->as);
    if (r != 0) {
        return r;
    }
    p->as.live = true;
    p->as.refs = 1;
    p->live = true;
    p->quota = q;
    quota_attach(q);
    const struct boot_module *m = &boot_info.modules[module];
    uint64_t entry = 0;
    r = elf_load(&p->as, q, phys_to_virt(m->start), m->end - m->start, &entry);
    if (r == 0) {
        r = stack_map(&p->as, q);
    }
    struct cap ascap = {
        .type = CAP_ASPACE, .rights = CAP_RIGHTS_ALL, .badge = 0, .obj = (uintptr_t)&p->as};
    if (r == 0) {
        int h = cap_install(&p->cspace, ZERO_SLOT_ASPACE, &ascap);
        r = h < 0 ? h : 0;
    }
    if (r == 0 && (p->main_thread = thread_create(p, entry, USER_STACK_TOP, arg, prio)) == NULL) {
        r = ZERR_LIMIT;
    }
    if (r != 0) {
        proc_exit(p, r);
        return r;
    }
    *out = p;
    return 0;
}
