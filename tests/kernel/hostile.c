/*
 * hostile: the kernel's standing adversarial suite, run as init (boot
 * module 0) by tests/kernel/hostile.t on 1 and 4 CPUs (and over and over by
 * tests/kernel/hostile_soak.sh under make soak).
 *
 * It spawns itself as one hostile program per subsystem (entry tricks,
 * memory edges, capability chains, IPC torn down by revocation, pool
 * exhaustion, timers, threads on every CPU), each of which attacks and then
 * dies (exits, faults, or is left with work in flight).  After each attack
 * it checks the kernel's invariants, not only that it still runs:
 *   - free frames and this process's used capability slots are back at
 *     their counts before the attack;
 *   - every limit is restored: a probe process gets as many threads as
 *     before (the thread pool) and can arm TIMERS_PER_PROC timers;
 *   - no system call of this process waited longer than WORST_WAIT_MS
 *     (timed around each call while the attack ran), and the kernel lock
 *     was never held longer than LONGEST_HOLD_MS (SYS_CPU_INFO r9);
 *   - the kernel clock kept within a factor of CLOCK_SLACK of the TSC.
 * Parameters come from a seed (the TSC at start, printed) and a PRNG.
 * Prints TAP and exits through isa-debug-exit.
 */
#include "base/errors.h"
#include "base/string.h"
#include "hal/hal.h"
#include "tests/tap.h"
#include "zero/zero.h"

enum role {
    R_MAIN,
    R_ENTRY,
    R_MEMORY,
    R_CAPS,
    R_IPC,
    R_POOLS,
    R_TIMERS,
    R_THREADS,
    R_PROBE_THREADS,
    R_PROBE_TIMERS,
    R_ROLES
};

#define ROLE(arg) ((arg)&0xff)
#define SEED(arg) ((arg) >> 8)
#define WORST_WAIT_MS 500   /* a virtual CPU descheduled by a loaded host: tens of ms */
#define LONGEST_HOLD_MS 500 /* MEM_MAP of 1024 pages: about 1 ms of real work */
#define CLOCK_SLACK 4
#define KERNEL_VA 0xffffffff80200000ull
#define TIMERS_PER_PROC 4
#define MAX_TEST_CPUS 16
#define PROBE_STACKS 128
#define SPIN_THREADS 8

static uint64_t rng_state;
static uint64_t per_tick = 1; /* TSC cycles per kernel tick, measured at start */
static volatile uint64_t spinning;

void tap_emit(const char *s, size_t n)
{
    zero_write(s, n);
}

/* xorshift64*: parameters of the attacks. */
static uint64_t rnd(void)
{
    rng_state ^= rng_state >> 12;
    rng_state ^= rng_state << 25;
    rng_state ^= rng_state >> 27;
    return rng_state * 2685821657736338717ull;
}

static struct zsys info(uint64_t nr)
{
    struct zsys r = {nr, 0, 0, 0, 0, 0, 0};
    zsys_raw(&r);
    return r;
}

static uint64_t used_slots(void)
{
    return info(SYS_INFO).rsi;
}

static uint32_t cpus(void)
{
    return (uint32_t)info(SYS_CPU_INFO).rsi;
}

static int64_t derive(uint64_t src, uint64_t rights, uint64_t badge)
{
    return zsys4(SYS_CAP_DERIVE, src, ZERO_SLOT_ANY, rights, badge);
}

static int64_t new_thread(void (*fn)(uint64_t), void *stack_top, uint64_t arg)
{
    return zsys4(SYS_THREAD_CREATE, (uint64_t)(uintptr_t)fn, (uint64_t)(uintptr_t)stack_top - 8,
                 arg, 10);
}

/* A thread that blocks for good on a notification of its own. */
static void parked(uint64_t arg)
{
    (void)arg;
    int64_t n = zsys3(SYS_NTFN_CREATE, 0, 0, 0);
    uint64_t bits;
    for (;;) {
        zero_wait((uint64_t)n, &bits, 1);
    }
}

/* A thread that spins (on whatever CPU its affinity allows). */
static void spinner(uint64_t arg)
{
    (void)arg;
    __atomic_fetch_add(&spinning, 1, __ATOMIC_RELAXED);
    for (;;) {
        __asm__ volatile("pause");
    }
}

