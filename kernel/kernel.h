/*
 * The Zero OS kernel: objects, threads, processes and the interface between
 * the portable kernel (kernel/) and its architecture layer (kernel/arch/x86_64/).
 *
 * Concurrency: every CPU runs the kernel with interrupts disabled, on its
 * own stack, holding the kernel lock (kernel_lock) from entry to exit; only
 * the idle loop runs with interrupts enabled, and only TLB shootdown
 * requests and the UART (DEBUG_WRITE's bytes, under the console lock) are
 * served without the lock (see docs/kernel.md, "Locking and SMP").  Every function here expects the
 * lock held, unless its comment says otherwise.  Per-CPU state lives in struct cpu, reached through
 * the GS base (arch_cpu()).
 *
 * Kernel globals (the object pools) are declared here and nowhere else.
 */
#ifndef ZERO_KERNEL_H
#define ZERO_KERNEL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "kernel/arch/x86_64/frame.h"
#include "cap/cap.h"

#define KERNEL_VMA 0xffffffff80000000ull
#define PHYS_MAP 0xffff800000000000ull
#define USER_MIN 0x0000000000001000ull
#define USER_MAX 0x0000800000000000ull /* first non-canonical user address */
/*
 * End of mappable user memory.  The top canonical page stays unmapped so that
 * no syscall instruction can sit at its end: sysret to the non-canonical
 * address after it would fault in kernel mode.
 */
#define USER_MAP_MAX (USER_MAX - PAGE_SIZE)
#define PAGE_SIZE 4096ull

#define MAX_CPUS 16 /* affinity masks are 32 bits */
#define NO_CPU UINT32_MAX
#define MAX_PROCS 64
#define MAX_THREADS 128
#define MAX_ENDPOINTS 256
#define MAX_NOTIFICATIONS 256
#define PROC_CSLOTS 256
#define NPRIO 32
#define PRIO_DEFAULT 10
#define TIMESLICE_TICKS 2
#define MSG_WORDS 4
#define MAX_MODULES 16
#define MAX_IRQS 24
#define MAX_TIMERS 64
#define TIMERS_PER_PROC 4
#define TICK_NS 10000000ull        /* the scheduler tick: 100 Hz */
#define CONSOLE_CHUNK 256          /* most bytes one DEBUG_WRITE takes */
#define MAX_QUOTAS (MAX_PROCS + 2) /* index 0: no quota; 1: the root */
#define QUOTA_ROOT 1

/* An I/O-port capability's object: ports base .. base+count-1 (count <= 0xffff). */
static inline uint64_t ioport_pack(uint32_t base, uint32_t count)
{
    return ((uint64_t)base << 16) | (count & 0xffff);
}

static inline void ioport_unpack(uint64_t obj, uint32_t *base, uint32_t *count)
{
    *base = (uint32_t)(obj >> 16);
    *count = (uint32_t)(obj & 0xffff);
}

/* No capability handle (IPC without a transferred capability). */
#define CAP_NONE UINT32_MAX

static inline void *phys_to_virt(uint64_t pa)
{
    return (void *)(uintptr_t)(PHYS_MAP + pa);
}

static inline uint64_t virt_to_phys(const void *va)
{
    uint64_t v = (uint64_t)(uintptr_t)va;
    return v >= KERNEL_VMA ? v - KERNEL_VMA : v - PHYS_MAP;
}

/* ---- spinlock (SMP-safe; taken with interrupts disabled) ------------------ */

#define LOCK_STARVE_SPINS 64

/*
 * A test-and-test-and-set lock that lets a waiter that waited long go
 * first (spin_lock, kernel/arch/x86_64/cpu.c).  The counters are written by the holder
 * only and measure contention (SYS_CPU_INFO).
 */
struct spinlock {
    volatile uint32_t locked;
    uint32_t shared;     /* CPUs holding it shared (spin_share); the holder waits for 0 */
    uint32_t starving;   /* id + 1 of a CPU that waited LOCK_STARVE_SPINS: it goes next */
    uint32_t owner_cpu;  /* holder's CPU id + 1, 0 when free */
    uint64_t acquired;   /* acquisitions */
    uint64_t contended;  /* acquisitions that found the lock held */
    uint64_t spins;      /* pause iterations spent waiting, all acquisitions */
    bool last_waited;    /* the holder had to wait for it */
    uint32_t site;       /* where the holder took it (kernel/lockstat.h) */
    uint64_t held_since; /* time stamp counter at acquisition */
    uint64_t max_hold;   /* longest hold so far, time stamp counter cycles */
    uint32_t max_site;   /* the site of that hold */
};

