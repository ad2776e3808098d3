/*
 * The kernel's entry points: every way the architecture layer enters the
 * portable kernel (a system call, a fault or an interrupt from user mode,
 * an interrupt in the idle loop, a CPU coming up) goes through one of the
 * functions here.  They own the kernel lock: each takes it, counts the
 * acquisition (kernel/lockstat.c), does its work, reschedules when asked,
 * and releases it; the IPC fast path holds it shared instead.  Nothing
 * else in the kernel takes or drops the lock, except the scheduler handing
 * it over to the thread it switches to.
 *
 * The idle loop is the one place that runs with interrupts enabled (and
 * the lock released): an interrupt there arrives with no current thread on
 * its CPU.  Work that only touches the interrupted CPU's own fields (a
 * reschedule request, an application processor's tick) is done without the
 * lock (see docs/kernel.md, "Locking and SMP").
 */
#include "base/errors.h"
#include "zero/abi.h"
#include "kernel/kernel.h"
#include "kernel/lockstat.h"
#include "kernel/syscall.h"

struct spinlock kernel_lock;

/* Takes the kernel lock on behalf of site (nr: the system-call number). */
static void lock_enter(enum lock_site site, uint64_t nr)
{
    spin_lock(&kernel_lock);
    lock_account(site, nr);
}

/* Back to user mode: through the scheduler if the current thread must yield. */
static void lock_leave_to_user(struct cpu *c)
{
    if (c->need_resched || c->current->state != TS_RUNNING) {
        sched_run();
    }
    spin_unlock(&kernel_lock);
}

/* True when this CPU is in the idle loop (nothing current, interrupts on). */
static bool in_idle(const struct cpu *c)
{
    return c->current == NULL;
}

/* Takes the lock for an interrupt, in the idle loop or from user mode. */
static void lock_enter_irq(bool idle)
{
    lock_enter(idle ? LOCK_IDLE : LOCK_USER_TRAP, 0);
}

/* Releases it: back to the idle loop, or to user mode (lock_leave_to_user). */
static void lock_leave_irq(struct cpu *c, bool idle)
{
    if (idle) {
        spin_unlock(&kernel_lock);
    } else {
        lock_leave_to_user(c);
    }
}

/*
 * Back to user mode after a DEBUG_WRITE, whose bytes wait in this CPU's
 * console buffer: they go to the UART after the kernel lock is released,
 * under the console lock only, so other CPUs' system calls never wait for
 * the UART.  What another CPU asks of this one from then on (a kill, a
 * reschedule) comes with an IPI, taken on the way to user mode.  If this
 * CPU must reschedule already, the bytes are written first, under the
 * kernel lock (at most CONSOLE_CHUNK of them).
 */
static void leave_with_console_output(struct cpu *c)
{
    uint32_t n = c->console_len;
    c->console_len = 0;
    if (c->need_resched || c->current->state != TS_RUNNING) {
        console_write(c->console_buf, n);
        lock_leave_to_user(c);
        return;
    }
    spin_unlock(&kernel_lock);
    console_write(c->console_buf, n);
}

/*
 * A thread whose IPC did not fit the fast path (its partner runs on another
 * CPU, say) goes straight to the general path for this many calls: a
 * miss costs a capability lookup and the endpoint lock for nothing.
 */
#define IPC_FAST_BACKOFF 15

/*
 * The IPC fast path (a call that finds its server waiting, a reply-receive
 * that finds no sender queued) with the kernel lock held shared: IPC on
 * different endpoints runs on several CPUs at once, each endpoint under
 * its own lock (kernel/endpoint.c).  It touches only the endpoint, the two
 * threads, and this CPU's current thread and address space.  True when
 * done; false, having changed nothing, when the lock is held or taken (or
 * the case is not the common one, and then for the next IPC_FAST_BACKOFF
 * calls of this thread): the general path runs.
 */
static bool ipc_fast_shared(struct trap_frame *f, uint64_t nr)
{
    struct cpu *c = arch_cpu();
    struct thread *t = c->current;
    if (t->ipc_backoff != 0) {
        t->ipc_backoff--;
        return false;
    }
    if (!spin_share(&kernel_lock)) {
        return false;
    }
    bool done = t->state == TS_RUNNING && !c->need_resched && syscall_ipc_shared(t, f, nr);
    if (done) {
        c->ipc_shared++;
    } else {
        t->ipc_backoff = IPC_FAST_BACKOFF;
    }
    spin_unshare(&kernel_lock);
    return done;
}

/*
 * A system call from the current thread, whose saved state is f: the
 * IPC fast path, or bounds-checked dispatch under the kernel lock, the
 * status written once, then a reschedule if the caller blocked, died or
 * was outranked.
 */
void kernel_syscall(struct trap_frame *f)
{
    uint64_t nr = frame_syscall_nr(f);
    if ((nr == SYS_CALL || nr == SYS_REPLY_RECV) && ipc_fast_shared(f, nr)) {
        return;
    }
    lock_enter(LOCK_SYSCALL, nr);
    struct cpu *c = arch_cpu();
    struct thread *t = c->current;
    if (t->state != TS_RUNNING) {
        sched_run(); /* killed by another CPU while it ran here */
    }
    frame_set_return(f, syscall_handle(t, nr, f));
    if (c->console_len != 0) {
        leave_with_console_output(c);
        return;
    }
    lock_leave_to_user(c);
}

/*
 * An exception in user mode (vector < 32) at addr: the faulting process is
 * ended with a report, unless another CPU killed the thread meanwhile.
 */
_Noreturn void kernel_trap(uint64_t vector, uint64_t addr, uint64_t error)
{
    lock_enter(LOCK_USER_TRAP, 0);
    struct thread *t = arch_cpu()->current;
    if (t->state == TS_RUNNING) {
        proc_fault(t, vector, addr, error);
    }
    sched_run();
}

/* Device interrupt irq (the architecture has masked and acknowledged it). */
void kernel_irq(uint32_t irq)
{
    struct cpu *c = arch_cpu();
    bool idle = in_idle(c);
    lock_enter_irq(idle);
    irq_dispatch(irq);
    lock_leave_irq(c, idle);
}

/*
 * This CPU's timer ticked.  Only the boot CPU's tick fires timers (it
 * needs the lock); an idle application processor just counts it.
 */
void kernel_tick(void)
{
    struct cpu *c = arch_cpu();
    bool idle = in_idle(c);
    if (idle && c->id != 0) {
        sched_tick(); /* only this CPU's own fields change */
        return;
    }
    lock_enter_irq(idle);
    sched_tick();
    lock_leave_irq(c, idle);
}

/* Another CPU asked this one to reschedule (arch_resched_ipi). */
void kernel_resched(void)
{
    struct cpu *c = arch_cpu();
    if (in_idle(c)) {
        c->need_resched = true; /* the idle loop looks at it next */
        return;
    }
    lock_enter(LOCK_USER_TRAP, 0);
    c->need_resched = true;
    lock_leave_to_user(c);
}

/*
 * The idle loop's wait, called by the scheduler with the lock held: lets
 * it go, waits for interrupts until one leaves work for this CPU, and
 * takes the lock again.
 */
void kernel_idle(void)
{
    spin_unlock(&kernel_lock);
    do {
        arch_wait_for_interrupt();
    } while (!sched_work_hint(arch_cpu()));
    lock_enter(LOCK_IDLE, 0);
}

/* An application processor is up: it enters the scheduler. */
_Noreturn void kernel_cpu_start(void)
{
    spin_lock(&kernel_lock);
    kernel_lock.site = LOCK_SITE_OTHER;
    sched_run();
}
