/*
 * ipcbench: kernel costs in instructions.  Run under QEMU with -icount
 * shift=0 (bench/kernel_ipc.sh), where rdtsc advances by one per retired
 * guest instruction.  Measures a null syscall and an IPC round trip (call
 * plus reply between two address spaces on one CPU, both sides blocking),
 * each as the median over BATCHES batches, and prints "zero: NAME VALUE"
 * lines (the script prints the bench: lines with the Linux peer).
 *
 * With more than one CPU, the client and the first server are pinned to
 * CPU 0 (same-CPU round trip, as with one CPU) and a second server is
 * pinned to CPU 1: the cross-CPU round trip (reschedule IPIs both ways).
 * Then two independent pairs: PAIR_ROUNDS times, PAIR_CALLS round trips of
 * the pair on CPU 0 alone, then those of both pairs at once (a second
 * client thread pinned to CPU 1 calls the server on CPU 1); the throughput
 * of two pairs over that of one is 2 * one / two (time stamp counter
 * cycles, the last of the two clients to finish), and the median of the
 * rounds is printed as ipc_pairs_speedup (in thousandths).  Only a run
 * without -icount gives it a meaning (with -icount QEMU runs the CPUs in
 * turn and the counter counts the instructions of both), so it is made
 * only, and alone, when the module's command line ends in " pairs".
 */
#include <stdbool.h>

#include "bench/median.h"
#include "zero/zero.h"

#define BATCHES 51
#define IPC_BATCH 100
#define NULL_BATCH 1000
#define PAIR_ROUNDS 9
#define PAIR_CALLS 2000
#define STACK_BYTES 16384

static uint8_t pair_stack[STACK_BYTES] __attribute__((aligned(16)));
static volatile uint64_t pair_end; /* time stamp counter when the CPU 1 client finished */

static int run_server(void)
{
    struct zmsg m = {0};
    int64_t r = zero_recv(ZERO_SLOT_EP, &m);
    while (r == 0) {
        m.w[0]++;
        r = zero_reply_recv(ZERO_SLOT_EP, &m);
    }
    return (int)r;
}

static uint64_t bench_ipc(uint64_t ep)
{
    uint64_t samples[BATCHES];
    struct zmsg m = {0};
    for (int i = 0; i < 200; i++) {
        zero_call(ep, ZERO_CAP_NONE, &m);
    }
    for (int b = 0; b < BATCHES; b++) {
        uint64_t t0 = zero_rdtsc();
        for (int i = 0; i < IPC_BATCH; i++) {
            zero_call(ep, ZERO_CAP_NONE, &m);
        }
        samples[b] = (zero_rdtsc() - t0) / IPC_BATCH;
    }
    return bench_median(samples, BATCHES);
}

static uint64_t bench_null(void)
{
    uint64_t samples[BATCHES];
    for (int b = 0; b < BATCHES; b++) {
        uint64_t t0 = zero_rdtsc();
        for (int i = 0; i < NULL_BATCH; i++) {
            zsys3(SYS_NULL, 0, 0, 0);
        }
        samples[b] = (zero_rdtsc() - t0) / NULL_BATCH;
    }
    return bench_median(samples, BATCHES);
}

/* PAIR_CALLS round trips on ep; the time stamp counter at the end. */
static uint64_t pair_calls(uint64_t ep)
{
    struct zmsg m = {0};
    for (int i = 0; i < PAIR_CALLS; i++) {
        zero_call(ep, ZERO_CAP_NONE, &m);
    }
    return zero_rdtsc();
}

struct pair_args {
    uint64_t ep;   /* the server on CPU 1 */
    uint64_t go;   /* notification: start a round */
    uint64_t done; /* notification: the round is done */
};

static struct pair_args pair;

/* The client on CPU 1: a round of calls each time it is told to go. */
static void pair_client(uint64_t arg)
{
    (void)arg;
    uint64_t bits = 0;
    for (;;) {
        zero_wait(pair.go, &bits, 1);
        pair_end = pair_calls(pair.ep);
        zero_signal(pair.done);
    }
}

/* The kernel lock's counters (SYS_CPU_INFO): acquisitions, contended ones, spins. */
static void lock_counts(uint64_t v[3])
{
    struct zsys r = {SYS_CPU_INFO, 0, 0, 0, 0, 0, 0};
    zsys_raw(&r);
    v[0] = r.rdx;
    v[1] = r.r10;
    v[2] = r.r8;
}

/*
 * Throughput of two pairs (ep on CPU 0, ep_far on CPU 1) against one (ep):
 * the round with the median ratio of PAIR_ROUNDS, in thousandths, with its
 * cycles per round trip of one pair (*one_out) and of two (*two_out);
 * 0 if it cannot start.
 */