void spin_lock(struct spinlock *l);
void spin_unlock(struct spinlock *l);

/*
 * Takes l shared, alongside other CPUs holding it shared, if no CPU holds
 * it (or is taking it): true, or false with nothing taken.  spin_lock waits
 * until every shared holder has let go, so a shared holder excludes exactly
 * the holder.  Dekker's pattern: the count goes up before `locked` is read
 * here, `locked` goes up before the count is read in spin_lock (both full
 * barriers on x86), so one of the two always sees the other.  Shared
 * holders never wait for the lock: a false answer sends the caller to
 * spin_lock, and its fairness.  Interrupts must be disabled.
 */
static inline bool spin_share(struct spinlock *l)
{
    if (__atomic_load_n(&l->locked, __ATOMIC_RELAXED) != 0) {
        return false;
    }
    __atomic_add_fetch(&l->shared, 1, __ATOMIC_SEQ_CST);
    if (__atomic_load_n(&l->locked, __ATOMIC_SEQ_CST) == 0) {
        return true;
    }
    __atomic_sub_fetch(&l->shared, 1, __ATOMIC_RELEASE);
    return false;
}

/* Lets go of l held shared. */
static inline void spin_unshare(struct spinlock *l)
{
    __atomic_sub_fetch(&l->shared, 1, __ATOMIC_RELEASE);
}

/* The kernel lock: held by whichever CPU is in the kernel (kernel/entry.c). */
extern struct spinlock kernel_lock;

/*
 * The console lock (kernel/console.c): held only while bytes go to the
 * UART.  Lock order: the kernel lock, then the console lock; nothing is
 * taken while it is held.
 */
extern struct spinlock console_lock;

/* ---- objects ----------------------------------------------------------- */

/*
 * Thread states.  FREE: pool slot unused.  READY: on a run queue.  RUNNING:
 * current on a CPU.  SEND / RECV: queued on an endpoint.  REPLY: waiting for
 * the reply to a call.  NOTIFY: waiting on a notification.  DEAD: stopped,
 * kept until the last capability to it goes.
 */
enum thread_state {
    TS_FREE,
    TS_READY,
    TS_RUNNING,
    TS_SEND,
    TS_RECV,
    TS_REPLY,
    TS_NOTIFY,
    TS_DEAD,
};

struct proc;
struct quota;
struct endpoint;
struct notification;

struct thread {
    struct trap_frame frame; /* first: 16-byte aligned end */
    uint8_t fpu[512] __attribute__((aligned(16)));
    struct proc *proc;
    uint32_t tid;
    uint32_t state;
    uint32_t prio;
    uint32_t ticks_left;
    uint32_t refs;   /* thread capabilities */
    int exit_status; /* why it died (DEAD) */
    bool faulted;    /* its process ended by a user exception: fault_vector at fault_addr */
    uint32_t fault_vector;
    uint64_t fault_addr;
    uint32_t cpu;        /* run queue it is on (READY), else the CPU it ran on last */
    uint32_t affinity;   /* CPUs it may run on (bit per CPU index); 0: any */
    bool on_cpu;         /* current on some CPU (its FPU state lives there) */
    struct thread *next; /* run queue or wait queue link */
    struct thread *prev;
    /* IPC */
    struct endpoint *ep;       /* queue this thread waits on */
    struct notification *ntfn; /* notification waited on */
    struct thread *reply_to;   /* caller this thread must answer */
    struct thread *reply_from; /* server holding this thread's reply */
    uint64_t msg[MSG_WORDS];
    uint64_t badge;
    uint32_t xfer_cap; /* sender: handle of the capability to transfer */
    uint32_t ep_cap;   /* handle a queued send or receive went through (ipc_cancel_through) */
    bool is_call;
    uint8_t ipc_backoff; /* calls left to skip the IPC fast path (kernel/entry.c) */
};

struct aspace {
    uint64_t pml4;     /* physical */
    uint32_t refs;     /* processes, address-space capabilities and CPUs using it */
    uint32_t cpu_mask; /* CPUs that have it loaded (CR3): TLB shootdown targets */
    bool live;
};

/* Where a frame capability is mapped (each frame capability maps at most once). */
struct frame_map {
    struct aspace *as;
    uint64_t va;
};