/* A thread that calls (or receives) on endpoint handle ep and exits with the result. */
static void ipc_thread(uint64_t arg)
{
    struct zmsg m = {.w = {1, 2, 3, 4}};
    int64_t r = (arg >> 32) ? zero_recv(arg & 0xffffffff, &m)
                            : zero_call(arg & 0xffffffff, ZERO_CAP_NONE, &m);
    (void)r;
    parked(0);
}

/* ---- attacks, each run by a child --------------------------------------- */

/* Entry tricks: bad numbers, registers full of garbage, pointers into the kernel. */
static int attack_entry(void)
{
    static const uint64_t bad_ptrs[] = {KERNEL_VA, 0x0000800000000000ull, 0xffff800000000000ull,
                                        0,         0x7ffffffff000ull,     0xfffffffffffff000ull};
    for (uint64_t nr = SYS_COUNT; nr < SYS_COUNT + 40; nr++) {
        zsys4(nr, rnd(), rnd(), rnd(), rnd());
    }
    zsys4(UINT64_MAX, 0, 0, 0, 0);
    for (size_t i = 0; i < sizeof(bad_ptrs) / sizeof(bad_ptrs[0]); i++) {
        zsys3(SYS_DEBUG_WRITE, ZERO_SLOT_CONSOLE, bad_ptrs[i], 4096);
        zsys3(SYS_DEBUG_WRITE, ZERO_SLOT_CONSOLE, bad_ptrs[i] - 1, 2);
        zsys4(SYS_MAP, ZERO_SLOT_ASPACE, ZERO_SLOT_ASPACE, bad_ptrs[i], 0);
        zsys4(SYS_THREAD_CREATE, bad_ptrs[i], bad_ptrs[i], 0, 10); /* faults when it runs */
    }
    for (int i = 0; i < 2000; i++) {
        uint64_t nr = rnd() % SYS_COUNT;
        if (nr == SYS_EXIT || nr == SYS_RECV || nr == SYS_REPLY_RECV || nr == SYS_CALL ||
            nr == SYS_WAIT || nr == SYS_SEND || nr == SYS_SPAWN || nr == SYS_SPAWN_LIMITED ||
            nr == SYS_THREAD_KILL || nr == SYS_PROC_KILL || nr == SYS_IOPORT_OUT ||
            nr == SYS_IOPORT_OUT_WIDE || nr == SYS_MEM_UNMAP || nr == SYS_UNMAP ||
            nr == SYS_CAP_DELETE || nr == SYS_CAP_REVOKE) {
            continue;
        }
        zsys4(nr, rnd() % 300, rnd(), rnd() % 8192, rnd());
    }
    switch (rnd() % 3) {
    case 0:
        *(volatile uint64_t *)KERNEL_VA = 1; /* faults: the process is stopped */
        break;
    case 1:
        __asm__ volatile("ud2");
        break;
    default:
        break;
    }
    return 0;
}

/* Memory edges: every free frame taken, ranges at the top, holes, then exit holding it all. */
static int attack_memory(void)
{
    const uint64_t base = 0x100000000ull;
    uint64_t va = base;
    uint64_t chunk = 1 + rnd() % 1024;
    while (chunk > 0) {
        if (zsys4(SYS_MEM_MAP, ZERO_SLOT_ASPACE, va, chunk, ZERO_MAP_WRITE) == 0) {
            *(volatile uint64_t *)(va + (chunk - 1) * 4096) = va;
            va += chunk * 4096;
        } else {
            chunk /= 2; /* until every free frame is taken */
        }
    }
    zsys4(SYS_MEM_MAP, ZERO_SLOT_ASPACE, 0x7fffffffe000ull, 4, ZERO_MAP_WRITE);
    zsys4(SYS_MEM_MAP, ZERO_SLOT_ASPACE, KERNEL_VA, 1, ZERO_MAP_WRITE);
    zsys4(SYS_MEM_MAP, ZERO_SLOT_ASPACE, base, 1025, ZERO_MAP_WRITE);
    zsys3(SYS_MEM_UNMAP, ZERO_SLOT_ASPACE, va - 4096, 4); /* runs past the end: refused */
    if (va > base + 8192) {
        zsys3(SYS_MEM_UNMAP, ZERO_SLOT_ASPACE, base + 4096, 1); /* a hole */
        zsys3(SYS_MEM_UNMAP, ZERO_SLOT_ASPACE, base, 3);        /* across it: refused */
    }
    int64_t f;
    while ((f = zsys3(SYS_FRAME_ALLOC, 0, 0, 0)) >= 0 && rnd() % 64 != 0) {
        zsys4(SYS_MAP, ZERO_SLOT_ASPACE, (uint64_t)f, 0x80000000ull + (uint64_t)f * 4096,
              (rnd() & 1) ? ZERO_MAP_WRITE : ZERO_MAP_EXEC);
    }
    return 0;
}