static uint64_t bench_pairs(uint64_t ep, uint64_t ep_far, uint64_t *one_out, uint64_t *two_out)
{
    int64_t go = zsys3(SYS_NTFN_CREATE, 0, 0, 0);
    int64_t done = zsys3(SYS_NTFN_CREATE, 0, 0, 0);
    pair = (struct pair_args){ep_far, (uint64_t)go, (uint64_t)done};
    uint64_t top = (uint64_t)(uintptr_t)(pair_stack + STACK_BYTES) - 8;
    int64_t th = go < 0 || done < 0
                     ? -1
                     : zsys4(SYS_THREAD_CREATE, (uint64_t)(uintptr_t)pair_client, top, 0, 10);
    if (th < 0 || zsys3(SYS_THREAD_AFFINITY, (uint64_t)th, 2, 0) != 0) {
        return 0;
    }
    uint64_t ratio[PAIR_ROUNDS];
    uint64_t ones[PAIR_ROUNDS];
    uint64_t twos[PAIR_ROUNDS];
    uint64_t bits = 0;
    for (int k = 0; k < PAIR_ROUNDS; k++) {
        uint64_t t0 = zero_rdtsc();
        uint64_t one = pair_calls(ep) - t0;
        zero_signal((uint64_t)go);
        t0 = zero_rdtsc();
        uint64_t end = pair_calls(ep);
        zero_wait((uint64_t)done, &bits, 1);
        uint64_t two = (pair_end > end ? pair_end : end) - t0;
        ratio[k] = two != 0 ? 2000 * one / two : 0;
        ones[k] = one / PAIR_CALLS;
        twos[k] = two / PAIR_CALLS;
    }
    uint64_t sorted[PAIR_ROUNDS];
    for (int k = 0; k < PAIR_ROUNDS; k++) {
        sorted[k] = ratio[k];
    }
    uint64_t mid = bench_median(sorted, PAIR_ROUNDS);
    for (int k = 0; k < PAIR_ROUNDS; k++) {
        if (ratio[k] == mid) {
            *one_out = ones[k];
            *two_out = twos[k];
        }
    }
    return mid;
}

/* Prints one "zero: NAME VALUE" line; bench/kernel_ipc.sh adds the peer. */
static void report(const char *name, uint64_t value)
{
    zprintf("zero: %s %llu\n", name, (unsigned long long)value);
}

/* Starts a server on a new endpoint, pinned to CPU cpu when there are ncpus > 1; its endpoint. */
static int64_t start_server(uint32_t ncpus, uint32_t cpu)
{
    int64_t ep = zsys3(SYS_ENDPOINT_CREATE, 0, 0, 0);
    int64_t th = ep < 0 ? ep : zsys4(SYS_SPAWN, 0, 1, (uint64_t)ep, ZERO_CAP_NONE);
    if (th < 0) {
        return th;
    }
    if (ncpus > 1) {
        zsys3(SYS_THREAD_AFFINITY, (uint64_t)th, 1ull << cpu, 0);
    }
    return ep;
}

/* True if this boot module's command line (its name) ends in " pairs". */
static bool pairs_mode(void)
{
    char name[128] = {0};
    if (zsys3(SYS_MODULE_INFO, 0, (uint64_t)(uintptr_t)name, sizeof(name)) < 0) {
        return false;
    }
    int n = 0;
    while (n < (int)sizeof(name) - 1 && name[n] != 0) {
        n++;
    }
    const char *want = " pairs";
    for (int i = 0; i < 6; i++) {
        if (n < 6 || name[n - 6 + i] != want[i]) {
            return false;
        }
    }
    return true;
}

/* The two-pair figure alone, with the kernel lock's counters over it. */
static void report_pairs(uint64_t ep, uint64_t ep_far)
{
    uint64_t one = 0;
    uint64_t two = 0;
    uint64_t before[3];
    uint64_t after[3];
    lock_counts(before);
    uint64_t pairs = bench_pairs(ep, ep_far, &one, &two);
    lock_counts(after);
    report("ipc_pair_cycles_one", one);
    report("ipc_pair_cycles_two", two);
    report("ipc_pairs_speedup", pairs);
    report("ipc_pairs_roundtrips", 3ull * PAIR_ROUNDS * PAIR_CALLS);
    report("ipc_pairs_lock_acquired", after[0] - before[0]);
    report("ipc_pairs_lock_contended", after[1] - before[1]);
    report("ipc_pairs_lock_spins", after[2] - before[2]);
}

int zero_main(uint64_t arg)
{
    uint64_t boot = zero_rdtsc(); /* instructions since reset, firmware included */
    if (arg == 1) {
        return run_server();
    }
    struct zsys info = {SYS_CPU_INFO, 0, 0, 0, 0, 0, 0};
    zsys_raw(&info);
    uint32_t ncpus = (uint32_t)info.rsi;
    if (ncpus > 1) {
        zsys3(SYS_THREAD_AFFINITY, ZERO_CAP_NONE, 1, 0);
    }
    int64_t ep = start_server(ncpus, 0);
    int64_t ep_far = ncpus > 1 ? start_server(ncpus, 1) : 0;
    if (ep < 0 || ep_far < 0) {
        zprintf("ipcbench: cannot start the servers\n");
        zsys3(SYS_IOPORT_OUT, ZERO_SLOT_EXIT, 0xf4, 1);
        return 1;
    }
    if (ncpus > 1 && pairs_mode()) {
        report_pairs((uint64_t)ep, (uint64_t)ep_far);
        zsys3(SYS_IOPORT_OUT, ZERO_SLOT_EXIT, 0xf4, 0);
        return 0;
    }
    uint64_t ipc = bench_ipc((uint64_t)ep);
    uint64_t far = ncpus > 1 ? bench_ipc((uint64_t)ep_far) : 0;
    uint64_t null = bench_null();
    report("boot_to_init", boot);
    report("null_syscall", null);
    report("ipc_roundtrip", ipc);
    if (ncpus > 1) {
        report("ipc_roundtrip_cross_cpu", far);
    }
    zsys3(SYS_IOPORT_OUT, ZERO_SLOT_EXIT, 0xf4, 0);
    return 0;
}