/* What a quota limits (kernel/quota.c). */
enum quota_kind {
    QUOTA_FRAMES,  /* frames allocated for user memory */
    QUOTA_THREADS, /* threads alive */
    QUOTA_SLOTS,   /* capability slots in use */
    QUOTA_KINDS
};

/*
 * A quota: limits and usage, per kind, of the processes charged to it.  A
 * child quota's limits are part of its parent's usage while it lives.
 */
struct quota {
    bool live;
    uint32_t parent; /* index in quotas[]; 0 for the root */
    uint32_t nprocs; /* processes charged to it */
    uint64_t limit[QUOTA_KINDS];
    uint64_t used[QUOTA_KINDS];
};

struct proc {
    uint32_t pid;
    bool live;
    struct quota *quota; /* what it is charged to */
    uint64_t cpu_ticks;  /* scheduler ticks its threads were current */
    uint32_t nthreads;
    struct aspace as;
    struct cap_space cspace;
    struct cap_slot slots[PROC_CSLOTS];
    struct frame_map fmap[PROC_CSLOTS]; /* by handle: mapping made with a frame cap */
    struct thread *main_thread;
    struct notification *exit_ntfn; /* signalled (bit exit_bits) when it dies */
    uint64_t exit_bits;
    int exit_status;
    bool faulted; /* ended by a user exception (proc_fault): vector at addr */
    uint32_t fault_vector;
    uint64_t fault_addr;
    bool exit_deferred; /* dead, exit_ntfn not yet signalled: another CPU still has as loaded */
};

struct thread_queue {
    struct thread *head;
    struct thread *tail;
};

struct endpoint {
    uint32_t lock; /* its queues, for the IPC fast path under the kernel lock shared */
    uint32_t refs;
    bool live;
    struct thread_queue senders;
    struct thread_queue receivers;
};

struct notification {
    uint32_t refs;
    bool live;
    uint64_t bits;
    struct thread_queue waiters;
};

/* Per-CPU state.  Offsets of the first fields are used by entry.S. */
struct cpu {
    struct cpu *self;       /* 0 */
    uint64_t kstack_top;    /* 8 */
    uint64_t user_rsp;      /* 16: scratch during syscall entry */
    uint64_t frame_end;     /* 24: end of the current thread's frame */
    struct thread *current; /* 32 */
    uint32_t id;
    uint32_t apic_id;
    uint32_t runnable_mask; /* bit p: run queue p not empty (all zero: empty queues) */
    uint32_t nready;        /* threads on the run queues */
    struct thread_queue runq[NPRIO];
    struct aspace *as; /* address space loaded (holds a reference), NULL: kernel only */
    bool need_resched;
    uint64_t ticks;
    uint64_t ipc_shared;             /* IPC fast paths run under the kernel lock shared */
    uint32_t console_len;            /* DEBUG_WRITE bytes waiting in console_buf */
    char console_buf[CONSOLE_CHUNK]; /* written after the kernel lock is released */
};

_Static_assert(offsetof(struct cpu, kstack_top) == 8, "entry.S: %gs:8");
_Static_assert(offsetof(struct cpu, user_rsp) == 16, "entry.S: %gs:16");
_Static_assert(offsetof(struct cpu, frame_end) == 24, "entry.S: %gs:24");
_Static_assert(offsetof(struct thread, frame) == 0 && sizeof(struct thread) % 16 == 0,
               "a thread's frame ends 16-byte aligned (TSS.rsp0)");

/* ---- boot information -------------------------------------------------- */

struct boot_module {
    uint64_t start; /* physical */
    uint64_t end;
    char name[64];
};

struct boot_info {
    uint64_t mem_top; /* end of the highest usable RAM */
    uint64_t rsdp;    /* physical, 0 if not found */
    uint32_t nmodules;
    struct boot_module modules[MAX_MODULES];
    const char *loader; /* "multiboot1" or "multiboot2" */
    char cmdline[128];
};

extern struct boot_info boot_info;

/* ---- entry points (kernel/entry.c): all the architecture layer calls -- */

/* Boot CPU, once the architecture is up (kernel/main.c).  Never returns. */
_Noreturn void kernel_main(void);
void kernel_syscall(struct trap_frame *f);
_Noreturn void kernel_trap(uint64_t vector, uint64_t addr, uint64_t error);
void kernel_irq(uint32_t irq);
void kernel_tick(void);
void kernel_resched(void);
_Noreturn void kernel_cpu_start(void);
void kprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Writes s to the UART under the console lock (kernel/console.c); interrupts off. */
void console_write(const char *s, size_t n);
/* From now on console_write takes the console lock (kernel_main, before any process runs). */
void console_share(void);