/* Capability chains: deep derivations, a full space, random revokes and deletes. */
static int attack_caps(void)
{
    int64_t ep = zsys3(SYS_ENDPOINT_CREATE, 0, 0, 0);
    int64_t h = ep;
    int64_t next;
    while ((next = derive((uint64_t)h, CAP_RIGHTS_ALL, 0)) >= 0) {
        h = next; /* until the depth limit or the space is full */
    }
    int64_t badged = derive((uint64_t)ep, CAP_RIGHTS_ALL, 7);
    while (derive((uint64_t)(badged >= 0 ? badged : ep), CAP_RIGHT_WRITE, 0) >= 0) {
    }
    for (int i = 0; i < 3000; i++) {
        uint64_t slot = rnd() % 260;
        switch (rnd() % 5) {
        case 0:
            zsys3(SYS_CAP_REVOKE, slot, 0, 0);
            break;
        case 1:
            zsys3(SYS_CAP_DELETE, slot, 0, 0);
            break;
        case 2:
            zsys4(SYS_CAP_DERIVE, slot, rnd() % 260, rnd() & 15, rnd() % 3);
            break;
        default:
            derive(slot, rnd() & 15, rnd() & 1 ? 0 : rnd());
            break;
        }
    }
    return 0;
}

/*
 * IPC torn down: callers queued under a badge that is revoked, receivers
 * whose capability is deleted, then death with threads still queued.
 */
static int attack_ipc(void)
{
    int64_t ep = zsys3(SYS_ENDPOINT_CREATE, 0, 0, 0);
    int64_t badged = derive((uint64_t)ep, CAP_RIGHTS_ALL, 1 + rnd() % 1000);
    int64_t ep2 = zsys3(SYS_ENDPOINT_CREATE, 0, 0, 0);
    int64_t recv_cap = derive((uint64_t)ep2, CAP_RIGHT_READ, 0);
    uint8_t *stacks = hal_page_alloc(8);
    if (ep < 0 || badged < 0 || recv_cap < 0 || stacks == NULL) {
        return 1;
    }
    for (int i = 0; i < 4; i++) {
        new_thread(ipc_thread, stacks + (i + 1) * 4096, (uint64_t)badged);
        new_thread(ipc_thread, stacks + (i + 5) * 4096, 1ull << 32 | (uint64_t)recv_cap);
    }
    for (int i = 0; i < 20; i++) {
        zero_yield();
    }
    zsys3(SYS_CAP_REVOKE, (uint64_t)ep, 0, 0); /* removes badged and its children */
    if (rnd() & 1) {
        zsys3(SYS_CAP_DELETE, (uint64_t)recv_cap, 0, 0);
    }
    return 0; /* threads still queued on ep2 die with the process */
}

/* Pools: threads until the pool is empty, objects until the space is full, timers past the limit.
 */
static int attack_pools(void)
{
    uint8_t *stacks = hal_page_alloc(PROBE_STACKS);
    if (stacks == NULL) {
        return 1;
    }
    for (int i = 0; i < PROBE_STACKS; i++) {
        if (new_thread(parked, stacks + (i + 1) * 4096, 0) < 0) {
            break;
        }
    }
    while (zsys3((rnd() & 1) ? SYS_ENDPOINT_CREATE : SYS_NTFN_CREATE, 0, 0, 0) >= 0) {
    }
    return 0;
}

/* Timers: armed far ahead past the limit, their notification deleted, then death. */
static int attack_timers(void)
{
    int64_t n = zsys3(SYS_NTFN_CREATE, 0, 0, 0);
    for (int i = 0; i < TIMERS_PER_PROC + 2; i++) {
        zsys3(SYS_TIMER, (uint64_t)n, (rnd() & 1) ? 1000000000000000ull : rnd() % 50000000, 0);
    }
    if (rnd() & 1) {
        zsys3(SYS_CAP_DELETE, (uint64_t)n, 0, 0);
    }
    for (int i = 0; i < 10; i++) {
        zero_yield();
    }
    return 0;
}

