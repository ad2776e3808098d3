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
 */
#include "zero/zero.h"

#define BATCHES 51
#define IPC_BATCH 100
#define NULL_BATCH 1000

static uint64_t median(uint64_t *v, int n)
{
    for (int i = 1; i < n; i++) {
        for (int j = i; j > 0 && v[j - 1] > v[j]; j--) {
            uint64_t t = v[j];
            v[j] = v[j - 1];
            v[j - 1] = t;
        }
    }
    return v[n / 2];
}

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
    return median(samples, BATCHES);
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
    return median(samples, BATCHES);
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