/* ---- architecture interface (kernel/arch/x86_64) ------------------------ */

struct cpu *arch_cpu(void);
struct cpu *arch_cpu_by_id(uint32_t id);    /* id < arch_cpu_count() */
uint32_t arch_cpu_count(void);              /* CPUs online (ids 0 .. count-1) */
void arch_resched_ipi(const struct cpu *c); /* makes c enter the scheduler soon */
_Noreturn void arch_return_to_user(void);
void arch_wait_for_interrupt(void); /* with interrupts enabled, then disabled again */
void arch_switch_to(struct thread *prev, struct thread *next); /* registers, FPU, entry stack */
void arch_switch_out(struct thread *t);                        /* t stops being current here */
void arch_thread_init(struct thread *t, uint64_t entry, uint64_t stack, uint64_t arg);
uint64_t arch_time_ticks(void); /* scheduler ticks since boot (the boot CPU's timer) */
uint64_t arch_cycles(void);     /* the time stamp counter */
void arch_console_write(const char *s, size_t n);
void arch_outb(uint16_t port, uint8_t v);
uint8_t arch_inb(uint16_t port);
uint32_t arch_io_in(uint16_t port, uint32_t width); /* width 1, 2 or 4 bytes */
void arch_io_out(uint16_t port, uint32_t width, uint32_t v);
void arch_irq_unmask(uint32_t irq);
void arch_irq_mask(uint32_t irq);
#define PCI_CONFIG_PORT 0xcf8 /* configuration mechanism #1: address, then data at +4 */
/* The interrupt line of PCI function bdf, from now on level-triggered (SYS_IRQ_PCI). */
int arch_irq_pci(uint32_t bdf, uint32_t *irq);
_Noreturn void arch_halt(void);

/* Memory (kernel/arch/x86_64/mmu.c, frame allocator). */
uint64_t frame_alloc(void); /* zeroed page, 0 if none */
void frame_ref(uint64_t pa);
void frame_put(uint64_t pa); /* frees when the last reference goes */
uint64_t frame_free_count(void);
/* Tags allocated frame pa with quota id; its release calls quota_frame_freed(id). */
void frame_charge(uint64_t pa, uint32_t id);

#define MAP_WRITE 0x1u
#define MAP_EXEC 0x2u
#define MAP_OWNED 0x4u /* the mapping owns the frame (SYS_MEM_MAP); see as_page_owned */

/* W^X across mappings: counts a user mapping of pa, or refuses it (ZERR_PERM). */
int frame_map_count(uint64_t pa, uint32_t flags);
void frame_map_uncount(uint64_t pa, uint32_t flags);

int as_create(struct aspace *as);
void as_destroy(struct aspace *as);
int as_map(struct aspace *as, uint64_t va, uint64_t pa, uint32_t flags);
int as_unmap(struct aspace *as, uint64_t va);
bool as_page_owned(struct aspace *as, uint64_t va);
/* Loads to (NULL: the kernel's tables) on this CPU in place of from. */
void as_switch(struct aspace *from, struct aspace *to);

/*
 * Copies between kernel memory and the current address space's user memory.
 * Checks the user range lies below USER_MAX and recovers from faults.
 * Returns 0 or ZERR_FAULT.
 */
int copy_from_user(void *dst, uint64_t usrc, size_t n);
int copy_to_user(uint64_t udst, const void *src, size_t n);

/* ---- portable kernel --------------------------------------------------- */

/* kernel/entry.c: the idle loop's wait (lock held on entry and return). */
void kernel_idle(void);

/* kernel/sched.c */
void sched_ready(struct thread *t);            /* make runnable (tail of its queue) */
void sched_wake(struct thread *t, int status); /* blocked t: ready, with status */
void sched_unready(struct thread *t);          /* take off the run queue */
struct thread *sched_pick(struct cpu *c);
_Noreturn void sched_run(void); /* switch to the best thread, enter user */
void sched_tick(void);          /* timer interrupt */
/* True if t's affinity lets it run on CPU cpu. */
static inline bool sched_may_run(const struct thread *t, uint32_t cpu)
{
    return t->affinity == 0 || (cpu < 32 && (t->affinity & (1u << cpu)) != 0);
}
bool sched_work_hint(struct cpu *c);                     /* no lock needed: idle loop only */
int sched_set_affinity(struct thread *t, uint32_t mask); /* 0 or ZERR_INVAL */