/* Threads: spinners on every CPU, affinity thrown around, some killed, then death. */
static int attack_threads(void)
{
    uint32_t n = cpus();
    uint8_t *stacks = hal_page_alloc(SPIN_THREADS);
    int64_t th[SPIN_THREADS];
    if (stacks == NULL) {
        return 1;
    }
    for (int i = 0; i < SPIN_THREADS; i++) {
        th[i] = new_thread(spinner, stacks + (i + 1) * 4096, 0);
    }
    for (int i = 0; i < 200; i++) {
        int64_t t = th[rnd() % SPIN_THREADS];
        zsys3(SYS_THREAD_AFFINITY, (uint64_t)t, rnd() & ((1ull << n) - 1), 0);
        if (rnd() % 50 == 0) {
            zsys3(SYS_THREAD_KILL, (uint64_t)t, 0, 0);
        }
        if (rnd() % 8 == 0) {
            zero_yield();
        }
    }
    return 0; /* exits while spinners run on other CPUs */
}

/* Probe: threads until the pool is empty; exits with how many. */
static int probe_threads(void)
{
    uint8_t *stacks = hal_page_alloc(PROBE_STACKS);
    int count = 0;
    while (stacks != NULL && count < PROBE_STACKS &&
           new_thread(parked, stacks + (count + 1) * 4096, 0) >= 0) {
        count++;
    }
    return count;
}

/* Probe: arms TIMERS_PER_PROC timers; exits with how many were accepted. */
static int probe_timers(void)
{
    int64_t n = zsys3(SYS_NTFN_CREATE, 0, 0, 0);
    int count = 0;
    while (count < TIMERS_PER_PROC && zsys3(SYS_TIMER, (uint64_t)n, 1000000000000ull, 0) == 0) {
        count++;
    }
    return count;
}

/* ---- the parent: attacks and invariants ----------------------------------- */

struct watch {
    uint64_t worst;      /* worst system call of the parent while waiting, TSC cycles */
    uint64_t tsc0, tsc1; /* the wait, by TSC */
    uint64_t tick0, tick1;
};

/*
 * Spawns role (with the seed) and waits for it to end, timing each of its
 * own system calls meanwhile; returns the child's exit status.
 */
static int64_t run_child(enum role role, uint64_t exit_ntfn, struct watch *w)
{
    w->worst = 0;
    w->tsc0 = w->tsc1 = zero_rdtsc();
    w->tick0 = w->tick1 = zero_ticks();
    int64_t th =
        zsys4(SYS_SPAWN, 0, (uint64_t)role | (rnd() & 0xffffffff) << 8, ZERO_CAP_NONE, exit_ntfn);
    if (th < 0) {
        return th;
    }
    struct zsys r;
    bool signalled = false; /* once no CPU runs any of the child's threads */
    do {
        uint64_t t = zero_rdtsc();
        uint64_t bits = 0;
        zero_wait(exit_ntfn, &bits, 0);
        signalled = signalled || bits != 0;
        r = (struct zsys){SYS_CAP_INFO, (uint64_t)th, 0, 0, 0, 0, 0};
        zsys_raw(&r);
        t = zero_rdtsc() - t;
        w->worst = t > w->worst ? t : w->worst;
        zero_yield();
    } while ((int64_t)r.rax == 0 && (r.r10 != ZERO_THREAD_DEAD || !signalled));
    w->tsc1 = zero_rdtsc();
    w->tick1 = zero_ticks();
    zsys3(SYS_CAP_DELETE, (uint64_t)th, 0, 0);
    return (int64_t)r.r8;
}

static uint64_t ms(uint64_t cycles)
{
    return cycles * 10 / per_tick;
}

struct baseline {
    uint64_t frames, slots;
    int64_t threads;
};

/* Waits for the kernel's frames to settle (pages of a dying process go as its CPUs let go). */
static uint64_t settled_frames(uint64_t want)
{
    uint64_t f = 0;
    for (int i = 0; i < 200 && (f = zero_free_frames()) != want; i++) {
        zero_yield();
    }
    return f;
}

static const char *const role_names[R_ROLES] = {
    [R_ENTRY] = "entry", [R_MEMORY] = "memory", [R_CAPS] = "caps",       [R_IPC] = "ipc",
    [R_POOLS] = "pools", [R_TIMERS] = "timers", [R_THREADS] = "threads",
};

/* One attack and every invariant after it. */
static void attack(enum role role, uint64_t exit_ntfn, const struct baseline *b)
{
    const char *name = role_names[role];
    struct watch w;
    int64_t st = run_child(role, exit_ntfn, &w);
    ok(st == 0 || st == ZERR_TRAP, "%s: attacker ended (status %lld)", name, (long long)st);
    uint64_t f = settled_frames(b->frames);
    ok(f == b->frames, "%s: free frames back (%llu of %llu)", name, (unsigned long long)f,
       (unsigned long long)b->frames);
    ok(used_slots() == b->slots, "%s: capability slots back", name);
    struct watch pw;
    int64_t threads = run_child(R_PROBE_THREADS, exit_ntfn, &pw);
    ok(threads == b->threads, "%s: thread pool restored (%lld of %lld)", name, (long long)threads,
       (long long)b->threads);
    int64_t timers = run_child(R_PROBE_TIMERS, exit_ntfn, &pw);
    ok(timers == TIMERS_PER_PROC, "%s: timer limit restored (%lld)", name, (long long)timers);
    f = settled_frames(b->frames);
    ok(f == b->frames, "%s: probes return every frame", name);
    ok(ms(w.worst) <= WORST_WAIT_MS, "%s: worst system call under attack %llu ms (ceiling %u)",
       name, (unsigned long long)ms(w.worst), WORST_WAIT_MS);
    uint64_t hold = info(SYS_CPU_INFO).r9;
    ok(ms(hold >> 8) <= LONGEST_HOLD_MS,
       "%s: longest kernel-lock hold %llu ms (%llu cycles), site %llu", name,
       (unsigned long long)ms(hold >> 8), (unsigned long long)(hold >> 8),
       (unsigned long long)(hold & 0xff));
    uint64_t real = (w.tsc1 - w.tsc0) / per_tick;
    uint64_t kern = w.tick1 - w.tick0;
    ok(kern * CLOCK_SLACK + 2 >= real && real * CLOCK_SLACK + 2 >= kern,
       "%s: kernel clock %llu ticks for %llu real", name, (unsigned long long)kern,
       (unsigned long long)real);
}

/* Measures TSC cycles per kernel tick over 10 ticks. */
static void calibrate(void)
{
    uint64_t k0 = zero_ticks();
    while (zero_ticks() == k0) {
    }
    uint64_t k1 = zero_ticks();
    uint64_t c1 = zero_rdtsc();
    while (zero_ticks() < k1 + 10) {
    }
    per_tick = (zero_rdtsc() - c1) / (zero_ticks() - k1);
    per_tick = per_tick != 0 ? per_tick : 1;
}

static int run_main(void)
{
    tap_no_plan();
    uint64_t seed = zero_rdtsc() | 1;
    rng_state = seed;
    zprintf("hostile: %u cpus, seed %llu\n", cpus(), (unsigned long long)seed);
    calibrate();
    int64_t exit_ntfn = zsys3(SYS_NTFN_CREATE, 0, 0, 0);
    struct watch w;
    struct baseline b = {0, 0, 0};
    b.threads = run_child(R_PROBE_THREADS, (uint64_t)exit_ntfn, &w);
    ok(b.threads > 0, "probe gets threads (%lld)", (long long)b.threads);
    b.frames = settled_frames(zero_free_frames());
    b.slots = used_slots();
    for (enum role r = R_ENTRY; r <= R_THREADS; r++) {
        attack(r, (uint64_t)exit_ntfn, &b);
    }
    int status = tap_done();
    zsys3(SYS_IOPORT_OUT, ZERO_SLOT_EXIT, 0xf4, (uint64_t)status);
    return status;
}

int zero_main(uint64_t arg)
{
    rng_state = SEED(arg) * 0x9e3779b97f4a7c15ull | 1;
    switch ((enum role)ROLE(arg)) {
    case R_MAIN:
        return run_main();
    case R_ENTRY:
        return attack_entry();
    case R_MEMORY:
        return attack_memory();
    case R_CAPS:
        return attack_caps();
    case R_IPC:
        return attack_ipc();
    case R_POOLS:
        return attack_pools();
    case R_TIMERS:
        return attack_timers();
    case R_THREADS:
        return attack_threads();
    case R_PROBE_THREADS:
        return probe_threads();
    case R_PROBE_TIMERS:
        return probe_timers();
    default:
        return 1;
    }
}