/* kernel/proc.c */
extern struct proc procs[MAX_PROCS];
extern struct thread threads[MAX_THREADS];
struct thread *thread_create(struct proc *p, uint64_t entry, uint64_t stack, uint64_t arg,
                             uint32_t prio);
void thread_kill(struct thread *t, int status);
void thread_put(struct thread *t);
int proc_spawn_module(uint32_t module, uint64_t arg, uint32_t prio, struct quota *q,
                      struct proc **out);
void proc_fault(struct thread *t, uint64_t vector, uint64_t addr, uint64_t error);
void proc_exit(struct proc *p, int status);
void cap_release(void *arg, struct cap_space *cs, uint32_t handle, const struct cap *c);
int cap_install(struct cap_space *cs, uint32_t slot, const struct cap *c);
int cap_copy(struct cap_space *from, uint32_t src, struct cap_space *to, uint32_t dst,
             uint32_t rights, uint64_t badge);
void aspace_put(struct aspace *as);
void aspace_switch(struct cpu *c, struct aspace *as); /* c loads as (NULL: none) */
struct proc *proc_of_cspace(struct cap_space *cs);
void frame_cap_unmap(struct proc *p, uint32_t handle);
const char *arch_exception_name(uint64_t vector);

/* kernel/quota.c */
extern struct quota quotas[MAX_QUOTAS];
uint32_t quota_id(const struct quota *q);
struct quota *quota_root(void);
int quota_check(const struct quota *q, enum quota_kind kind, uint64_t n);
void quota_charge(struct quota *q, enum quota_kind kind, uint64_t n);
void quota_refund(struct quota *q, enum quota_kind kind, uint64_t n);
void quota_release(struct quota *q);
void quota_frame_freed(uint32_t id);
int quota_frame_alloc(struct quota *q, uint64_t *pa);
void quota_frame_tag(struct quota *q, uint64_t pa);
int quota_create(struct quota *parent, const uint64_t lim[QUOTA_KINDS], struct quota **out);
void quota_attach(struct quota *q);
void quota_detach(struct quota *q);

/* kernel/endpoint.c */
extern struct endpoint endpoints[MAX_ENDPOINTS];
struct endpoint *endpoint_alloc(void);
void endpoint_put(struct endpoint *e);
void ipc_cancel(struct thread *t); /* remove t from any wait; t is dying */
void ipc_cancel_through(struct endpoint *e, const struct proc *p, uint32_t handle);
bool ipc_send(struct thread *t, struct endpoint *e);
bool ipc_recv(struct thread *t, struct endpoint *e);
struct thread *ipc_reply(struct thread *t, const uint64_t msg[MSG_WORDS]);
bool ipc_call_fast(struct thread *t, const struct trap_frame *f, struct endpoint *e,
                   uint64_t badge);
bool ipc_reply_recv_fast(struct thread *t, const struct trap_frame *f, struct endpoint *e,
                         uint32_t handle);
bool ipc_call_shared(struct thread *t, const struct trap_frame *f, struct endpoint *e,
                     uint64_t badge);
bool ipc_reply_recv_shared(struct thread *t, const struct trap_frame *f, struct endpoint *e,
                           uint32_t handle);

/* kernel/notification.c */
extern struct notification notifications[MAX_NOTIFICATIONS];
struct notification *notification_alloc(void);
void notification_get(struct notification *n);
void notification_put(struct notification *n);
void notification_signal(struct notification *n, uint64_t bits);
bool notification_wait(struct thread *t, struct notification *n, bool block);

/* kernel/irq.c */
int irq_bind(uint32_t irq, struct notification *n, uint64_t bits);
void irq_dispatch(uint32_t irq);
void irq_forget(const struct notification *n);

/* kernel/timer.c */
int timer_arm(const struct proc *owner, struct notification *n, uint64_t bits, uint64_t deadline);
void timer_expire(uint64_t now);
void timer_cancel(const struct proc *owner); /* its process has ended */

/*
 * Makes next the current thread of this CPU in place of prev (NULL: none):
 * its address space, then its registers.  The caller has set both states.
 */
static inline void sched_switch(struct thread *prev, struct thread *next)
{
    if (prev != next) {
        aspace_switch(arch_cpu(), &next->proc->as);
    }
    arch_switch_to(prev, next);
}

/* kernel/elf.c */
int elf_load(struct aspace *as, struct quota *q, const uint8_t *image, uint64_t size,
             uint64_t *entry);

#endif
